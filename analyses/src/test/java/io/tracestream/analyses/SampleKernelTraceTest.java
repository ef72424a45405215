package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SampleTraces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every analysis on the project's own kernel trace ({@code testdata/sample-kernel/kernel}, recorded on this kind of
 * machine with {@code tracestream record-kernel}), against lttng-analyses 0.6.1: LAMI JSON byte for byte. Runs without
 * {@code ../shared}.
 */
class SampleKernelTraceTest {
    /**
     * The analyses lttng-analyses computes right: not syscallstats (its return-value counts are one too high) nor
     * iolatencytop (one row more than its limit); both are shown against the oracle in their own tests.
     */
    static final List<String> ANALYSES =
            List.of("cputop", "schedstats", "schedtop", "irqstats", "iolatencystats", "iousagetop", "memtop");

    @TestFactory
    List<DynamicTest> sameAsLttngAnalyses() {
        LttngAnalyses.assumeAvailable();
        Path trace = SampleTraces.path("sample-kernel/kernel");
        for (String name : ANALYSES) {
            LttngAnalyses.start(name, true, trace, List.of());
        }
        List<AnalysisResult> results = new LocalEngine().run(List.of(trace),
                ANALYSES.stream().map(Analyses::byName).toList(), AnalysisConfig.defaults());
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < ANALYSES.size(); i++) {
            String name = ANALYSES.get(i);
            AnalysisResult r = results.get(i);
            tests.add(dynamicTest(name, () -> {
                ProcessResult o = LttngAnalyses.run(name, true, trace, List.of());
                assertEquals(0, o.exitCode(), () -> "lttng-" + name + "-mi failed: " + o.stderr());
                assertEquals(o.stdout().strip(), Render.lami(List.of(r)));
            }));
        }
        tests.add(dynamicTest("the sample has data", () -> assertTrue(
                results.get(0).table(0, "per_tid_stats") == null
                        || !results.get(0).table(0, "per_tid_stats").rows().isEmpty())));
        return tests;
    }
}
