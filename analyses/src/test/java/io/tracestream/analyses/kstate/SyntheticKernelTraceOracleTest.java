package io.tracestream.analyses.kstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;
import io.tracestream.ctf.write.TraceSchema;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules of the kernel model that real traces exercise little, on a kernel trace written with our CTF writer and
 * read by both lttng-analyses (babeltrace 1) and us: statedump threads and file descriptors (close-on-exec), open,
 * dup2 over an open descriptor, fcntl(F_DUPFD), reads on unknown descriptors, failed reads, socket + IPv4 connect
 * naming the socket, a send during which a packet leaves (network I/O), a thread using its process's descriptors, a
 * fork copying them, exec closing close-on-exec ones, splice (ignored), block requests through a partition remap, a
 * completion with a wrong sector count (ignored), page allocations and frees, and a CPU whose thread is unknown.
 */
class SyntheticKernelTraceOracleTest {
    @TempDir
    static Path dir;
    private static Path trace;

    private static final long O_CLOEXEC = 0x80000;
    private static final long SDA = 8L << 20;
    private static final long SDA1 = (8L << 20) | 1;
    private static final long SDB = (8L << 20) | 16;

    @BeforeAll
    static void write() throws Exception {
        LttngAnalyses.assumeInstalled();
        Map<String, Consumer<TraceSchema.Fields>> events = new java.util.LinkedHashMap<>();
        events.put("sched_switch", f -> f.string("prev_comm").i32("prev_tid").i32("prev_prio").i64("prev_state")
                .string("next_comm").i32("next_tid").i32("next_prio"));
        events.put("sched_process_fork", f -> f.string("parent_comm").i32("parent_tid").i32("parent_pid")
                .string("child_comm").i32("child_tid").i32("child_pid"));
        events.put("sched_process_exec", f -> f.string("filename").i32("tid").i32("old_tid"));
        events.put("lttng_statedump_process_state", f -> f.i32("tid").i32("pid").string("name"));
        events.put("lttng_statedump_file_descriptor", f -> f.i32("pid").i32("fd").u32("flags").string("filename"));
        events.put("lttng_statedump_block_device", f -> f.u32("dev").string("diskname"));
        events.put("syscall_entry_open", f -> f.string("filename").i32("flags").u16("mode"));
        events.put("syscall_exit_open", f -> f.i64("ret"));
        events.put("syscall_entry_read", f -> f.u32("fd").u64("count"));
        events.put("syscall_exit_read", f -> f.i64("ret"));
        events.put("syscall_entry_write", f -> f.u32("fd").u64("count"));
        events.put("syscall_exit_write", f -> f.i64("ret"));
        events.put("syscall_entry_dup2", f -> f.u32("oldfd").u32("newfd"));
        events.put("syscall_exit_dup2", f -> f.i64("ret"));
        events.put("syscall_entry_fcntl", f -> f.u32("fd").u32("cmd").u64("arg"));
        events.put("syscall_exit_fcntl", f -> f.i64("ret"));
        events.put("syscall_entry_close", f -> f.u32("fd"));
        events.put("syscall_exit_close", f -> f.i64("ret"));
        events.put("syscall_entry_socket", f -> f.i32("family").i32("type").i32("protocol"));
        events.put("syscall_exit_socket", f -> f.i64("ret"));
        events.put("syscall_entry_connect", f -> f.i32("fd").i32("family").u16("dport")
                .array("v4addr", f.uintType(8), 4));
        events.put("syscall_exit_connect", f -> f.i64("ret"));
        events.put("syscall_entry_sendto", f -> f.i32("fd").u64("len"));
        events.put("syscall_exit_sendto", f -> f.i64("ret"));
        events.put("syscall_entry_fsync", f -> f.u32("fd"));
        events.put("syscall_exit_fsync", f -> f.i64("ret"));
        events.put("syscall_entry_splice", f -> f.i32("fd_in").i32("fd_out").u64("len"));
        events.put("syscall_exit_splice", f -> f.i64("ret"));
        events.put("syscall_entry_getpid", f -> { });
        events.put("syscall_exit_getpid", f -> f.i64("ret"));
        events.put("block_bio_remap", f -> f.u32("dev").u64("sector").u32("old_dev").u64("old_sector"));
        events.put("block_rq_issue", f -> f.u32("dev").u64("sector").u32("nr_sector").u32("rwbs").i32("tid"));
        events.put("block_rq_complete", f -> f.u32("dev").u64("sector").u32("nr_sector").u32("rwbs"));
        events.put("net_dev_xmit", f -> f.string("name").u32("len"));
        events.put("netif_receive_skb", f -> f.string("name").u32("len"));
        events.put("mm_page_alloc", f -> f.u32("order"));
        events.put("mm_page_free", f -> f.u32("order"));
        TraceClass tc = TraceSchema.builder().env("domain", "kernel").env("tracer_name", "lttng-modules")
                .env("tracer_major", 2).env("tracer_minor", 12).env("tracer_patchlevel", 0)
                .env("hostname", "synth").clock("monotonic", 1_000_000_000L, 1_700_000_000L, 0, true)
                .stream("channel0", s -> events.forEach(s::event))
                .build();
        trace = dir.resolve("kernel");
        StreamClass sc = tc.streamClass(0);
        Map<String, EventClass> byName = new HashMap<>();
        for (EventClass ec : sc.eventClasses()) {
            byName.put(ec.name(), ec);
        }
        try (CtfWriter w = CtfWriter.builder(trace, tc).packetSize(4096).build()) {
            StreamWriter cpu0 = w.openStream(sc, 0);
            cpu0.packetContext("cpu_id", 0);
            StreamWriter cpu1 = w.openStream(sc, 1);
            cpu1.packetContext("cpu_id", 1);
            Writer c0 = new Writer(cpu0, byName);
            Writer c1 = new Writer(cpu1, byName);
            c1.ev("syscall_entry_read", 3, 10); // CPU 1 never switches a thread in: nobody's
            c0.ev("lttng_statedump_process_state", 100, 100, "app");
            c0.ev("lttng_statedump_process_state", 101, 100, "app-worker");
            c0.ev("lttng_statedump_file_descriptor", 100, 3, 0, "/etc/passwd");
            c0.ev("lttng_statedump_file_descriptor", 100, 4, O_CLOEXEC, "/tmp/cloexec");
            c0.ev("lttng_statedump_block_device", SDA, "sda");
            c1.ev("syscall_exit_read", 10);
            c1.ev("mm_page_alloc", 0);
            c0.ev("sched_switch", "swapper/0", 0, 20, 0, "app", 100, 20);
            c0.call("open", new Object[] {"/data/file", 0, 0}, 5, 3_000);
            c0.call("read", new Object[] {5, 100}, 100, 2_000);
            c0.call("read", new Object[] {3, 100}, 50, 1_500);
            c0.call("dup2", new Object[] {5, 3}, 3, 700);
            c0.call("read", new Object[] {3, 10}, 10, 800);
            c0.call("fcntl", new Object[] {5, 0, 0}, 6, 400);
            c0.call("fcntl", new Object[] {5, 1, 0}, 1, 300);
            c0.call("write", new Object[] {6, 7}, 7, 1_200);
            c0.call("read", new Object[] {99, 1}, 1, 600);
            c0.call("read", new Object[] {5, 64}, -11, 5_000);
            c0.call("socket", new Object[] {2, 1, 0}, 7, 900);
            c0.call("connect", new Object[] {7, 2, 80, 10, 0, 0, 1}, 0, 20_000);
            c0.ev("syscall_entry_sendto", 7, 20);
            c0.ev("net_dev_xmit", "eth0", 74);
            c0.ev("syscall_exit_sendto", 20);
            c0.call("write", new Object[] {4, 5}, 5, 1_000);
            c0.call("fsync", new Object[] {5}, 0, 40_000);
            c0.call("splice", new Object[] {5, 7, 4096}, 4096, 9_000);
            c0.call("getpid", new Object[] {}, 100, 100);
            c0.ev("mm_page_alloc", 0);
            c0.ev("mm_page_alloc", 0);
            c0.ev("sched_switch", "app", 100, 20, 1, "app-worker", 101, 20);
            c0.call("read", new Object[] {5, 30}, 30, 2_500);
            c0.ev("block_bio_remap", SDA, 2048, SDA1, 0);
            c0.ev("block_rq_issue", SDA, 2048, 8, 1, 101);
            c0.ev("mm_page_free", 0);
            c0.ev("block_rq_issue", SDB, 64, 16, 0, 101);
            c0.ev("block_rq_complete", SDA, 2048, 8, 1);
            c0.ev("block_rq_complete", SDB, 64, 8, 0); // wrong sector count: ignored
            c0.ev("sched_process_fork", "app", 100, 100, "app", 102, 102);
            c0.ev("sched_switch", "app-worker", 101, 20, 1, "app", 102, 20);
            c0.call("read", new Object[] {5, 3}, 3, 1_100);
            c0.ev("sched_process_exec", "/bin/other", 102, 102);
            c0.call("write", new Object[] {4, 1}, 1, 900);
            c0.call("close", new Object[] {5}, 0, 500);
            c0.call("read", new Object[] {5, 8}, -9, 300);
            c0.ev("mm_page_alloc", 0);
            c0.ev("mm_page_free", 0);
            c0.ev("mm_page_free", 0);
            c0.ev("mm_page_free", 0);
            c0.ev("mm_page_free", 0);
            c0.ev("netif_receive_skb", "eth0", 1500);
            c0.ev("netif_receive_skb", "lo", 60);
            c0.ev("block_rq_issue", SDB, 128, 24, 0, 102);
            c0.ev("block_rq_complete", SDB, 128, 24, 0);
            c0.ev("sched_switch", "app", 102, 20, 0, "swapper/0", 0, 20);
            c1.ev("mm_page_free", 0);
        }
    }

