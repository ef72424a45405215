package io.tracestream.analyses.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.kstate.LttngAnalyses;
import io.tracestream.ctf.testing.SharedTraces;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code iolatencystats}, {@code iolatencytop} and {@code iousagetop} against lttng-analyses 0.6.1 on real kernel
 * traces and its integration tests' expected outputs. Two documented differences: a top table has {@code --top N}
 * rows (lttng-analyses prints N+1, so we compare with its {@code --limit N-1}), and "out of range?" is a boolean
 * (lttng-analyses writes {@code null} when no time range is given).
 */
class IoOracleTest {
    private static final String NULL_BOOL = "{\"class\": \"bool\", \"value\": null}";
    private static final String FALSE_BOOL = "{\"class\": \"bool\", \"value\": false}";
    private static Path manyThreads;
    private static Path bug446190;

    @BeforeAll
    static void traces() {
        manyThreads = SharedTraces.path("tracecompass/many-threads");
        bug446190 = SharedTraces.path("tracecompass/bug446190");
        LttngAnalyses.assumeInstalled();
        // start the oracle runs on bug446190 now (2 at a time, in the background; the tests wait for theirs)
        String[] range = {"--begin", "08:36:03.000000000", "--end", "08:36:05.500000000"};
        String[][] runs = {{"iolatencystats", range[0], range[1], range[2], range[3]},
                {"iolatencystats", "--min", "10", "--max", "1000"},
                {"iolatencytop", "--limit", "2", range[0], range[1], range[2], range[3]},
                {"iousagetop", "--limit", "3"}, {"iousagetop", range[0], range[1], range[2], range[3]}};
        for (String[] run : runs) {
            String[] args = java.util.Arrays.copyOfRange(run, 1, run.length);
            LttngAnalyses.startText(run[0], bug446190, args);
            LttngAnalyses.startMi(run[0], bug446190, args);
        }
        LttngAnalyses.startText("iolatencytop", bug446190, "--limit", "3");
    }

    private static void same(String name, Path trace, AnalysisConfig config, String... args) {
        AnalysisResult r = LttngAnalyses.ours(name, trace, config);
        assertEquals(LttngAnalyses.text(name, trace, args), LttngAnalyses.text(r), name + " text");
        assertEquals(LttngAnalyses.mi(name, trace, args).replace(NULL_BOOL, FALSE_BOOL), LttngAnalyses.json(r),
                name + " LAMI");
    }

    /** The text output only (the big trace: one oracle run instead of two; the LAMI path is tested elsewhere). */
    private static void sameText(String name, Path trace, AnalysisConfig config, String... args) {
        AnalysisResult r = LttngAnalyses.ours(name, trace, config);
        assertEquals(LttngAnalyses.text(name, trace, args), LttngAnalyses.text(r), name + " text");
    }

    /** The LAMI output only. */
    private static void sameLami(String name, Path trace, AnalysisConfig config, String... args) {
        AnalysisResult r = LttngAnalyses.ours(name, trace, config);
        assertEquals(LttngAnalyses.mi(name, trace, args).replace(NULL_BOOL, FALSE_BOOL), LttngAnalyses.json(r),
                name + " LAMI");
    }

    @Test
    void latencyStatsManyThreads() {
        sameLami("iolatencystats", manyThreads, AnalysisConfig.defaults());
    }

    @Test
    void latencyStatsOldNamingAndTimeRange() {
        same("iolatencystats", bug446190, AnalysisConfig.defaults().withRange(1412670963000000000L,
                1412670965500000000L), "--begin", "08:36:03.000000000", "--end", "08:36:05.500000000");
    }

    @Test
    void latencyStatsDurationFilter() {
        same("iolatencystats", bug446190, AnalysisConfig.defaults().withDurations(10_000, 1_000_000), "--min", "10",
                "--max", "1000");
    }

    @Test
    void noIntersectionOnARotatedTrace() {
        // lttng-tracefile-rotation: its streams do not overlap, lttng-analyses needs --no-intersection
        Path rotation = SharedTraces.path("babeltrace/ctf-traces-master/1/succeed/lttng-tracefile-rotation/kernel");
        for (String name : new String[] {"iolatencystats", "iousagetop"}) {
            same(name, rotation, AnalysisConfig.defaults().withIntersection(false), "--no-intersection");
        }
    }

    @Test
    void latencyTopManyThreads() {
        // our --top 11 = lttng-analyses' default --limit 10 (it prints limit + 1 rows): the stored oracle output
        sameText("iolatencytop", manyThreads, AnalysisConfig.defaults().withTop(11));
    }

    @Test
    void latencyTopTimeRange() {
        same("iolatencytop", bug446190, AnalysisConfig.defaults().withTop(3).withRange(1412670963000000000L,
                1412670965500000000L), "--limit", "2", "--begin", "08:36:03.000000000", "--end",
                "08:36:05.500000000");
    }

