package io.tracestream.ftrace;

import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;
import io.tracestream.ctf.write.TraceSchema;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.UUID;

/**
 * Converts a raw ftrace {@link Capture} into a CTF 1.8 trace laid out like an LTTng kernel trace: metadata with the
 * {@code kernel} domain environment and a 1 GHz {@code monotonic} clock, one stream per CPU ({@code channel0_N},
 * packet context {@code cpu_id}), LTTng's compact event header, and LTTng's kernel event and field names
 * ({@link LttngNames}).
 *
 * <p>The CPU buffers are merged in time order (so that state such as thread-to-process ids follows the events),
 * each record written to its CPU's stream. The most frequent event types get the smallest ids, so their records use
 * the compact header. Events the kernel lost are written as discarded events: the packet is closed where the kernel
 * flagged the loss and the next packet's {@code events_discarded} counts them; losses the kernel counted but did
 * not flag in a page are added at the end of the CPU's stream. Memory use is one page per CPU plus the writer's
 * packet buffers.
 */
final class CtfConverter {

    /** What was written. */
    record Result(Path trace, long events, long discarded, Map<String, Long> countsByName, long unknownRecords) {
    }

    /** The LTTng-modules version whose event layouts the trace follows (lttng-analyses reads it). */
    static final int[] TRACER_VERSION = {2, 13, 0};
    private static final int STATEDUMP_CPU = 0;

    private CtfConverter() {
    }

