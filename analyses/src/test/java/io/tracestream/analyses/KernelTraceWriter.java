package io.tracestream.analyses;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;
import io.tracestream.ctf.write.TraceSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes small LTTng-like kernel traces (the lttng-modules 2.13 field layout of the events the analyses use, one
 * stream per CPU with {@code cpu_id} in the packet context) with the project's CTF writer, for scenarios the real
 * traces lack. lttng-analyses and babeltrace read them.
 */
final class KernelTraceWriter implements AutoCloseable {
    static final long S = 1_000_000_000L;
    private final TraceClass tc;
    private final StreamClass sc;
    private final CtfWriter writer;
    private final Map<Long, StreamWriter> cpus = new TreeMap<>();
    private final Map<String, EventClass> classes = new HashMap<>();

    KernelTraceWriter(Path dir) throws IOException {
        tc = TraceSchema.builder().env("hostname", "box").env("domain", "kernel").env("sysname", "Linux")
                .env("tracer_name", "lttng-modules").env("tracer_major", 2).env("tracer_minor", 13)
                .env("tracer_patchlevel", 0).clock("monotonic", S)
                .stream("channel0", s -> s.header(TraceSchema.Header.COMPACT)
                        .event("sched_switch", e -> e.textArray("prev_comm", 16).i32("prev_tid").i32("prev_prio")
                                .i64("prev_state").textArray("next_comm", 16).i32("next_tid").i32("next_prio"))
                        .event("sched_wakeup", e -> e.textArray("comm", 16).i32("tid").i32("prio")
                                .i32("target_cpu"))
                        .event("sched_waking", e -> e.textArray("comm", 16).i32("tid").i32("prio")
                                .i32("target_cpu"))
                        .event("sched_migrate_task", e -> e.textArray("comm", 16).i32("tid").i32("prio")
                                .i32("orig_cpu").i32("dest_cpu"))
                        .event("sched_process_fork", e -> e.textArray("parent_comm", 16).i32("parent_tid")
                                .i32("parent_pid").i32("parent_ns_inum").textArray("child_comm", 16)
                                .i32("child_tid").i32("child_pid"))
                        .event("sched_process_exec", e -> e.string("filename").i32("tid").i32("old_tid"))
                        .event("lttng_statedump_process_state", e -> e.i32("tid").i32("vtid").i32("pid")
                                .i32("vpid").i32("ppid").i32("vppid").textArray("name", 16).i32("type")
                                .i32("mode").i32("submode").i32("status").u32("ns_level"))
                        .event("irq_handler_entry", e -> e.i32("irq").string("name"))
                        .event("irq_handler_exit", e -> e.i32("irq").i32("ret"))
                        .event("softirq_raise", e -> e.u32("vec"))
                        .event("softirq_entry", e -> e.u32("vec"))
                        .event("softirq_exit", e -> e.u32("vec"))
                        .event("syscall_entry_openat", e -> e.i32("dfd").string("filename").i32("flags")
                                .u16("mode"))
                        .event("syscall_exit_openat", e -> e.i64("ret"))
                        .event("sys_read", e -> e.u32("fd").u64("buf").u64("count"))
                        .event("exit_syscall", e -> e.i64("ret")))
                .build();
        sc = tc.streamClass(0);
        for (EventClass ec : sc.eventClasses()) {
            classes.put(ec.name(), ec);
        }
        writer = CtfWriter.builder(dir, tc).packetSize(4096).build();
    }

    /** Declares a CPU (its stream file), so that it exists even before its first event. */
    StreamWriter cpu(long cpu) {
        return cpus.computeIfAbsent(cpu, c -> writer.openStream(sc, c));
    }

    /** A second stream file (instance id {@code instance}) whose packets say they hold CPU {@code cpu}'s events. */
    StreamWriter extraStream(long instance, long cpu) {
        return cpus.computeIfAbsent(instance, c -> {
            StreamWriter w = writer.openStream(sc, c);
            w.packetContext("cpu_id", cpu);
            return w;
        });
    }

    EventBuilder event(long cpu, String name, long ts) {
        return cpu(cpu).beginEvent(classes.get(name), ts);
    }

    void schedSwitch(long cpu, long ts, String prevComm, long prevTid, long prevState, String nextComm, long nextTid) {
        event(cpu, "sched_switch", ts).string(prevComm).i32((int) prevTid).i32(20).i64(prevState).string(nextComm)
                .i32((int) nextTid).i32(20).end();
    }

    void wakeup(long cpu, long ts, String comm, long tid, long targetCpu) {
        event(cpu, "sched_wakeup", ts).string(comm).i32((int) tid).i32(20).i32((int) targetCpu).end();
    }

    void statedump(long cpu, long ts, long tid, long pid, String name) {
        event(cpu, "lttng_statedump_process_state", ts).i32((int) tid).i32((int) tid).i32((int) pid)
                .i32((int) pid).i32(1).i32(1).string(name).i32(0).i32(5).i32(0).i32(1).u32(0).end();
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