    @Test
    void lttngTopPrintsOneRowMoreThanItsLimit() {
        String lttng = LttngAnalyses.text("iolatencytop", bug446190, "--limit", "3");
        String ours = LttngAnalyses.text(LttngAnalyses.ours("iolatencytop", bug446190,
                AnalysisConfig.defaults().withTop(3)));
        // the read table: 4 rows in lttng-analyses, 3 in ours
        assertEquals(4, rows(lttng, "Top system call latencies read"));
        assertEquals(3, rows(ours, "Top system call latencies read"));
    }

    @Test
    void lttngOutOfRangeIsNullWithoutTimeRange() {
        // "System call out of range?" is a bool column; lttng-analyses writes null there unless --begin/--end are
        // given (its test is `begin_ts and ... or end_ts and ...` with None); we write false
        Path trace = SharedTraces.path("lttng-analyses/generated/io/kernel");
        String lttng = LttngAnalyses.mi("iolatencytop", trace, "--no-intersection");
        String ours = LttngAnalyses.json(LttngAnalyses.ours("iolatencytop", trace,
                AnalysisConfig.defaults().withIntersection(false)));
        assertTrue(lttng.contains(NULL_BOOL) && !lttng.contains(FALSE_BOOL), lttng);
        assertTrue(ours.contains(FALSE_BOOL) && !ours.contains(NULL_BOOL), ours);
        assertEquals(lttng.replace(NULL_BOOL, FALSE_BOOL), ours);
    }

    private static int rows(String text, String title) {
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].startsWith(title)) {
                int n = 0;
                for (int j = i + 2; j < lines.length && lines[j].startsWith("["); j++) {
                    n++;
                }
                return n;
            }
        }
        return -1;
    }

    @Test
    void usageManyThreads() {
        sameLami("iousagetop", manyThreads, AnalysisConfig.defaults());
    }

    @Test
    void usageOldNamingWithNetworkAndLimit() {
        same("iousagetop", bug446190, AnalysisConfig.defaults().withTop(3), "--limit", "3");
    }

    @Test
    void usageTimeRange() {
        same("iousagetop", bug446190, AnalysisConfig.defaults().withRange(1412670963000000000L,
                1412670965500000000L), "--begin", "08:36:03.000000000", "--end", "08:36:05.500000000");
    }

    @Test
    void threadFiltersKeepTheSameRowsForThoseThreads() {
        // not in lttng-analyses: --tid/--procname on I/O keep exactly the rows of the unfiltered run for those threads
        AnalysisConfig all = AnalysisConfig.defaults().withTop(0);
        AnalysisConfig some = all.withTids(java.util.Set.of(482L, 403L));
        AnalysisResult a = LttngAnalyses.ours("iousagetop", bug446190, all);
        AnalysisResult s = LttngAnalyses.ours("iousagetop", bug446190, some);
        for (String sub : new String[] {"read", "written"}) {
            java.util.List<java.util.List<io.tracestream.analyses.Value>> expected = new java.util.ArrayList<>();
            for (var row : table(a, "per-process-top", sub).rows()) {
                long tid = ((io.tracestream.analyses.Value.Process) row.get(0)).tid();
                if (tid == 482 || tid == 403) {
                    expected.add(row);
                }
            }
            assertEquals(2, expected.size());
            assertEquals(expected, table(s, "per-process-top", sub).rows(), sub);
        }
    }

    private static io.tracestream.analyses.ResultTable table(AnalysisResult r, String cls, String subtitle) {
        for (var t : r.periods().get(0).tables()) {
            if (t.tableClass().name().equals(cls) && subtitle.equals(t.subtitle())) {
                return t;
            }
        }
        throw new AssertionError("no table " + cls + " [" + subtitle + "]");
    }

    @Test
    void splitsGiveTheSameResults() {
        for (String name : new String[] {"iolatencystats", "iolatencytop", "iousagetop"}) {
            AnalysisResult one = LttngAnalyses.ours(name, bug446190, AnalysisConfig.defaults());
            AnalysisResult four = LttngAnalyses.ours(name, bug446190, AnalysisConfig.defaults(), 4);
            assertEquals(LttngAnalyses.json(one), LttngAnalyses.json(four), name);
        }
    }

    /** lttng-analyses' own integration tests: synthetic trace, expected text (run with --no-intersection). */
    @Test
    void lttngAnalysesIntegrationExpectedOutputs() throws Exception {
        Path trace = SharedTraces.path("lttng-analyses/generated/io/kernel");
        AnalysisConfig config = AnalysisConfig.defaults().withIntersection(false);
        for (String name : new String[] {"iolatencytop", "iousagetop"}) {
            String expected = Files.readString(SharedTraces.path("lttng-analyses/expected/" + name + ".txt"));
            String ours = LttngAnalyses.text(LttngAnalyses.ours(name, trace, config));
            // the expected files were saved without the final newline(s) the command prints
            assertEquals(expected.stripTrailing(), ours.stripTrailing(), name);
            assertTrue(ours.startsWith("Timerange: [1970-01-01 00:00:01.000000000, 1970-01-01 00:00:01.024000000]"));
        }
    }
}
