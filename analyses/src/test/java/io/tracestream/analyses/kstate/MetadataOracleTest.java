package io.tracestream.analyses.kstate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Lami;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our LAMI metadata ({@code tracestream analyze --metadata NAME}) declares the same table classes (names, titles,
 * columns, LAMI classes, units, order) as {@code lttng-NAME-mi --metadata}, byte for byte, so that Trace Compass reads
 * our results like lttng-analyses'.
 */
class MetadataOracleTest {
    @ParameterizedTest
    @ValueSource(strings = {"syscallstats", "iolatencystats", "iolatencytop", "iousagetop", "memtop"})
    void sameTableClasses(String name) {
        Path cmd = Path.of("/usr/bin/lttng-" + name + "-mi");
        assumeTrue(Files.isExecutable(cmd), "lttng-analyses is not installed; skipping");
        ProcessResult r = Exec.of(cmd.toString(), "--metadata").env("LC_ALL", "C.UTF-8").run();
        assertEquals(0, r.exitCode(), r.stderr());
        String lttng = r.stdout().strip();
        String ours = Lami.metadata(Analyses.byName(name));
        String key = "\"table-classes\": ";
        assertEquals(lttng.substring(lttng.indexOf(key)), ours.substring(ours.indexOf(key)));
        assertEquals(field(lttng, "title"), field(ours, "title"));
        assertEquals(field(lttng, "description"), field(ours, "description"));
    }

    private static String field(String json, String name) {
        int i = json.indexOf("\"" + name + "\": \"");
        int b = i + name.length() + 5;
        return json.substring(b, json.indexOf('"', b));
    }
}
