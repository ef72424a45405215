package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * lttng-analyses' own integration tests (tests/integration: synthetic traces written by its trace_writer.py and
 * the expected outputs), reproduced byte for byte. Those traces carry {@code cpu_id} as an event field, not in the
 * packet context.
 */
class IntegrationExpectedTest {

    @ParameterizedTest(name = "{0} on generated/{1} = expected/{2}")
    @CsvSource({
        "cputop, cputop, cputop.txt",
        "irqstats, irq, irqstats.txt",
        "irqstats, intersect, disable_intersect.txt"})
    void expectedOutput(String analysis, String trace, String expected) throws IOException {
        Path t = SharedTraces.path("lttng-analyses/generated/" + trace);
        String want = Files.readString(SharedTraces.path("lttng-analyses/expected/" + expected),
                StandardCharsets.UTF_8);
        AnalysisConfig c = AnalysisConfig.defaults().withIntersection(false); // the tests run --no-intersection
        assertEquals(Render.trimEnd(want), Render.trimEnd(Render.text(t, c, analysis)));
    }

    /** expected/no_intersection.txt: lttng-irqstats refuses a trace whose streams do not overlap; so do we. */
    @Test
    void noIntersection() throws IOException {
        Path t = SharedTraces.path("lttng-analyses/generated/intersect");
        String want = Files.readString(SharedTraces.path("lttng-analyses/expected/no_intersection.txt"),
                StandardCharsets.UTF_8);
        assertTrue(want.contains("Trace has no intersection"));
        CtfException e = assertThrows(CtfException.class, () -> Render.text(t, AnalysisConfig.defaults(), "irqstats"));
        assertTrue(e.getMessage().contains("no stream intersection"), e.getMessage());
        // time-ordered analyses go through the core's intersection check: same answer
        CtfException e2 = assertThrows(CtfException.class, () -> Render.text(t, AnalysisConfig.defaults(), "cputop"));
        assertTrue(e2.getMessage().contains("no stream intersection"), e2.getMessage());
    }
}
