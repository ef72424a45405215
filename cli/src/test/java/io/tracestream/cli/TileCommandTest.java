package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracestream tile}: babeltrace2 reads the tiled trace as the input's events repeated, each copy shifted by
 * the tile period (a multiple of 2^32 ns), and lttng-analyses prints the same analyses on it as
 * {@code tracestream analyze}.
 */
class TileCommandTest {

    @TempDir
    Path tmp;

    /**
     * babeltrace2 reads 3 times the events; both readers print copy k as the input with every timestamp shifted by k
     * periods (the line-by-line check uses tracestream's reader: babeltrace2 2.0.4 prints stale text for some empty
     * strings of this trace, differently in each copy; see EmptyStringTest in the ctf module).
     */
    @Test
    void copiesAreTheInputShiftedInTime() {
        Path in = SharedTraces.path("tracecompass/bug446190");
        Path out = tmp.resolve("tiled");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("tile", in.toString(), "--times", "3", "--output",
                out.toString());
        assertEquals(0, r.code(), r.err());
        String report = r.out().strip();
        long period = Long.parseLong(report.substring(report.indexOf("period ") + 7, report.lastIndexOf(' ')));

        List<String> bt = Babeltrace.print(in, "--clock-cycles", "--no-delta").lines().toList();
        List<String> btTiled = Babeltrace.print(out, "--clock-cycles", "--no-delta").lines().toList();
        assertEquals(3 * bt.size(), btTiled.size());
        long span = cycles(bt.get(bt.size() - 1)) - cycles(bt.get(0));
        assertEquals(0, period % (1L << 32), "a multiple of 2^32 cycles");
        assertTrue(period > span, "longer than the trace");
        assertEquals(bt, btTiled.subList(0, bt.size()), "copy 0");

        List<String> original = print(in);
        List<String> tiled = print(out);
        assertEquals(3 * original.size(), tiled.size());
        for (int k = 0; k < 3; k++) {
            for (int i = 0; i < original.size(); i++) {
                assertEquals(original.get(i), shift(tiled.get(k * original.size() + i), -k * period),
                        "copy " + k + ", event " + i);
            }
        }
    }

    private static List<String> print(Path trace) {
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("print", "--clock-cycles", "--no-delta", trace.toString());
        assertEquals(0, r.code(), r.err());
        return r.out().lines().toList();
    }

    /** The tiled trace analysed by lttng-analyses and by tracestream: the same text, byte for byte. */
    @Test
    void analysesEqualLttngAnalyses() throws IOException {
        assumeTrue(Exec.onPath("lttng-cputop"), "lttng-analyses (Debian python3-lttnganalyses) is not installed");
        Path in = SharedTraces.path("tracecompass/bug446190");
        Path kernel = tmp.resolve("session/kernel"); // lttng-analyses reads the tracer version from .../kernel
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("tile", in.toString(), "--times", "3", "--output",
                kernel.toString());
        assertEquals(0, r.code(), r.err());
        for (String name : new String[] {"cputop", "schedstats", "irqstats"}) {
            ProcessResult lttng = Exec.of("lttng-" + name, "--no-color", "--no-progress", "--skip-validation",
                    "--gmt", kernel.toString()).env("LC_ALL", "C.UTF-8").env("TZ", "UTC")
                    .timeout(Duration.ofMinutes(2)).run().requireSuccess();
            AnalyzeCommandTest.Run ours = AnalyzeCommandTest.run("analyze", name, kernel.toString(), "--gmt");
            assertEquals(0, ours.code(), ours.err());
            assertEquals(lttng.stdout(), ours.out(), name);
        }
        // the counts of the copies add up: 3 times the input's interrupts
        AnalyzeCommandTest.Run once = AnalyzeCommandTest.run("analyze", "irqstats", in.toString(), "--gmt",
                "--format", "csv");
        AnalyzeCommandTest.Run thrice = AnalyzeCommandTest.run("analyze", "irqstats", kernel.toString(), "--gmt",
                "--format", "csv");
        assertEquals(3 * irqCount(once.out()), irqCount(thrice.out()));
        assertTrue(irqCount(once.out()) > 100, once.out());
    }

    @Test
    void usageErrors() throws IOException {
        Path in = SharedTraces.path("tracecompass/bug446190");
        AnalyzeCommandTest.Run r = AnalyzeCommandTest.run("tile", in.toString(), "--output", tmp.resolve("a")
                .toString());
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("--times N"), r.err());
        Files.createDirectories(tmp.resolve("b"));
        Files.writeString(tmp.resolve("b/x"), "");
        r = AnalyzeCommandTest.run("tile", in.toString(), "--times", "2", "--output", tmp.resolve("b").toString());
        assertEquals(Main.EXIT_USAGE, r.code());
        assertTrue(r.err().contains("is not empty"), r.err());
    }

    /** A babeltrace2 {@code --clock-cycles} line with its {@code [cycles]} shifted. */
    private static String shift(String line, long delta) {
        int end = line.indexOf(']');
        String shifted = Long.toString(cycles(line) + delta);
        return "[" + "0".repeat(Math.max(0, end - 1 - shifted.length())) + shifted + line.substring(end);
    }

    private static long cycles(String line) {
        return Long.parseLong(line.substring(1, line.indexOf(']')));
    }

    /** The sum of the "Interrupt count" column of irqstats' CSV hard IRQ table. */
    private static long irqCount(String csv) {
        long n = 0;
        boolean inTable = false;
        for (String l : csv.lines().toList()) {
            if (l.startsWith("# irqstats: Hardware")) {
                inTable = true;
            } else if (l.startsWith("#")) {
                inTable = false;
            } else if (inTable && !l.startsWith("Interrupt,") && !l.isEmpty()) {
                n += Long.parseLong(l.split(",")[1]);
            }
        }
        return n;
    }
}
