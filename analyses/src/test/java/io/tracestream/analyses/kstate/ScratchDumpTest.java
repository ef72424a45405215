package io.tracestream.analyses.kstate;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ScratchDumpTest {
    @Test
    void dump() throws Exception {
        String spec = System.getProperty("a2.dump");
        Assumptions.assumeTrue(spec != null);
        // spec: name=tracepath;name=tracepath  optional begin,end
        for (String item : spec.split(";")) {
            String[] kv = item.split("=");
            Path trace = Path.of(kv[1]);
            AnalysisConfig c = AnalysisConfig.defaults();
            if (kv.length > 2) {
                String[] be = kv[2].split(",");
                c = c.withRange(Long.parseLong(be[0]), Long.parseLong(be[1]));
            }
            if (kv.length > 3 && kv[3].equals("noint")) {
                c = c.withIntersection(false);
            }
            for (String a : new String[] {"syscallstats", "iolatencystats", "iolatencytop", "iousagetop", "memtop"}) {
                Path out = Path.of("/tmp/a2/ours", kv[0]);
                Files.createDirectories(out);
                try {
                    AnalysisResult r = LttngAnalyses.ours(a, trace, c);
                    Files.writeString(out.resolve(a + ".txt"), LttngAnalyses.text(r));
                    Files.writeString(out.resolve(a + ".json"), LttngAnalyses.json(r) + "\n");
                } catch (RuntimeException e) {
                    Files.writeString(out.resolve(a + ".txt"), "ERROR " + e);
                    e.printStackTrace();
                }
            }
        }
    }
}