    static Result convert(Capture cap, Statedump statedump, Path out, int packetSize) {
        EventMapping[] byType = new EventMapping[1 << 16]; // by event type id (common_type is 16 bits)
        List<EventMapping> mappings = new ArrayList<>();
        for (EventFormat f : cap.formats) {
            if (f.id < 0 || f.id >= byType.length) {
                throw new FtraceException(cap.dir.resolve("formats").resolve(f.system).resolve(f.name)
                        + ": event id " + f.id + " is out of range");
            }
            EventMapping m = LttngNames.map(f);
            byType[f.id] = m;
            mappings.add(m);
        }
        int cpus = cap.cpus;
        for (int cpu = 0;; cpu++) {
            if (!Files.exists(cap.cpuFile(cpu))) {
                cpus = Math.max(cpus, cpu);
                break;
            }
        }

        // pass 1: how often each event type occurs (to give the frequent ones compact headers)
        long[] counts = new long[1 << 16]; // by event type id (common_type is 16 bits)
        for (int cpu = 0; cpu < cpus; cpu++) {
            if (!Files.exists(cap.cpuFile(cpu))) {
                continue;
            }
            try (RingBufferReader r = new RingBufferReader(cap.cpuFile(cpu), cap.header, cap.pageSize,
                    cap.byteOrder)) {
                while (r.next()) {
                    int type = r.page().getShort(r.dataOffset()) & 0xffff;
                    counts[type]++;
                }
            }
        }

        List<EventMapping> ordered = new ArrayList<>();
        for (EventMapping m : mappings) {
            if (!m.internal) {
                ordered.add(m);
            }
        }
        ordered.sort(Comparator.<EventMapping>comparingLong(m -> -counts[m.format.id])
                .thenComparing(m -> m.ctfName));
        Set<String> usedNames = new HashSet<>();
        Map<EventMapping, String> names = new LinkedHashMap<>();
        for (EventMapping m : ordered) {
            String n = m.ctfName;
            if (!usedNames.add(n)) {
                n = m.format.system + "_" + m.ctfName;
                usedNames.add(n);
            }
            names.put(m, n);
        }

        Statedump sd = statedump;
        UUID clockUuid = UUID.randomUUID();
        long off = cap.clockOffsetNs;
        ClockClass clock = new ClockClass("monotonic", "Monotonic Clock", 1_000_000_000L,
                Math.floorDiv(off, 1_000_000_000L), Math.floorMod(off, 1_000_000_000L), 0, true, clockUuid, null);
        TraceSchema.Builder tb = TraceSchema.builder().clock(clock);
        tb.env("hostname", cap.env.getOrDefault("hostname", "localhost"));
        tb.env("domain", "kernel");
        tb.env("sysname", cap.env.getOrDefault("sysname", "Linux"));
        tb.env("kernel_release", cap.env.getOrDefault("kernel_release", ""));
        tb.env("kernel_version", cap.env.getOrDefault("kernel_version", ""));
        tb.env("tracer_name", "lttng-modules");
        tb.env("tracer_major", TRACER_VERSION[0]);
        tb.env("tracer_minor", TRACER_VERSION[1]);
        tb.env("tracer_patchlevel", TRACER_VERSION[2]);
        tb.env("trace_buffering_scheme", "global");
        tb.env("trace_name", cap.env.getOrDefault("trace_name", ""));
        tb.env("trace_creation_datetime", cap.env.getOrDefault("trace_creation_datetime", ""));
        tb.env("tracestream_recorder", "ftrace");
        tb.env("tracestream_trace_clock", cap.traceClock);

        final int statedumpClasses = sd != null ? 5 : 0;
        tb.stream("channel0", s -> {
            s.header(TraceSchema.Header.COMPACT);
            // every ftrace record names its thread: LTTng's pid and tid contexts come for free
            s.commonContext(f -> f.i32("pid").i32("tid"));
            for (Map.Entry<EventMapping, String> e : names.entrySet()) {
                s.event(e.getValue(), e.getKey()::declare);
            }
            if (statedumpClasses > 0) {
                s.event("lttng_statedump_start", f -> { });
                s.event("lttng_statedump_process_state", f -> f.i32("tid").i32("vtid").i32("pid").i32("vpid")
                        .i32("ppid").i32("vppid").textArray("name", EventMapping.COMM_LEN).i32("type").i32("mode")
                        .i32("submode").i32("status").i32("ns_level").u32("ns_inum").i32("cpu").i32("prio"));
                s.event("lttng_statedump_file_descriptor", f -> f.i32("pid").i32("fd").u32("flags").u32("fmode")
                        .string("filename"));
                s.event("lttng_statedump_block_device", f -> f.u32("dev").string("diskname"));
                s.event("lttng_statedump_end", f -> { });
            }
        });
        TraceClass tc = tb.build();
        StreamClass sc = tc.streamClass(0);
        int id = 0;
        for (EventMapping m : names.keySet()) {
            m.eventClass = sc.eventClass(id++);
        }
        EventClass[] sdClasses = new EventClass[statedumpClasses];
        for (int i = 0; i < statedumpClasses; i++) {
            sdClasses[i] = sc.eventClass(id++);
        }

        KernelState state = new KernelState();
        if (sd != null) {
            state.pidNamespaceInode = sd.pidNamespaceInode;
            for (Statedump.ProcessState p : sd.processes) {
                state.seed(p.tid(), p.pid());
            }
        }

        long[] written = new long[names.size() + statedumpClasses];
        long events = 0;
        long discarded = 0;
        long unknown = 0;
        Record rec = new Record();
        StreamWriter[] streams = new StreamWriter[cpus];
        long[] lastTs = new long[cpus];
        long[] reportedLost = new long[cpus];
        try (CtfWriter w = CtfWriter.builder(out, tc).packetSize(packetSize).build()) {
            PriorityQueue<Source> queue = new PriorityQueue<>(Comparator.comparingLong((Source s) -> s.time)
                    .thenComparingInt(s -> s.cpu));
            List<RingBufferReader> readers = new ArrayList<>();
            try {
                for (int cpu = 0; cpu < cpus; cpu++) {
                    if (!Files.exists(cap.cpuFile(cpu))) {
                        continue;
                    }
                    RingBufferReader r = new RingBufferReader(cap.cpuFile(cpu), cap.header, cap.pageSize,
                            cap.byteOrder);
                    readers.add(r);
                    Source s = new Source(cpu, r, null);
                    if (s.advance()) {
                        queue.add(s);
                    } else if (r.trailingLost() != 0) {
                        long n = r.trailingLost() < 0 ? 1 : r.trailingLost();
                        stream(w, sc, streams, cpu).discardEvents(n);
                        reportedLost[cpu] += n;
                        discarded += n;
                    }
                }
                if (sd != null) {
                    Source s = new Source(STATEDUMP_CPU, null, new StatedumpIterator(sd));
                    if (s.advance()) {
                        queue.add(s);
                    }
                }
                while (!queue.isEmpty()) {
                    Source s = queue.poll();
                    int cpu = s.cpu;
                    StreamWriter sw = stream(w, sc, streams, cpu);
                    long ts = Math.max(s.time, lastTs[cpu]);
                    lastTs[cpu] = ts;
                    if (s.reader != null) {
                        RingBufferReader r = s.reader;
                        long lost = r.lostBefore();
                        if (lost != 0) {
                            long n = lost < 0 ? 1 : lost;
                            sw.flushPacket();
                            sw.discardEvents(n);
                            reportedLost[cpu] += n;
                            discarded += n;
                        }
                        rec.set(r.page(), r.dataOffset(), r.dataLength(), ts, cpu);
                        EventMapping m = byType[rec.type()];
                        if (m == null) {
                            unknown++;
                        } else if (m.internal) {
                            for (EventMapping.Column c : m.columns) {
                                c.write(rec, null, state);
                            }
                        } else {
                            EventBuilder b = sw.beginEvent(m.eventClass, ts);
                            int tid = rec.commonPid();
                            b.integer(state.tgid(tid)).integer(tid);
                            m.write(rec, b, state);
                            events++;
                            written[(int) m.eventClass.id()]++;
                        }
                    } else {
                        s.statedump.write(sw, sdClasses, ts, state);
                        events++;
                        written[s.statedump.classIndex() + names.size()]++;
                    }
                    if (s.advance()) {
                        queue.add(s);
                    } else if (s.reader != null && s.reader.trailingLost() != 0) {
                        long n = s.reader.trailingLost() < 0 ? 1 : s.reader.trailingLost();
                        sw.flushPacket(); // the loss follows the last packet
                        sw.discardEvents(n);
                        reportedLost[cpu] += n;
                        discarded += n;
                    }
                }
            } finally {
                for (RingBufferReader r : readers) {
                    r.close();
                }
            }
            // every stream lasts until tracing stopped, as LTTng's do (readers that intersect the streams' time
            // ranges, like lttng-analyses, would otherwise cut the trace at the last event of the idlest CPU)
            for (int cpu = 0; cpu < cpus; cpu++) {
                if (streams[cpu] != null && cap.stopNs > lastTs[cpu]
                        && cap.kernelLost.getOrDefault(cpu, 0L) <= reportedLost[cpu]) {
                    streams[cpu].packetEndTimestamp(cap.stopNs);
                }
            }
            // losses the kernel counted (per_cpu/cpuN/stats) beyond those flagged in the pages
            for (Map.Entry<Integer, Long> e : cap.kernelLost.entrySet()) {
                int cpu = e.getKey();
                if (cpu >= 0 && cpu < cpus && e.getValue() > reportedLost[cpu]) {
                    long n = e.getValue() - reportedLost[cpu];
                    StreamWriter sw = stream(w, sc, streams, cpu);
                    sw.flushPacket(); // counted at the end: after the last packet
                    sw.discardEvents(n);
                    discarded += n;
                }
            }
        }
        Map<String, Long> countsByName = new LinkedHashMap<>();
        for (int i = 0; i < written.length; i++) {
            if (written[i] > 0) {
                countsByName.put(sc.eventClass(i).name(), written[i]);
            }
        }
        return new Result(out, events, discarded, countsByName, unknown);
    }

