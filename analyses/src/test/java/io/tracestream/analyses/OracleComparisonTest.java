package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Our cputop, schedstats, schedtop and irqstats against lttng-analyses 0.6.1 on real kernel traces: text output byte
 * for byte, LAMI JSON byte for byte (numbers included: floats are printed as Python prints them).
 *
 * <p>many-threads (8 CPUs, 4.3 s of lttng-analyses per command) uses the oracle outputs stored with the shared
 * traces ({@code lttng-analyses/oracle/many-threads}, made by the same lttng-analyses 0.6.1); the other traces run
 * the installed oracle (cached for the test run).
 */
class OracleComparisonTest {
    static final List<String> ANALYSES = List.of("cputop", "schedstats", "schedtop", "irqstats");

    /** A trace and the lttng-analyses options it needs. */
    record Case(String name, String path, List<String> lttngArgs, AnalysisConfig config) {
    }

    static List<Case> liveCases() {
        AnalysisConfig d = AnalysisConfig.defaults();
        return List.of(
                new Case("bug446190", "tracecompass/bug446190", List.of(), d),
                // a time range: the state before --begin still counts (names, current threads, pending wakeups)
                new Case("bug446190 [03.25, 05.5]", "tracecompass/bug446190",
                        List.of("--begin", "2014-10-07 08:36:03.250000000", "--end", "2014-10-07 08:36:05.500000000"),
                        d.withRange(java.time.Instant.parse("2014-10-07T08:36:03.25Z").toEpochMilli() * 1_000_000L,
                                java.time.Instant.parse("2014-10-07T08:36:05.5Z").toEpochMilli() * 1_000_000L)),
                new Case("multi-domains", "babeltrace/ctf-traces-master/1/succeed/multi-domains/kernel", List.of(),
                        d),
                // lttng-analyses (babeltrace 1) finds no stream intersection in this trace: see LttngAnalysesQuirksTest
                new Case("tracefile-rotation", "babeltrace/ctf-traces-master/1/succeed/lttng-tracefile-rotation/kernel",
                        List.of("--no-intersection"), d.withIntersection(false)));
    }

    @TestFactory
    List<DynamicTest> storedOracleOnManyThreads() throws IOException {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        Path oracle = SharedTraces.path("lttng-analyses/oracle/many-threads");
        List<DynamicTest> tests = new ArrayList<>();
        // one engine run for all four analyses: they share one pass
        List<AnalysisResult> results = new LocalEngine().run(List.of(trace),
                ANALYSES.stream().map(Analyses::byName).toList(), AnalysisConfig.defaults());
        for (int i = 0; i < ANALYSES.size(); i++) {
            String name = ANALYSES.get(i);
            AnalysisResult r = results.get(i);
            String text = Files.readString(oracle.resolve(name + ".txt"), StandardCharsets.UTF_8);
            String json = Files.readString(oracle.resolve(name + ".json"), StandardCharsets.UTF_8);
            tests.add(dynamicTest(name + " text", () -> assertEquals(text, Render.text(List.of(r)))));
            tests.add(dynamicTest(name + " json", () -> assertEquals(json.strip(), Render.lami(List.of(r)))));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> liveOracle() {
        SharedTraces.assumeAvailable();
        LttngAnalyses.assumeAvailable();
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : liveCases()) {
            Path trace = SharedTraces.path(c.path());
            for (String name : ANALYSES) {
                if (textToo(c)) {
                    LttngAnalyses.start(name, false, trace, c.lttngArgs());
                }
                LttngAnalyses.start(name, true, trace, c.lttngArgs());
            }
        }
        for (Case c : liveCases()) {
            Path trace = SharedTraces.path(c.path());
            List<AnalysisResult> results = new LocalEngine().run(List.of(trace),
                    ANALYSES.stream().map(Analyses::byName).toList(), c.config());
            for (int i = 0; i < ANALYSES.size(); i++) {
                String name = ANALYSES.get(i);
                AnalysisResult r = results.get(i);
                if (textToo(c)) {
                    tests.add(dynamicTest(c.name() + " " + name + " text", () -> {
                        ProcessResult o = LttngAnalyses.run(name, false, trace, c.lttngArgs());
                        assertEquals(0, o.exitCode(), () -> "lttng-" + name + " failed: " + o.stderr());
                        assertEquals(o.stdout(), Render.text(List.of(r)));
                    }));
                }
                tests.add(dynamicTest(c.name() + " " + name + " json", () -> {
                    ProcessResult o = LttngAnalyses.run(name, true, trace, c.lttngArgs());
                    assertEquals(0, o.exitCode(), () -> "lttng-" + name + "-mi failed: " + o.stderr());
                    assertEquals(o.stdout().strip(), Render.lami(List.of(r)));
                }));
            }
        }
        return tests;
    }

    /**
     * Whether the case also compares the text output. Text and LAMI print the same tables; the text layout is compared
     * on the stored many-threads outputs and on bug446190's whole trace, the other cases (ranges, trace shapes) only
     * change the numbers, which LAMI compares exactly: one slow oracle run per analysis instead of two.
     */
    private static boolean textToo(Case c) {
        return c.name().equals("bug446190");
    }

    /** The many-threads results are not empty: the comparison above compares real numbers. */
    @Test
    void manyThreadsHasData() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        List<AnalysisResult> r = new LocalEngine().run(List.of(trace), List.of(Analyses.byName("schedstats")),
                AnalysisConfig.defaults());
        assertTrue(r.get(0).table(0, "per_tid_stats").rows().size() > 400);
    }
}
