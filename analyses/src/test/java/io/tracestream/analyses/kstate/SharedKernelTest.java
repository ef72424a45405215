package io.tracestream.analyses.kstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Lami;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.SharedModels;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The system call, I/O and memory analyses of one run share ONE {@link KernelState} (fed once per event, its
 * notifications fanned out to every pass): together they give exactly what each gives alone, also when every stream
 * is cut in splits and the task (passes + shared model) is serialized and resumed at each cut.
 */
class SharedKernelTest {
    private static final List<String> NAMES = List.of("syscallstats", "iolatencystats", "iolatencytop", "iousagetop",
            "memtop");

    @Test
    void oneModelPerTypeAndTask() {
        SharedModels models = new SharedModels();
        SharedKernel a = models.get(SharedKernel.class, SharedKernel::new);
        assertSame(a, models.get(SharedKernel.class, SharedKernel::new));
    }

    @Test
    void togetherEqualsAloneAndSplitsDoNotChangeIt() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        List<Analysis> all = NAMES.stream().map(Analyses::byName).toList();
        AnalysisConfig whole = AnalysisConfig.defaults();
        List<AnalysisResult> together = new LocalEngine().run(List.of(trace), all, whole);
        for (int i = 0; i < all.size(); i++) {
            AnalysisResult alone = new LocalEngine().run(List.of(trace), List.of(all.get(i)), whole).get(0);
            assertEquals(Lami.results(List.of(alone)), Lami.results(List.of(together.get(i))), NAMES.get(i));
        }
        long b = together.get(0).periods().get(0).begin();
        long e = together.get(0).periods().get(0).end();
        AnalysisConfig c = whole.withRange(b + (e - b) / 5, e - (e - b) / 5).withWindow((e - b) / 7);
        assertEquals(Lami.results(new LocalEngine().run(List.of(trace), all, c)),
                Lami.results(new LocalEngine().splitsPerStream(4).run(List.of(trace), all, c)));
    }
}