    private static StreamWriter stream(CtfWriter w, StreamClass sc, StreamWriter[] streams, int cpu) {
        if (streams[cpu] == null) {
            streams[cpu] = w.openStream(sc, cpu);
        }
        return streams[cpu];
    }

    /** One input of the time-ordered merge: a CPU buffer or the state dump. */
    private static final class Source {
        final int cpu;
        final RingBufferReader reader;
        final StatedumpIterator statedump;
        long time;

        Source(int cpu, RingBufferReader reader, StatedumpIterator statedump) {
            this.cpu = cpu;
            this.reader = reader;
            this.statedump = statedump;
        }

        boolean advance() {
            if (reader != null) {
                if (!reader.next()) {
                    return false;
                }
                time = reader.timestamp();
                return true;
            }
            if (!statedump.next()) {
                return false;
            }
            time = statedump.time();
            return true;
        }
    }

    /** The state dump's events in order: start, threads, files, block devices, end. */
    private static final class StatedumpIterator {
        private final Statedump sd;
        private int phase = -1; // 0 start, 1 processes, 2 files, 3 devices, 4 end
        private int index;

        StatedumpIterator(Statedump sd) {
            this.sd = sd;
        }

        boolean next() {
            if (phase < 0) {
                phase = 0;
                return true;
            }
            index++;
            while (phase <= 4) {
                int size = switch (phase) {
                    case 0, 4 -> 1;
                    case 1 -> sd.processes.size();
                    case 2 -> sd.files.size();
                    case 3 -> sd.blockDevices.size();
                    default -> 0;
                };
                if (index < size) {
                    return true;
                }
                phase++;
                index = 0;
                if (phase == 4) {
                    return true;
                }
            }
            return false;
        }

