package io.tracestream.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.SampleTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aggregate pushdown ({@code COUNT}/{@code MIN}/{@code MAX} ... {@code GROUP BY} leading columns computed in the
 * scan): on every real trace at hand, the pushed queries return what the same queries return with
 * {@code pushDownAggregates=false} (Spark aggregating the rows), the per-name counts equal babeltrace2's, and
 * {@code explain()} shows the pushed aggregation.
 */
class AggregatePushdownTest {
    /** Per name: count, min and max ts (pushed, compared with the core reader and babeltrace2). */
    private static final String BY_NAME = "SELECT name, count(*), min(ts), max(ts) FROM t GROUP BY name";
    /** Every other groupable column and aggregate (pushed, compared with Spark aggregating the rows). */
    private static final String BY_STREAM = "SELECT trace, host, stream_file, stream_id, stream_class_id, cpu,"
            + " packet_seq, event_id, count(*), count(ts), min(time), max(cycles), count(cpu), min(cpu), max(cpu),"
            + " count(host), max(packet_seq) FROM t GROUP BY trace, host, stream_file, stream_id, stream_class_id,"
            + " cpu, packet_seq, event_id";

    private static Dataset<Row> table(Path trace, boolean push, String... more) {
        var r = TestSpark.get().read().format("ctf").option("pushDownAggregates", Boolean.toString(push));
        for (int i = 0; i + 1 < more.length; i += 2) {
            r = r.option(more[i], more[i + 1]);
        }
        return r.load(trace.toString());
    }

