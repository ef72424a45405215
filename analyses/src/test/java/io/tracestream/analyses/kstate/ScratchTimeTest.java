package io.tracestream.analyses.kstate;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ScratchTimeTest {
    @Test
    void time() {
        String t = System.getProperty("a2.time");
        Assumptions.assumeTrue(t != null);
        for (int round = 0; round < 3; round++) {
            for (String a : new String[] {"cputop", "syscallstats", "iousagetop", "memtop"}) {
                long t0 = System.nanoTime();
                AnalysisResult r = LttngAnalyses.ours(a, Path.of(t), AnalysisConfig.defaults());
                long t1 = System.nanoTime();
                String s = LttngAnalyses.text(r);
                long t2 = System.nanoTime();
                String j = LttngAnalyses.json(r);
                long t3 = System.nanoTime();
                System.out.printf("%s run %.0f ms text %.0f ms json %.0f ms%n", a, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6);
            }
        }
    }
}