        long time() {
            if (sd.stamp >= 0) {
                return sd.stamp;
            }
            return switch (phase) {
                case 0 -> sd.start;
                case 1 -> sd.processes.get(index).time();
                case 2 -> sd.files.get(index).time();
                case 3 -> sd.blockDevices.get(index).time();
                default -> sd.end;
            };
        }

        /** Index of the current event's class among the state dump classes. */
        int classIndex() {
            return Math.min(phase, 4);
        }

        void write(StreamWriter sw, EventClass[] classes, long ts, KernelState state) {
            switch (phase) {
                case 0 -> sw.beginEvent(classes[0], ts).i32(sd.recorderPid).i32(sd.recorderPid).end();
                case 1 -> {
                    Statedump.ProcessState p = sd.processes.get(index);
                    sw.beginEvent(classes[1], ts).i32(sd.recorderPid).i32(sd.recorderPid)
                            .i32(p.tid()).i32(p.tid()).i32(p.pid()).i32(p.pid()).i32(p.ppid()).i32(p.ppid())
                            .string(p.name()).i32(p.type()).i32(0).i32(0).i32(p.status()).i32(0)
                            .u32(state.pidNamespaceInode & 0xffffffffL).i32(p.cpu()).i32(p.prio()).end();
                }
                case 2 -> {
                    Statedump.FileDescriptor f = sd.files.get(index);
                    sw.beginEvent(classes[2], ts).i32(sd.recorderPid).i32(sd.recorderPid)
                            .i32(f.pid()).i32(f.fd()).u32(f.flags() & 0xffffffffL).u32(0).string(f.filename()).end();
                }
                case 3 -> {
                    Statedump.BlockDevice d = sd.blockDevices.get(index);
                    sw.beginEvent(classes[3], ts).i32(sd.recorderPid).i32(sd.recorderPid)
                            .u32(d.dev() & 0xffffffffL).string(d.name()).end();
                }
                default -> sw.beginEvent(classes[4], ts).i32(sd.recorderPid).i32(sd.recorderPid).end();
            }
        }
    }
}
