package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Number formatting and statistics against Python 3 itself (the language lttng-analyses computes in). */
class FloatsTest {

    @Test
    void reprStdevAndFixedMatchPython() {
        assumeTrue(Exec.onPath("python3"), "python3 not installed; skipping");
        Random r = new Random(42);
        List<long[]> samples = new ArrayList<>();
        StringBuilder py = new StringBuilder("import statistics\n");
        List<String> ours = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int n = 2 + r.nextInt(6);
            long[] s = new long[n];
            StringBuilder list = new StringBuilder("[");
            DurationStats d = new DurationStats();
            for (int j = 0; j < n; j++) {
                s[j] = i % 3 == 0 ? r.nextInt(5000) : (long) (r.nextDouble() * 1e12);
                list.append(s[j]).append(',');
                d.add(s[j]);
            }
            list.append(']');
            samples.add(s);
            py.append("x=").append(list).append('\n');
            py.append("print(repr(statistics.stdev(x)), repr(sum(x)/len(x)), '%0.03f' % (sum(x)/len(x)/1000),"
                    + " repr(sum(x)*100/7/100), '{:0.02f}'.format(sum(x)/3e9))\n");
            double pct = Floats.div(d.total().longValueExact() * 100, 7) / 100;
            ours.add(Floats.repr(d.stdev()) + " " + Floats.repr(d.average()) + " "
                    + Text.fixed(d.average() / 1000, 3) + " " + Floats.repr(pct) + " "
                    + Text.fixed(d.total().longValueExact() / 3e9, 2));
        }
        for (double v : new double[] {1e-5, 0.1, 1e16, 123456789012345678.0, 2.5, 0.125, 1.0 / 3, 5e-324}) {
            py.append("print(repr(").append(Floats.repr(v)).append("), '%0.02f' % ").append(Floats.repr(v))
                    .append(")\n");
            ours.add(Floats.repr(v) + " " + Text.fixed(v, 2));
        }
        ProcessResult p = Exec.of("python3", "-c", py.toString()).run().requireSuccess();
        assertEquals(String.join("\n", ours), p.stdout().strip());
    }
}