    /** The sorted rows of a query over table {@code t}, and whether the scan computed the aggregation. */
    private static List<String> run(Dataset<Row> t, String query, boolean expectPushed) {
        t.createOrReplaceTempView("t");
        Dataset<Row> df = TestSpark.get().sql(query);
        String plan = df.queryExecution().sparkPlan().toString();
        assertEquals(expectPushed, plan.contains("aggregate=["), () -> query + "\n" + plan);
        List<String> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            out.add(r.toString());
        }
        Collections.sort(out);
        return out;
    }

    @TestFactory
    Stream<DynamicTest> pushedEqualsNotPushedAndBabeltrace() throws IOException {
        return RealTracesTest.traces().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> check(p)));
    }

    private static void check(Path trace) {
        List<Row> byName;
        try {
            table(trace, true).createOrReplaceTempView("t");
            Dataset<Row> df = TestSpark.get().sql(BY_NAME);
            assertTrue(df.queryExecution().sparkPlan().toString().contains("aggregate=["));
            byName = df.collectAsList();
        } catch (Exception e) {
            // a trace the source refuses: refused the same way without pushdown
            assertThrows(Exception.class, () -> run(table(trace, false), BY_NAME, false));
            return;
        }
        // the core reader, stream by stream (as the source reads)
        Map<String, long[]> core = new TreeMap<>();
        CoreStreams.forEachEvent(trace, e -> {
            long[] a = core.computeIfAbsent(e.name(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            a[0]++;
            if (e.timestamp() != ClockValue.NONE) {
                a[1] = Math.min(a[1], e.timestamp());
                a[2] = Math.max(a[2], e.timestamp());
            }
        });
        Map<String, String> expected = new TreeMap<>();
        core.forEach((k, a) -> expected.put(k, a[0] + " " + (a[1] > a[2] ? "null null" : a[1] + " " + a[2])));
        Map<String, String> pushed = new TreeMap<>();
        Map<String, Long> counts = new TreeMap<>();
        for (Row r : byName) {
            pushed.put(r.getString(0), r.getLong(1) + " " + r.get(2) + " " + r.get(3));
            counts.put(r.getString(0), r.getLong(1));
        }
        assertEquals(expected, pushed, "count, min(ts), max(ts) per name: core reader vs pushed aggregation");
        assertEquals(run(table(trace, false), BY_STREAM, false), run(table(trace, true), BY_STREAM, true));
        if (Babeltrace.isInstalled()) {
            BabeltraceCounts bt = BabeltraceCounts.of(trace);
            if (bt.ok()) {
                assertEquals(bt.events(), counts, "events per name, babeltrace2 vs pushed count");
            }
        }
    }

    @Test
    void exactFiltersKeepThePushdownAndLossyCountsMatch() {
        Path lossy = SampleTraces.lossyUst();
        Row b = table(lossy, false).selectExpr("min(ts)", "max(ts)").first();
        long lo = b.getLong(0) + (b.getLong(1) - b.getLong(0)) / 10;
        long hi = b.getLong(1) - (b.getLong(1) - b.getLong(0)) / 10;
        String q = "SELECT name, count(*), min(ts), max(ts) FROM t WHERE ts BETWEEN " + lo + " AND " + hi
                + " AND name IN ('tsprobe:burst', 'tsprobe:end') GROUP BY name";
        List<String> pushed = run(table(lossy, true), q, true);
        assertEquals(run(table(lossy, false), q, false), pushed);
        assertFalse(pushed.isEmpty());
        // a time filter on the TIMESTAMP column too
        String q2 = "SELECT count(*) FROM t WHERE time >= timestamp_micros(" + (lo / 1000) + ")";
        assertEquals(run(table(lossy, false), q2, false), run(table(lossy, true), q2, true));
        // a filter the scan does not apply exactly keeps Spark's aggregation
        String q3 = "SELECT count(*) FROM t WHERE packet_seq > 1";
        assertEquals(run(table(lossy, false), q3, false), run(table(lossy, true), q3, false));
    }

    @Test
    void noMatchingEventGivesZeroAndNulls() {
        Path sample = SampleTraces.sampleUst();
        String q = "SELECT count(*), min(ts), max(cpu) FROM t WHERE name = 'no such event'";
        List<String> pushed = run(table(sample, true), q, true);
        assertEquals(List.of("[0,null,null]"), pushed);
        assertEquals(run(table(sample, false), q, false), pushed);
        String g = "SELECT name, count(*) FROM t WHERE name = 'no such event' GROUP BY name";
        assertEquals(List.of(), run(table(sample, true), g, true));
    }

    @Test
    void oneSplitIsCompletePushdown(@TempDir Path tmp) throws IOException {
        // a copy of the sample trace with one stream: one split computes the final result
        Path src = SampleTraces.sampleUst().resolve("ust/uid/0/64-bit");
        Path dst = tmp.resolve("one/ust/uid/0/64-bit");
        Files.createDirectories(dst.resolve("index"));
        Files.copy(src.resolve("metadata"), dst.resolve("metadata"));
        Files.copy(src.resolve("chan0_0"), dst.resolve("chan0_0"));
        Files.copy(src.resolve("index/chan0_0.idx"), dst.resolve("index/chan0_0.idx"));
        Path one = tmp.resolve("one");
        String q = "SELECT name, count(*), max(ts) FROM t GROUP BY name";
        table(one, true).createOrReplaceTempView("t");
        String plan = TestSpark.get().sql(q).queryExecution().executedPlan().toString();
        assertTrue(plan.contains("(complete)"), plan);
        assertFalse(plan.contains("HashAggregate"), plan);
        assertEquals(run(table(one, false), q, false), run(table(one, true), q, true));
        String g = "SELECT count(*), min(ts) FROM t WHERE name = 'no such event'";
        assertEquals(List.of("[0,null]"), run(table(one, true), g, true));
    }

    @Test
    void optionValueIsChecked() {
        Exception e = assertThrows(Exception.class, () -> table(SampleTraces.sampleUst(), true,
                "pushDownAggregates", "yes").schema());
        assertTrue(RealTracesTest.messages(e).contains("option 'pushDownAggregates' must be true or false"),
                RealTracesTest.messages(e));
    }
}
