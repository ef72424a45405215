package io.tracestream.analyses.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.kstate.LttngAnalyses;
import io.tracestream.ctf.testing.SharedTraces;

import java.nio.file.Path;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code memtop} against lttng-analyses 0.6.1 ({@code lttng-memtop}, {@code lttng-memtop-mi}): identical output. */
class MemTopOracleTest {
    private static Path bug446190;

    @BeforeAll
    static void traces() {
        bug446190 = SharedTraces.path("tracecompass/bug446190");
        LttngAnalyses.assumeInstalled();
        // start every oracle run of this class now (2 at a time, in the background; the tests wait for theirs)
        for (String[] args : new String[][] {{}, {"--limit", "3"},
                {"--begin", "08:36:03.000000000", "--end", "08:36:05.500000000"}, {"--procname", "sh,lttng"},
                {"--tid", "496,525"}, {"--cpu", "0,2"}}) {
            LttngAnalyses.startText("memtop", bug446190, args);
            LttngAnalyses.startMi("memtop", bug446190, args);
        }
    }

    private static void same(AnalysisConfig config, String... args) {
        AnalysisResult r = LttngAnalyses.ours("memtop", bug446190, config);
        assertEquals(LttngAnalyses.text("memtop", bug446190, args), LttngAnalyses.text(r));
        assertEquals(LttngAnalyses.mi("memtop", bug446190, args), LttngAnalyses.json(r));
    }

    @Test
    void wholeTrace() {
        // 504 mm_page_alloc, 351 mm_page_free: pages of idle CPUs and before a CPU's first sched_switch count for
        // nobody, and frees count only while the global allocated-minus-freed counter is positive
        same(AnalysisConfig.defaults());
    }

    @Test
    void top3() {
        same(AnalysisConfig.defaults().withTop(3), "--limit", "3");
    }

    @Test
    void timeRange() {
        same(AnalysisConfig.defaults().withRange(1412670963000000000L, 1412670965500000000L),
                "--begin", "08:36:03.000000000", "--end", "08:36:05.500000000");
    }

    @Test
    void processFilters() {
        same(AnalysisConfig.defaults().withProcNames(Set.of("sh", "lttng")), "--procname", "sh,lttng");
        same(AnalysisConfig.defaults().withTids(Set.of(496L, 525L)), "--tid", "496,525");
    }

    @Test
    void windowsAddUpToTheWholeRange() {
        AnalysisResult whole = LttngAnalyses.ours("memtop", bug446190, AnalysisConfig.defaults());
        AnalysisResult windows = LttngAnalyses.ours("memtop", bug446190,
                AnalysisConfig.defaults().withWindow(1_000_000_000L));
        assertEquals(7, windows.periods().size()); // a 6.0 s trace in 1 s windows
        long allocd = 0;
        long freed = 0;
        for (AnalysisResult.Period p : windows.periods()) {
            for (var t : p.tables()) {
                if (t.tableClass().name().equals("total")) {
                    allocd += ((io.tracestream.analyses.Value.Num) t.get(0, "allocd")).longValue();
                    freed += ((io.tracestream.analyses.Value.Num) t.get(0, "freed")).longValue();
                }
            }
        }
        var total = whole.table(0, "total");
        assertEquals(((io.tracestream.analyses.Value.Num) total.get(0, "allocd")).longValue(), allocd);
        assertEquals(((io.tracestream.analyses.Value.Num) total.get(0, "freed")).longValue(), freed);
    }

    @Test
    void cpuFilter() {
        same(AnalysisConfig.defaults().withCpus(Set.of(0L, 2L)), "--cpu", "0,2");
    }

    @Test
    void splitsGiveTheSameResults() {
        AnalysisResult one = LttngAnalyses.ours("memtop", bug446190, AnalysisConfig.defaults());
        AnalysisResult three = LttngAnalyses.ours("memtop", bug446190, AnalysisConfig.defaults(), 3);
        assertEquals(LttngAnalyses.json(one), LttngAnalyses.json(three));
    }
}
