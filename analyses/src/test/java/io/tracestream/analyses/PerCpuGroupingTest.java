package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.ctf.testing.ProcessResult;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Per-CPU analyses (irqstats) run one task per CPU, not per stream file: with two channels, one CPU's events are in
 * two files (here an IRQ enters in one channel and exits in the other), and the task must see both in time order.
 */
class PerCpuGroupingTest {
    static final long S = KernelTraceWriter.S;

    @Test
    void twoChannelsOfOneCpuAreOnePartition(@TempDir Path dir) throws Exception {
        Path trace = dir.resolve("kernel2ch");
        try (KernelTraceWriter w = new KernelTraceWriter(trace)) {
            w.cpu(0);
            w.cpu(1);
            w.extraStream(2, 0); // a second file holding CPU 0 events
            w.event(0, "irq_handler_entry", S).i32(7).string("nvme").end();
            w.event(2, "irq_handler_exit", S + 3000).i32(7).i32(1).end();
            w.event(1, "irq_handler_entry", S + 10).i32(7).string("nvme").end();
            w.event(1, "irq_handler_exit", S + 1010).i32(7).i32(1).end();
            w.event(2, "softirq_raise", S + 4000).u32(3).end();
            w.event(0, "softirq_entry", S + 5000).u32(3).end();
            w.event(2, "softirq_exit", S + 9000).u32(3).end();
            w.event(0, "irq_handler_entry", 2 * S).i32(7).string("nvme").end();
            w.event(2, "irq_handler_exit", 2 * S + 2000).i32(7).i32(1).end();
            w.event(1, "irq_handler_entry", 2 * S).i32(9).string("eth").end();
            w.event(1, "irq_handler_exit", 2 * S + 1).i32(9).i32(1).end();
        }
        AnalysisConfig all = AnalysisConfig.defaults().withIntersection(false); // the files start at other times
        List<AnalysisResult> r = new LocalEngine().splitsPerStream(2).run(List.of(trace),
                List.of(Analyses.byName("irqstats")), all);
        ResultTable hard = r.get(0).table(0, "hard-stats");
        assertEquals(3L, ((Value.Num) hard.get(0, "count")).longValue(), "IRQ 7: two on CPU 0 (across files), one on 1");
        assertEquals(1000L, ((Value.Num) hard.get(0, "min_duration")).longValue());
        assertEquals(3000L, ((Value.Num) hard.get(0, "max_duration")).longValue());
        ResultTable soft = r.get(0).table(0, "soft-stats");
        assertEquals(1000L, ((Value.Num) soft.get(0, "min_latency")).longValue(), "raise in one file, entry in other");
        if (LttngAnalyses.available()) {
            ProcessResult o = LttngAnalyses.run("irqstats", true, trace, List.of("--no-intersection"));
            assertEquals(0, o.exitCode(), o.stderr());
            assertEquals(o.stdout().strip(), Render.lami(r));
        }
    }
}
