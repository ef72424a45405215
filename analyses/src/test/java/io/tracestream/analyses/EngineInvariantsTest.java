package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The engine gives the same results however the work is cut: one or many splits per stream (each split resuming
 * from the Java-serialized state of the previous one, as a task of a distributed engine would), one or many threads;
 * and windows partition the totals.
 */
class EngineInvariantsTest {
    static final List<Analysis> MINE = List.of(Analyses.byName("cputop"), Analyses.byName("schedstats"),
            Analyses.byName("schedtop"), Analyses.byName("irqstats"), Analyses.byName("threadstates"));

    private static String all(Path trace, AnalysisConfig c, LocalEngine e) {
        return Lami.results(e.run(List.of(trace), MINE, c));
    }

    @Test
    void splitsAndThreadsDoNotChangeResults() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        AnalysisConfig c = AnalysisConfig.defaults().withFlags(java.util.Set.of(SchedAnalysis.FLAG_TOTAL,
                SchedAnalysis.FLAG_PER_PRIO, SchedAnalysis.FLAG_PER_TID));
        String reference = all(trace, c, new LocalEngine().parallelism(1));
        assertEquals(reference, all(trace, c, new LocalEngine().parallelism(4).splitsPerStream(5)));
    }

    @Test
    void splitsWithWindowsAndRange() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        List<AnalysisResult> whole = new LocalEngine().run(List.of(trace), MINE, AnalysisConfig.defaults());
        long b = whole.get(0).periods().get(0).begin();
        long e = whole.get(0).periods().get(0).end();
        AnalysisConfig c = AnalysisConfig.defaults().withRange(b + (e - b) / 5, e - (e - b) / 5)
                .withWindow((e - b) / 7);
        assertEquals(all(trace, c, new LocalEngine()), all(trace, c, new LocalEngine().splitsPerStream(4)));
    }

    @Test
    void windowsPartitionCountsAndTimes() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        List<Analysis> a = List.of(Analyses.byName("irqstats"), Analyses.byName("schedstats"),
                Analyses.byName("threadstates"));
        AnalysisConfig total = AnalysisConfig.defaults().withFlags(java.util.Set.of(SchedAnalysis.FLAG_TOTAL));
        List<AnalysisResult> whole = new LocalEngine().run(List.of(trace), a, total);
        List<AnalysisResult> windows = new LocalEngine().run(List.of(trace), a, total.withWindow(50_000_000L));
        assertTrue(windows.get(0).periods().size() >= 8, "windows: " + windows.get(0).periods().size());
        // windows tile the range
        List<AnalysisResult.Period> ps = windows.get(1).periods();
        assertEquals(whole.get(1).periods().get(0).begin(), ps.get(0).begin());
        assertEquals(whole.get(1).periods().get(0).end(), ps.get(ps.size() - 1).end());
        for (int i = 1; i < ps.size(); i++) {
            assertEquals(ps.get(i - 1).end(), ps.get(i).begin());
        }
        // IRQ counts add up (an IRQ belongs to the window of its exit)
        assertEquals(count(whole.get(0), "hard-stats"), count(windows.get(0), "hard-stats"));
        // schedulings add up
        assertEquals(count(whole.get(1), "total_stats"), count(windows.get(1), "total_stats"));
        // thread state times add up exactly (intervals are cut at window boundaries)
        assertEquals(sumDurations(whole.get(2)), sumDurations(windows.get(2)));
    }

    private static long count(AnalysisResult r, String tableClass) {
        long n = 0;
        for (int p = 0; p < r.periods().size(); p++) {
            ResultTable t = r.table(p, tableClass);
            if (t == null) {
                continue;
            }
            for (int i = 0; i < t.rows().size(); i++) {
                n += ((Value.Num) t.get(i, "count")).longValue();
            }
        }
        return n;
    }

    private static long sumDurations(AnalysisResult r) {
        long n = 0;
        for (int p = 0; p < r.periods().size(); p++) {
            for (List<Value> row : r.table(p, "thread-states").rows()) {
                for (Value v : row.subList(1, row.size())) {
                    n += ((Value.Num) v).longValue();
                }
            }
        }
        return n;
    }
}
