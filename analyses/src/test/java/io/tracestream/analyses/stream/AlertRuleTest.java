package io.tracestream.analyses.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.Histogram;
import io.tracestream.ctf.testing.SampleTraces;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Alert rules: parsing, units, firing and resolving, on synthetic values and on a real kernel trace's windows. */
class AlertRuleTest {

    @Test
    void parsesMetricsOperatorsUnitsAndWindows() {
        AlertRule r = AlertRule.parse("syscall.latency.p99 > 5ms for 3 windows");
        assertEquals(Metric.SYSCALL_LATENCY_P99, r.metric());
        assertEquals(AlertRule.Op.GT, r.op());
        assertEquals(5e6, r.threshold());
        assertEquals(3, r.windows());
        assertEquals(1500, AlertRule.parse("sched.latency.p50>=1.5us").threshold());
        assertEquals(1, AlertRule.parse("sched.latency.p50 >= 1.5us").windows());
        assertEquals(80, AlertRule.parse("cpu.usage > 80%").threshold());
        assertEquals(2000, AlertRule.parse("irq.rate > 2k/s for 1 window").threshold());
        assertEquals(10 * 1024 * 1024, AlertRule.parse("io.write.rate >= 10MiB/s").threshold());
        assertEquals(10e6, AlertRule.parse("io.write.rate >= 10MB/s").threshold());
        assertEquals(AlertRule.Op.NE, AlertRule.parse("events.rate != 0").op());
    }

    @Test
    void rejectsBadRulesWithOneClearLine() {
        for (String[] bad : new String[][] {
            {"syscall.latency.p98 > 5ms", "unknown metric 'syscall.latency.p98'"},
            {"syscall.latency.p99 > 5", "takes ns, us, ms or s, not a bare number"},
            {"cpu.usage > 5ms", "takes % (or none), not 'ms'"},
            {"cpu.usage >> 5", "expected METRIC OP VALUE[UNIT]"},
            {"cpu.usage > 50 for 0 windows", "'for N windows' needs N from 1"},
            {"io.read.rate > 3 parsecs", "takes B/s, kB/s, MB/s"},
        }) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AlertRule.parse(bad[0]));
            assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void firesAfterConsecutiveWindowsAndResolves() {
        AlertEvaluator ev = AlertEvaluator.of("cpu.usage > 50 for 2 windows");
        List<AlertEvent> seen = new ArrayList<>();
        ev.addListener(seen::add);
        double[] usage = {60, 10, 70, 80, 90, 40, 55};
        for (int i = 0; i < usage.length; i++) {
            ev.onWindow(i, i + 1, Map.of("cpu.usage", usage[i]));
        }
        assertEquals(2, seen.size(), seen.toString());
        assertEquals(AlertEvent.Kind.FIRED, seen.get(0).kind());
        assertEquals(3, seen.get(0).windowBegin());
        assertEquals(2, seen.get(0).windows());
        assertEquals(AlertEvent.Kind.RESOLVED, seen.get(1).kind());
        assertEquals(5, seen.get(1).windowBegin());
        assertEquals(2, seen.get(1).windows(), "fired in windows 3 and 4");
        assertTrue(ev.firing().isEmpty());
        // a window without the metric does not meet the condition
        AlertEvaluator missing = AlertEvaluator.of("syscall.latency.p99 < 1s");
        assertTrue(missing.onWindow(0, 1, Map.of()).isEmpty());
    }

    /** On the sample kernel trace's 10 ms windows, against a direct reading of the windows' values. */
    @Test
    void firesAndResolvesOnRealWindows() {
        List<WindowResult> windows = WindowedRunnerTest.stream(SampleTraces.path("sample-kernel/kernel"), 10_000_000L);
        double[] p90 = windows.stream().mapToDouble(w -> w.metrics().get(Metric.SYSCALL_LATENCY_P90)).toArray();
        double[] sorted = Arrays.stream(p90).filter(d -> !Double.isNaN(d)).sorted().toArray();
        double threshold = sorted[sorted.length / 2];
        AlertEvaluator ev = AlertEvaluator.of("syscall.latency.p90 > " + (long) threshold + "ns for 2 windows");
        List<AlertEvent> seen = new ArrayList<>();
        ev.addListener(seen::add);
        for (WindowResult w : windows) {
            ev.onWindow(w.metrics());
        }
        // expected: fired at the second window in a row above the threshold, resolved at the first one not above
        List<String> expected = new ArrayList<>();
        int run = 0;
        boolean firing = false;
        for (int i = 0; i < p90.length; i++) {
            if (p90[i] > (long) threshold) {
                run++;
                if (run == 2) {
                    expected.add("FIRED@" + i);
                    firing = true;
                }
            } else {
                if (firing) {
                    expected.add("RESOLVED@" + i);
                }
                firing = false;
                run = 0;
            }
        }
        List<String> got = seen.stream().map(e -> e.kind() + "@" + windows.stream()
                .filter(w -> w.begin() == e.windowBegin()).findFirst().orElseThrow().index()).toList();
        assertEquals(expected, got);
        assertTrue(got.size() >= 2, "fires and resolves on the sample trace: " + Arrays.toString(p90));
        assertTrue(seen.get(0).describe().startsWith("ALERT FIRED    syscall.latency.p90 > "), seen.get(0).describe());
    }

    /** The histogram's percentiles are within 6.25 % of the exact nearest-rank percentiles. */
    @Test
    void percentilesWithinTheDocumentedError() {
        Random rnd = new Random(42);
        long[] values = new long[20_000];
        Histogram h = new Histogram();
        for (int i = 0; i < values.length; i++) {
            values[i] = (long) Math.exp(rnd.nextDouble() * Math.log(1e9));
            h.add(values[i]);
        }
        Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
            long exact = values[(int) Math.ceil(q * values.length) - 1];
            double got = h.quantile(q);
            assertTrue(Math.abs(got - exact) <= exact * 0.0625, "p" + q + ": " + got + " vs " + exact);
        }
    }
}