    /** Writes the events of one CPU with increasing timestamps. */
    private static final class Writer {
        private static long now = 1_000_000;
        private final StreamWriter s;
        private final Map<String, EventClass> classes;

        Writer(StreamWriter s, Map<String, EventClass> classes) {
            this.s = s;
            this.classes = classes;
        }

        void ev(String name, Object... values) {
            now += 1_000;
            put(name, now, values);
        }

        void call(String syscall, Object[] args, long ret, long duration) {
            now += 1_000;
            put("syscall_entry_" + syscall, now, args);
            now += duration;
            put("syscall_exit_" + syscall, now, new Object[] {ret});
        }

        private void put(String name, long ts, Object[] values) {
            EventBuilder b = s.beginEvent(classes.get(name), ts);
            for (Object v : values) {
                if (v instanceof String str) {
                    b.string(str);
                } else {
                    b.integer(((Number) v).longValue());
                }
            }
            b.end();
        }
    }

    private static void same(String name, String... args) {
        AnalysisConfig config = AnalysisConfig.defaults().withIntersection(false);
        AnalysisResult r = LttngAnalyses.ours(name, trace, config);
        String[] all = new String[args.length + 1];
        all[0] = "--no-intersection";
        System.arraycopy(args, 0, all, 1, args.length);
        String lttng = LttngAnalyses.text(name, trace, all);
        if (name.equals("syscallstats")) {
            lttng = io.tracestream.analyses.syscalls.ReturnCounts.corrected(lttng);
        }
        assertEquals(lttng, LttngAnalyses.text(r), name);
    }

    @Test
    void syscallstats() {
        same("syscallstats");
    }

    @Test
    void iolatencystats() {
        same("iolatencystats");
    }

    @Test
    void iolatencytop() {
        same("iolatencytop", "--limit", "9");
    }

    @Test
    void iousagetop() {
        same("iousagetop");
        String ours = LttngAnalyses.text(LttngAnalyses.ours("iousagetop", trace,
                AnalysisConfig.defaults().withIntersection(false)));
        assertTrue(ours.contains("10.0.0.1:80"), ours); // the connected socket is named by its peer
        // a request issued through a remap counts for the remap's old device (the partition), as in lttng-analyses
        assertTrue(ours.contains("8 sectors (8,1)"), ours);
    }

    @Test
    void memtop() {
        same("memtop");
    }
}
