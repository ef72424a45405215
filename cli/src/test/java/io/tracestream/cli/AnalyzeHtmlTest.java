package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code analyze --format html --output FILE}: the report file (its rendering is tested in the analyses module with
 * headless Chromium), and the one-line errors.
 */
class AnalyzeHtmlTest {
    @TempDir
    Path tmp;

    @Test
    void writesTheReportFile() throws IOException {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        Path out = tmp.resolve("report.html");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--format", "html",
                "--output", out.toString(), "--gmt");
        assertEquals(0, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains("wrote " + out), r.err());
        String html = Files.readString(out);
        assertTrue(html.startsWith("<!DOCTYPE html>"));
        assertTrue(html.contains("<script type=\"application/json\" id=\"ts-data\">"));
        assertTrue(html.contains("\"name\":\"cputop\""));
        assertTrue(html.contains("\"cls\":\"per-process\""));
        assertTrue(html.contains("\"timeline\":{\"available\":true"));
        assertTrue(html.trim().endsWith("</html>"));
    }

    @Test
    void unknownFormatAndUnwritableOutputAreOneLineErrors() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--format", "htm");
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("unknown --format 'htm' (text, json, csv or html)"), r.err());
        r = AnalyzeCommandTest.run("analyze", "cputop", trace.toString(), "--format", "html", "--output",
                tmp.resolve("no/such/dir/report.html").toString());
        assertNotEquals(0, r.code());
        assertTrue(r.err().contains("--output: cannot write"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
