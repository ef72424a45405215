package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where lttng-analyses 0.6.1 is wrong or fails, shown against the installed tool; what we do instead.
 */
class LttngAnalysesQuirksTest {
    static final long S = KernelTraceWriter.S;

    /**
     * cputop counts a CPU as busy from the period start to its first sched_switch even when that switch leaves the
     * idle thread (it also lists the idle thread, tid 0, as a process). Here CPU 1 is idle from 1 s to 1.9 s and
     * runs thread 200 for 0.1 s: lttng-analyses says CPU 1 was 100 % busy; the truth (our {@code corrected} flag,
     * and the thread state model) is 10 %.
     */
    @Test
    void cputopCountsAnIdleCpuAsBusyUntilItsFirstSwitch(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("idle");
        try (KernelTraceWriter w = new KernelTraceWriter(trace)) {
            w.schedSwitch(0, S, "swapper/0", 0, 0, "busy", 100);
            w.wakeup(1, S, "late", 200, 1);
            w.schedSwitch(1, 19 * S / 10, "swapper/1", 0, 0, "late", 200);
            w.schedSwitch(1, 2 * S, "late", 200, 1, "swapper/1", 0);
            w.schedSwitch(0, 2 * S, "busy", 100, 1, "swapper/0", 0);
        }
        AnalysisConfig compat = AnalysisConfig.defaults();
        List<AnalysisResult> ours = new LocalEngine().run(List.of(trace), List.of(Analyses.byName("cputop")), compat);
        ResultTable perCpu = ours.get(0).table(0, "per-cpu");
        assertEquals(1.0, ((Value.Num) perCpu.get(1, "usage")).asDouble(), "lttng-analyses-compatible: CPU 1 100 %");

        if (LttngAnalyses.available()) {
            ProcessResult o = LttngAnalyses.run("cputop", true, trace, List.of());
            assertEquals(0, o.exitCode(), o.stderr());
            assertTrue(o.stdout().contains("{\"class\": \"cpu\", \"id\": 1}, {\"class\": \"ratio\", \"value\": 1.0}"),
                    o.stdout());
            assertEquals(o.stdout().strip(), Render.lami(ours));
        }

        List<AnalysisResult> fixed = new LocalEngine().run(List.of(trace), List.of(Analyses.byName("cputop")),
                compat.withFlags(Set.of(CputopAnalysis.FLAG_CORRECTED)));
        ResultTable fixedCpu = fixed.get(0).table(0, "per-cpu");
        assertEquals(0.1, ((Value.Num) fixedCpu.get(1, "usage")).asDouble(), 1e-12);
        assertEquals(1.0, ((Value.Num) fixedCpu.get(0, "usage")).asDouble(), 1e-12);
        ResultTable fixedTids = fixed.get(0).table(0, "per-process");
        for (List<Value> row : fixedTids.rows()) {
            assertNotEquals(0L, ((Value.Process) row.get(0)).tid(), "the idle thread is not a process");
        }
    }

    /**
     * A trace written with tracefile rotation: babeltrace 1 (which lttng-analyses reads with) sees each file of a
     * rotated stream as its own stream and finds no stream intersection; lttng-analyses refuses the trace unless
     * {@code --no-intersection}. Chunks of one stream are one stream (babeltrace2's view): we analyse its real
     * intersection.
     */
    @Test
    void rotatedTraceHasAnIntersection() {
        LttngAnalyses.assumeAvailable();
        Path trace = SharedTraces.path("babeltrace/ctf-traces-master/1/succeed/lttng-tracefile-rotation/kernel");
        ProcessResult o = LttngAnalyses.run("cputop", false, trace, List.of());
        assertTrue(o.stdout().isEmpty() && (o.exitCode() != 0 || o.stderr().contains("no intersection")),
                o.stderr());
        assertTrue(o.stderr().contains("Trace has no intersection"), o.stderr());
        List<AnalysisResult> r = new LocalEngine().run(List.of(trace), List.of(Analyses.byName("cputop")),
                AnalysisConfig.defaults());
        assertFalse(r.get(0).periods().isEmpty());
        assertTrue(r.get(0).table(0, "per-process").rows().size() > 0);
    }

    /**
     * scp_src goes back in time across streams (an event of channel0_0 is older than one already delivered):
     * lttng-analyses stops with the unrelated "Cannot run analysis: 'tid'", babeltrace2 with a muxer error; we stop
     * with one line naming the stream file, the offset and the two times.
     */
    @Test
    void nonMonotonicTraceFailsClearly() {
        Path trace = SharedTraces.path("tracecompass/scp_src");
        CtfException e = assertThrows(CtfException.class, () -> new LocalEngine().run(List.of(trace),
                List.of(Analyses.byName("cputop")), AnalysisConfig.defaults()));
        assertTrue(e.getMessage().contains("channel0_0") && e.getMessage().contains("offset")
                && e.getMessage().contains("before the previous message"), e.getMessage());
        if (LttngAnalyses.available()) {
            ProcessResult o = LttngAnalyses.run("cputop", false, trace, List.of());
            assertTrue(o.stderr().contains("Cannot run analysis: 'tid'"), o.stderr());
        }
    }
}
