package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code tracestream analyze}: text and LAMI outputs equal lttng-analyses' (its stored outputs on many-threads),
 * CSV, windows, the LAMI metadata document and usage errors. The numbers themselves are tested in the analyses
 * module against the installed lttng-analyses.
 */
class AnalyzeCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("TZ", "UTC"));
        int code = Main.run(args, t);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void textAndJsonEqualLttngAnalyses() throws IOException {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        Path oracle = SharedTraces.path("lttng-analyses/oracle/many-threads");
        for (String name : new String[] {"cputop", "irqstats"}) {
            Run text = run("analyze", name, trace.toString(), "--gmt");
            assertEquals(0, text.code(), text.err());
            assertEquals(Files.readString(oracle.resolve(name + ".txt")), text.out(), name);
            assertEquals("", text.err(), "no progress output when stderr is not a terminal");
            Run json = run("analyze", name, trace.toString(), "--format", "json");
            assertEquals(Files.readString(oracle.resolve(name + ".json")), json.out(), name);
        }
    }

    @Test
    void schedtopLimitAndFilter() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        Run r = run("analyze", "schedtop", trace.toString(), "--gmt", "--top", "3", "--procname", "Xorg");
        assertEquals(0, r.code(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals(3 + 4, lines.length, r.out()); // timerange, blank, title, header, 3 rows
        for (int i = 4; i < lines.length; i++) {
            assertTrue(lines[i].contains("Xorg ("), lines[i]);
        }
    }

    @Test
    void csvAndWindows() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        Run csv = run("analyze", "irqstats", trace.toString(), "--format", "csv", "--window", "2s");
        assertEquals(0, csv.code(), csv.err());
        assertTrue(csv.out().startsWith("# irqstats: Hardware interrupt statistics, "), csv.out());
        assertTrue(csv.out().contains("Interrupt,Interrupt count (interrupts),Minimum duration,"), csv.out());
        long windows = csv.out().lines().filter(l -> l.startsWith("# irqstats: Hardware")).count();
        assertEquals(4, windows, csv.out()); // 6.0 s trace in 2 s windows
        Run text = run("analyze", "cputop", trace.toString(), "--window", "2s", "--gmt");
        assertEquals(4, text.out().lines().filter(l -> l.startsWith("Timerange: ")).count());
    }

    @Test
    void allRunsEveryAnalysis() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        Run r = run("analyze", "all", trace.toString(), "--gmt");
        assertEquals(0, r.code(), r.err());
        for (String name : new String[] {"cputop", "schedstats", "schedtop", "irqstats", "threadstates"}) {
            assertTrue(r.out().contains("=== " + name + " ==="), name);
        }
    }

    @Test
    void metadataDocument() {
        Run r = run("analyze", "cputop", "--metadata");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("{\"mi-version\": {\"major\": 1, \"minor\": 0}"), r.out());
        assertTrue(r.out().contains("\"per-process\": {\"title\": \"Per-TID top CPU usage\", \"column-descriptions\": "
                + "[{\"title\": \"Process\", \"class\": \"process\"}, {\"title\": \"Migration count\", \"class\": "
                + "\"number\", \"unit\": \"migrations\"}"), r.out());
    }

    @Test
    void usageErrors() {
        Run unknown = run("analyze", "nope", "x");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown analysis 'nope'"), unknown.err());
        assertFalse(unknown.err().contains("\tat "), "no stack trace");
        Run window = run("analyze", "cputop", "x", "--window", "3 parsecs");
        assertEquals(2, window.code());
        assertTrue(window.err().contains("--window"), window.err());
        Run missing = run("analyze", "cputop", "/nonexistent/trace");
        assertEquals(1, missing.code());
        assertEquals(1, missing.err().lines().count(), missing.err());
    }
}
