package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.ProcessResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thread and CPU state model on a written kernel trace without tid contexts: the current thread of a CPU comes
 * from sched_switch only (events before a CPU's first sched_switch belong to no thread), names and pids from the
 * statedump, both syscall naming schemes, per-thread state intervals; and the analyses' numbers on this trace equal
 * lttng-analyses'.
 */
class StateModelTest {
    static final long S = KernelTraceWriter.S;

    static Path write(Path dir) throws Exception {
        try (KernelTraceWriter w = new KernelTraceWriter(dir)) {
            w.cpu(0);
            w.cpu(1);
            // both streams start at S (stream intersection)
            w.statedump(0, S, 100, 100, "server");
            w.statedump(0, S + 1, 101, 100, "server");
            w.event(1, "sched_waking", S).string("x").i32(5).i32(20).i32(1).end();
            w.event(0, "syscall_entry_openat", 11 * S / 10).i32(-100).string("/etc/passwd").i32(0).u16(0).end();
            w.event(0, "syscall_exit_openat", 11 * S / 10 + 500).i64(3).end();
            w.schedSwitch(0, 13 * S / 10, "swapper/0", 0, 0, "server", 100);
            w.event(0, "sys_read", 14 * S / 10).u32(3).u64(0).u64(4096).end();
            w.event(0, "exit_syscall", 14 * S / 10 + 2500).i64(4096).end();
            w.schedSwitch(0, 16 * S / 10, "server", 100, 1, "swapper/0", 0);
            w.wakeup(1, 17 * S / 10, "server", 100, 0);
            w.event(1, "irq_handler_entry", 175 * S / 100).i32(5).string("eth0").end();
            w.event(1, "irq_handler_exit", 175 * S / 100 + 1234).i32(5).i32(1).end();
            w.event(1, "softirq_raise", 176 * S / 100).u32(3).end();
            w.event(1, "softirq_entry", 177 * S / 100).u32(3).end();
            w.event(1, "softirq_exit", 178 * S / 100).u32(3).end();
            w.schedSwitch(0, 18 * S / 10, "swapper/0", 0, 0, "server", 100);
            w.schedSwitch(0, 19 * S / 10, "server", 100, 2, "server", 101);
            w.schedSwitch(0, 2 * S, "server", 101, 0, "swapper/0", 0);
            w.event(1, "softirq_raise", 2 * S).u32(1).end();
        }
        return dir;
    }

    @Test
    void currentThreadSyscallsAndStates(@TempDir Path dir) throws Exception {
        Path trace = write(dir);
        KernelState state = new KernelState(false);
        List<String> syscalls = new ArrayList<>();
        List<String> states = new ArrayList<>();
        long[] currentBeforeFirstSwitch = {0};
        state.addListener(new KernelListener() {
            @Override
            public void syscallExit(long ts, long cpu, ThreadInfo t, KernelEvent e) {
                syscalls.add(t.tid() + ":" + t.syscall() + ":" + (ts - t.syscallBegin()) + ":" + e.getLong("ret"));
            }

            @Override
            public void threadState(long tid, ThreadState from, long since, ThreadState to, long ts, long cpu) {
                states.add(tid + ":" + from.label() + "->" + to.label() + "@" + ts);
            }
        });
        KernelEvent view = new KernelEvent();
        try (TraceSet set = TraceSet.open(ReadOptions.defaults(), trace)) {
            for (EventRecord r : set.events()) {
                view.set(r, r.timestamp());
                if (view.kind() == KernelEvent.Kind.SYSCALL_ENTRY && view.syscallName().equals("openat")) {
                    currentBeforeFirstSwitch[0] = state.threadOf(view);
                }
                state.process(view);
            }
        }
        assertEquals(ThreadInfo.NONE, currentBeforeFirstSwitch[0], "no thread before the CPU's first sched_switch");
        assertEquals(List.of("100:read:2500:4096"), syscalls);
        ThreadInfo t101 = state.thread(101);
        assertNotNull(t101);
        assertEquals("server", t101.comm());
        assertEquals(100, t101.pid());
        assertEquals(List.of("5:unknown->runnable@1000000000", "100:unknown->running@1300000000", "100:running->blocked@1600000000",
                "100:blocked->runnable@1700000000", "100:runnable->running@1800000000",
                "100:running->blocked-io@1900000000", "101:unknown->running@1900000000",
                "101:running->runnable@2000000000"), states);
        assertEquals(ThreadInfo.NONE, state.currentTid(0), "CPU 0 idle at the end");
    }

    @Test
    void threadStatesTable(@TempDir Path dir) throws Exception {
        Path trace = write(dir);
        List<AnalysisResult> r = new LocalEngine().run(List.of(trace), List.of(Analyses.byName("threadstates")),
                AnalysisConfig.defaults().withFlags(Set.of(ThreadStatesAnalysis.FLAG_INTERVALS)));
        ResultTable t = r.get(0).table(0, "thread-states");
        // tid 100: running 0.3 + 0.1 s, blocked 0.1 s, runnable 0.1 s, blocked on I/O 0.1 s (to the period end)
        List<Value> row = t.rows().get(1); // rows by tid: 5 (woken only), 100, 101
        assertEquals(new Value.Process("server", 100, 100), row.get(0));
        assertEquals(List.of(400_000_000L, 100_000_000L, 100_000_000L, 100_000_000L, 0L, 0L),
                row.subList(1, row.size()).stream().map(v -> ((Value.Num) v).longValue()).toList());
        assertEquals(7, r.get(0).table(0, "thread-state-intervals").rows().size());
    }

    @Test
    void analysesEqualLttngAnalysesOnThisTrace(@TempDir Path dir) throws Exception {
        LttngAnalyses.assumeAvailable();
        Path trace = write(dir.resolve("t"));
        for (String name : OracleComparisonTest.ANALYSES) {
            LttngAnalyses.start(name, true, trace, List.of());
            LttngAnalyses.start(name, false, trace, List.of());
        }
        for (String name : OracleComparisonTest.ANALYSES) {
            ProcessResult mi = LttngAnalyses.run(name, true, trace, List.of());
            ProcessResult text = LttngAnalyses.run(name, false, trace, List.of());
            assertEquals(0, mi.exitCode(), mi.stderr());
            assertEquals(mi.stdout().strip(), Render.lami(trace, AnalysisConfig.defaults(), name), name);
            assertEquals(text.stdout(), Render.text(trace, AnalysisConfig.defaults(), name), name);
        }
    }
}
