package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates synthetic kernel-like CTF traces for tests and benchmarks: {@code N} events spread over {@code K}
 * streams ({@code channel0_0} ... one per "CPU"), of five event classes: {@code sched_switch} (text arrays and
 * integers, 40% of events), {@code syscall_entry_openat} (a string), {@code syscall_exit_openat},
 * {@code syscall_entry_generic} (a sequence of 64-bit hex arguments and a static array) and
 * {@code irq_handler_entry}. The content is pseudo-random but fully determined by the seed, so two runs with the
 * same options write byte-identical traces (except the random trace UUID unless one is given).
 *
 * <p>Streams are written in parallel, one thread per stream (up to {@link Builder#threads(int)}), as per-CPU
 * tracers do. Run {@code java io.tracestream.ctf.write.TraceGenerator DIR EVENTS [STREAMS]} from the command line.
 */
public final class TraceGenerator {
    private static final String[] COMMS = {"swapper/0", "bash", "sshd", "kworker/0:1", "java", "lttng-consumerd",
        "systemd", "rcu_sched", "chrome", "Xorg", "pulseaudio", "ksoftirqd/1"};
    private static final String[] FILES = {"/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/proc/self/stat",
        "/usr/share/locale/locale.alias", "/home/user/.bashrc", "/dev/null", "/sys/devices/system/cpu/online",
        "/tmp/some/rather/long/path/to/a/file/that/was/opened/by/the/application.txt"};
    private static final String[] IRQS = {"eth0", "ahci", "i915", "xhci_hcd", "timer"};

    private final Builder options;

    private TraceGenerator(Builder options) {
        this.options = options;
    }

    /** Starts configuring a generator writing into {@code dir}. */
    public static Builder builder(Path dir) {
        return new Builder(dir);
    }

    /** What {@link Builder#generate()} wrote. */
    public record Result(Path directory, TraceClass traceClass, long events, long bytes, long packets,
                         long nanos) {
        /** Events written per second of wall time. */
        public double eventsPerSecond() {
            return events * 1e9 / Math.max(1, nanos);
        }
    }

    /** Generator options. */
    public static final class Builder {
        private final Path dir;
        private long events = 1_000_000;
        private int streams = 4;
        private int threads = Runtime.getRuntime().availableProcessors();
        private int packetSize = 256 * 1024;
        private long seed = 1;
        private java.util.UUID uuid;
        private TraceSchema.Header header = TraceSchema.Header.COMPACT;
        private CtfWriter.MetadataFormat format = CtfWriter.MetadataFormat.CTF_1_8;
        private long startTimestamp = 1_000_000_000L;
        private long meanGap = 500;

        private Builder(Path dir) {
            this.dir = dir;
        }

        /** Total number of events (default 1 M). */
        public Builder events(long n) {
            this.events = n;
            return this;
        }

        /** Number of streams (default 4). */
        public Builder streams(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("at least one stream");
            }
            this.streams = k;
            return this;
        }

        /** Writer threads (default: available processors; at most one per stream). */
        public Builder threads(int n) {
            this.threads = Math.max(1, n);
            return this;
        }

        public Builder packetSize(int bytes) {
            this.packetSize = bytes;
            return this;
        }

        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        /** Trace UUID (default random). */
        public Builder uuid(java.util.UUID u) {
            this.uuid = u;
            return this;
        }

        /** Event header layout (default LTTng compact). */
        public Builder header(TraceSchema.Header h) {
            this.header = h;
            return this;
        }

        public Builder metadataFormat(CtfWriter.MetadataFormat f) {
            this.format = f;
            return this;
        }

        /** Mean gap between two events of a stream, in clock cycles (ns; default 500). */
        public Builder meanGap(long cycles) {
            this.meanGap = Math.max(1, cycles);
            return this;
        }

        public Result generate() {
            return new TraceGenerator(this).run();
        }
    }

    /** The trace class the generator writes (1 GHz {@code monotonic} clock, one {@code channel0} stream class). */
    public static TraceClass schema(TraceSchema.Header header, java.util.UUID uuid) {
        TraceSchema.Builder b = TraceSchema.builder().env("hostname", "generator").env("domain", "kernel")
                .env("tracer_name", "tracestream").env("tracer_major", 2).env("tracer_minor", 13)
                .clock("monotonic", 1_000_000_000L, 1_600_000_000L, 0, true);
        if (uuid != null) {
            b.uuid(uuid);
        }
        return b.stream("channel0", s -> s.header(header)
                        .event("sched_switch", e -> e.textArray("prev_comm", 16).i32("prev_tid").i32("prev_prio")
                                .i64("prev_state").textArray("next_comm", 16).i32("next_tid").i32("next_prio"))
                        .event("syscall_entry_openat", e -> e.i32("dfd").string("filename").i32("flags").u16("mode"))
                        .event("syscall_exit_openat", e -> e.i64("ret"))
                        .event("syscall_entry_generic", e -> e.i32("id").u8("nargs")
                                .sequence("args", hex(e), "nargs").array("regs", e.uintType(16), 4))
                        .event("irq_handler_entry", e -> e.i32("irq").string("name")))
                .build();
    }

    private static io.tracestream.ctf.meta.IntegerClass hex(TraceSchema.Fields e) {
        return e.uintType(64).toBuilder().base(16).build();
    }

    private Result run() {
        Builder o = options;
        TraceClass tc = schema(o.header, o.uuid);
        long start = System.nanoTime();
        long[] bytes = new long[o.streams];
        long[] packets = new long[o.streams];
        try (CtfWriter w = CtfWriter.builder(o.dir, tc).packetSize(o.packetSize).metadataFormat(o.format).build()) {
            StreamClass sc = tc.streamClass(0);
            List<StreamWriter> streams = new ArrayList<>();
            for (int i = 0; i < o.streams; i++) {
                streams.add(w.openStream(sc, i));
            }
            int threads = Math.min(o.threads, o.streams);
            if (threads <= 1) {
                for (int i = 0; i < o.streams; i++) {
                    writeStream(streams.get(i), sc, i, bytes, packets);
                }
            } else {
                ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                    Thread t = new Thread(r, "trace-generator");
                    t.setDaemon(true);
                    return t;
                });
                try {
                    List<Future<?>> fs = new ArrayList<>();
                    for (int i = 0; i < o.streams; i++) {
                        int idx = i;
                        fs.add(pool.submit(() -> writeStream(streams.get(idx), sc, idx, bytes, packets)));
                    }
                    for (Future<?> f : fs) {
                        f.get();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable c = e.getCause();
                    throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
                } finally {
                    pool.shutdownNow();
                }
            }
        }
        long total = 0;
        long pk = 0;
        for (int i = 0; i < o.streams; i++) {
            total += bytes[i];
            pk += packets[i];
        }
        return new Result(o.dir, tc, o.events, total, pk, System.nanoTime() - start);
    }

    private void writeStream(StreamWriter s, StreamClass sc, int cpu, long[] bytes, long[] packets) {
        Builder o = options;
        long n = o.events / o.streams + (cpu < o.events % o.streams ? 1 : 0);
        EventClass sw = sc.eventClass(0);
        EventClass openEntry = sc.eventClass(1);
        EventClass openExit = sc.eventClass(2);
        EventClass generic = sc.eventClass(3);
        EventClass irq = sc.eventClass(4);
        byte[][] comms = new byte[COMMS.length][];
        for (int i = 0; i < COMMS.length; i++) {
            comms[i] = COMMS[i].getBytes(StandardCharsets.UTF_8);
        }
        long x = o.seed * 0x9E3779B97F4A7C15L + cpu * 0xBF58476D1CE4E5B9L + 1;
        long ts = o.startTimestamp + cpu;
        long gapMask = Long.highestOneBit(o.meanGap * 2) - 1;
        int prevTid = cpu == 0 ? 0 : 1000 + cpu;
        for (long i = 0; i < n; i++) {
            // xorshift64*
            x ^= x >>> 12;
            x ^= x << 25;
            x ^= x >>> 27;
            long r = x * 0x2545F4914F6CDD1DL;
            ts += 1 + ((r >>> 20) & gapMask);
            int kind = (int) (((r >>> 32) * 10) >>> 32); // uniform 0..9 without a division
            switch (kind) {
                case 0, 1, 2, 3 -> {
                    int next = (int) ((r >>> 40) & 0xFFF);
                    s.beginEvent(sw, ts).bytes(comms[prevTid & 7]).i32(prevTid).i32(120)
                            .i64((r >>> 8) & 1).bytes(comms[next & 7]).i32(next).i32(120).end();
                    prevTid = next;
                }
                case 4, 5 -> s.beginEvent(openEntry, ts).i32(-100).string(FILES[(int) ((r >>> 32) & 7)])
                        .i32((int) (r >>> 50) & 0x7FFF).u16(0644).end();
                case 6, 7 -> s.beginEvent(openExit, ts).i64((r >>> 60) == 0 ? -2 : (r >>> 48) & 0x3FF).end();
                case 8 -> {
                    int nargs = (int) ((r >>> 44) & 7) % 7;
                    EventBuilder b = s.beginEvent(generic, ts).i32((int) (r >>> 52) & 0x1FF).u8(nargs);
                    for (int a = 0; a < nargs; a++) {
                        b.u64(r + a * 0x1000);
                    }
                    b.u16(1).u16(2).u16(3).u16(4).end();
                }
                default -> s.beginEvent(irq, ts).i32((int) (r >>> 58)).string(IRQS[(int) ((r >>> 29) & 3)]).end();
            }
        }
        s.close();
        bytes[cpu] = s.bytesWritten();
        packets[cpu] = s.packetCount();
    }

    /** {@code TraceGenerator DIR EVENTS [STREAMS]}: writes a trace and prints what it wrote and how fast. */
    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: TraceGenerator DIR EVENTS [STREAMS]");
            System.exit(2);
        }
        Builder b = builder(Path.of(args[0])).events(Long.parseLong(args[1]));
        if (args.length > 2) {
            b.streams(Integer.parseInt(args[2]));
        }
        Result r = b.generate();
        System.out.printf("%s: %d events, %d streams, %d packets, %.1f MB in %.3f s: %.2f M events/s, %.0f MB/s%n",
                r.directory(), r.events(), b.streams, r.packets(), r.bytes() / 1e6, r.nanos() / 1e9,
                r.eventsPerSecond() / 1e6, r.bytes() / 1e6 / (r.nanos() / 1e9));
    }
}
