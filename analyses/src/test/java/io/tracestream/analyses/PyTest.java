package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * Our CPython-compatible formatting and statistics against CPython itself (the interpreter lttng-analyses runs on):
 * {@code repr(float)}, {@code round(x, 3)}, {@code '%0.03f'}, {@code statistics.stdev}, lttng-analyses'
 * {@code format_size}, on random and edge-case values.
 */
class PyTest {
    private static final Path PYTHON = Path.of("/usr/bin/python3");

    private static List<String> python(String program) {
        assumeTrue(Files.isExecutable(PYTHON), "no /usr/bin/python3; skipping the comparison with CPython");
        ProcessResult r = Exec.of(PYTHON.toString(), "-c", program).run();
        assertEquals(0, r.exitCode(), r.stderr());
        return List.of(r.stdout().split("\n"));
    }

    @Test
    void floatsAsCPythonPrintsThem() {
        Random rnd = new Random(42);
        List<Double> values = new ArrayList<>(List.of(0.0, 1.0, 0.1, 1e-5, 1e16, 123456789.123, 2.5, 1000.0,
                0.0005, 1.0005, 3918.714459887832, 1e22, 5e-324, 0.3));
        for (int i = 0; i < 300; i++) {
            values.add(rnd.nextLong(10_000_000_000L) / 1000.0 / (1 + rnd.nextInt(1000)));
            values.add(Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL));
        }
        StringBuilder p = new StringBuilder("xs=[");
        for (double v : values) {
            p.append("float.fromhex('").append(Double.toHexString(v)).append("'),");
        }
        p.append("]\nfor x in xs: print(repr(x), repr(round(x, 3)), '%0.03f' % x, '{:0.02f}'.format(x))");
        List<String> expected = python(p.toString());
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            String ours = Py.repr(v) + " " + Py.repr(Py.round(v, 3)) + " " + Py.fixed(v, 3) + " " + Py.fixed(v, 2);
            assertEquals(expected.get(i), ours, "value " + Double.toHexString(v));
        }
    }

    /** The fast path of {@link Py#fixed} (one multiplication) against the exact decimal expansion. */
    @Test
    void fixedMatchesTheExactRounding() {
        Random rnd = new Random(11);
        for (int i = 0; i < 400_000; i++) {
            int decimals = rnd.nextInt(5);
            double v = switch (i % 4) {
                case 0 -> rnd.nextDouble() * Math.pow(10, rnd.nextInt(14) - 4);
                case 1 -> rnd.nextLong(100_000_000L) / 1000.0 / (1 + rnd.nextInt(100)); // percentages, rates
                case 2 -> { // ties and their neighbours: k + 1/2 in the last decimal place, one ulp or so off
                    double tie = (rnd.nextInt(1_000_000) + 0.5) / Math.pow(10, decimals);
                    yield tie + (rnd.nextInt(5) - 2) * Math.ulp(tie);
                }
                default -> Double.longBitsToDouble(rnd.nextLong() & 0x7fefffffffffffffL);
            };
            if (rnd.nextBoolean()) {
                v = -v;
            }
            String exact = new java.math.BigDecimal(v).setScale(decimals, java.math.RoundingMode.HALF_EVEN)
                    .toPlainString();
            if (v < 0 && !exact.startsWith("-")) {
                exact = "-" + exact;
            }
            assertEquals(exact, Py.fixed(v, decimals), "value " + Double.toHexString(v) + ", " + decimals);
        }
        assertEquals("-0.00", Py.fixed(-0.0, 2));
        assertEquals("0.00", Py.fixed(0.0, 2));
        assertEquals("0.12", Py.fixed(0.125, 2));  // a tie: to even
        assertEquals("0.38", Py.fixed(0.375, 2));
        assertEquals("3", Py.fixed(2.5000000000000004, 0));
    }

    @Test
    void microsecondsAsLttngAnalysesRoundsThem() {
        Random rnd = new Random(3);
        List<Double> ns = new ArrayList<>(List.of(0.0, 1.0, 106.0, 1000.0, 1500.0, 2010.0, 999999.0, 3918.714459887832,
                45662.91379310345, 0.5, 0.0005, 1234567.8905, 1e13 + 0.5));
        for (int i = 0; i < 300; i++) {
            ns.add((double) rnd.nextLong(100_000_000_000L));
            ns.add(rnd.nextDouble() * Math.pow(10, rnd.nextInt(12)));
        }
        StringBuilder p = new StringBuilder("xs=[");
        for (double v : ns) {
            p.append("float.fromhex('").append(Double.toHexString(v)).append("'),");
        }
        p.append("]\nfor x in xs: print(repr(round(x / 1000, 3)))");
        List<String> expected = python(p.toString());
        for (int i = 0; i < ns.size(); i++) {
            assertEquals(expected.get(i), Py.microsRounded(ns.get(i)), "ns " + ns.get(i));
        }
    }

    @Test
    void stdevAsStatisticsStdev() {
        Random rnd = new Random(7);
        StringBuilder p = new StringBuilder("import statistics\n");
        List<long[]> samples = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = 2 + rnd.nextInt(50);
            long[] s = new long[n];
            long scale = i % 3 == 0 ? 100 : i % 3 == 1 ? 1_000_000 : 5_000_000_000L;
            for (int j = 0; j < n; j++) {
                s[j] = rnd.nextLong(scale);
            }
            samples.add(s);
            p.append("print(repr(statistics.stdev([");
            for (long x : s) {
                p.append(x).append(',');
            }
            p.append("])))\n");
        }
        List<String> expected = python(p.toString());
        for (int i = 0; i < samples.size(); i++) {
            DurationStats d = new DurationStats();
            for (long x : samples.get(i)) {
                d.add(x);
            }
            assertEquals(expected.get(i), Py.repr(d.stdev()), "sample " + i);
        }
    }

    @Test
    void sizesAsLttngAnalysesFormatsThem() {
        long[] sizes = {0, 1, 1023, 1024, 1025, 1536, 146227, 1048575, 1048576, 8388608, 1073741824L, 5000000000000L};
        StringBuilder p = new StringBuilder("import sys\nsys.path.insert(0, '/usr/lib/python3/dist-packages')\n"
                + "from lttnganalyses.common import format_utils\n");
        for (long s : sizes) {
            p.append("print(format_utils.format_size(").append(s).append("))\n");
        }
        assumeTrue(Files.isDirectory(Path.of("/usr/lib/python3/dist-packages/lttnganalyses")),
                "lttng-analyses is not installed; skipping");
        List<String> expected = python(p.toString());
        for (int i = 0; i < sizes.length; i++) {
            assertEquals(expected.get(i), Py.formatSize(sizes[i]), "size " + sizes[i]);
        }
    }
}
