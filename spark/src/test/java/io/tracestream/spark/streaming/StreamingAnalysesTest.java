package io.tracestream.spark.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.Value;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.SharedTraces;
import io.tracestream.spark.cluster.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Streaming windowed analyses over a real kernel trace fed progressively (its events, as {@code format("ctf")} reads
 * them, in time order, a slice per micro-batch) give, for every window the watermark closed, exactly the tables of
 * the batch analyses with {@code --window} ({@link LocalEngine}, no intersection).
 */
class StreamingAnalysesTest {
    private static final String ANALYSES = "cputop,schedstats,irqstats,syscallstats,iousagetop";

    @Test
    void windowsEqualTheBatchAnalysesOnTheSampleKernelTrace() throws Exception {
        assertSameWindows(SampleTraces.path("sample-kernel/kernel"), ANALYSES, 20_000_000L, 4);
    }

    @Test
    void windowsEqualTheBatchAnalysesOnManyThreads() throws Exception {
        Assumptions.assumeTrue(SharedTraces.isAvailable(), "../shared/traces is absent: skipping many-threads");
        assertSameWindows(SharedTraces.path("tracecompass/many-threads"), "cputop,schedstats,irqstats", 100_000_000L,
                3);
    }

    /**
     * With the source's progress column ({@code watermark_ts}, as {@code format("lttng-live")} gives it) a window
     * comes out in the very micro-batch whose progress passes its end + lateness, not in a later one (no-data
     * micro-batches are off, so Spark's watermark alone would give it one data batch later); the tables still equal
     * the batch analyses', and an event older than what was closed is dropped and counted in the window rows.
     */
    @Test
    void aWindowClosesInTheMicroBatchWhoseProgressPassesIt() throws Exception {
        Path trace = SampleTraces.path("sample-kernel/kernel");
        String names = "cputop,schedstats,irqstats";
        long window = 20_000_000L;
        long lateness = 1_000_000L;
        SparkSession spark = LocalSpark.get().newSession();
        spark.conf().set("spark.sql.streaming.noDataMicroBatches.enabled", "false");
        Map<Long, Long> endOf = new TreeMap<>();
        Map<Long, List<String>> expected = batchWindows(trace, names, window, endOf);

        Dataset<Row> batch = spark.read().format("ctf").load(trace.toString());
        List<Long> ts = batch.select("ts").orderBy("ts").as(Encoders.LONG()).collectAsList();
        // 5 slices; each boundary moved to a gap of at least 10 us between events, so that the late event below
        // (just before the closed horizon) is still after Spark's watermark (the latest event - lateness, in ms)
        List<Integer> cuts = new ArrayList<>(List.of(0));
        for (int k = 1; k < 5; k++) {
            int i = Math.max(cuts.get(cuts.size() - 1) + 1, ts.size() * k / 5);
            while (i < ts.size() - 1 && ts.get(i) - ts.get(i - 1) < 10_000) {
                i++;
            }
            cuts.add(i);
        }
        cuts.add(ts.size());
        StructType schema = batch.schema().add("watermark_ts", DataTypes.LongType, true);
        MemoryStream<Row> input = MemoryStream.apply(spark, Encoders.row(schema));
        Dataset<Row> results = StreamingAnalyses.windowed(input.toDF(), names, "20ms", "1ms", List.of());
        StreamingQuery q = results.writeStream().format("memory").queryName("early").outputMode("append").start();
        long late = 0;
        Map<Long, List<String>> streamed = new TreeMap<>();
        try {
            for (int k = 0; k + 1 < cuts.size(); k++) {
                long lo = ts.get(cuts.get(k));
                boolean last = k + 2 == cuts.size();
                // the progress: no later event is older than the next slice's first (the last slice: its own last)
                long progress = last ? ts.get(ts.size() - 1) : ts.get(cuts.get(k + 1));
                String range = "ts >= " + lo + (last ? "" : " AND ts < " + progress);
                Dataset<Row> slice = batch.where(range).orderBy("ts").withColumn("watermark_ts",
                        functions.lit(progress));
                if (k == 2) { // an event of a closed time: just before the previous slice's horizon
                    long old = ts.get(cuts.get(k)) - lateness - 1;
                    slice = slice.union(batch.orderBy("ts").limit(1).withColumn("ts", functions.lit(old))
                            .withColumn("time", functions.expr("timestamp_micros(" + (old / 1000) + ")"))
                            .withColumn("watermark_ts", functions.lit(progress)));
                }
                input.addData(CollectionConverters.asScala(slice.collectAsList()));
                q.processAllAvailable();
                List<Long> closed = new ArrayList<>();
                for (Map.Entry<Long, Long> e : endOf.entrySet()) {
                    if (e.getValue() <= progress - lateness) {
                        closed.add(e.getKey());
                    }
                }
                List<Long> out = new ArrayList<>();
                for (Row r : spark.sql("SELECT * FROM early WHERE analysis = 'window' ORDER BY window_begin")
                        .collectAsList()) {
                    out.add(r.getLong(2));
                }
                assertEquals(closed, out, "after micro-batch " + k + " (progress " + progress + ")");
            }
            for (Row r : spark.sql("SELECT * FROM early").collectAsList()) {
                if ("window".equals(r.getString(1))) {
                    assertEquals(List.of("events", "late"), r.getList(6));
                    late += Long.parseLong(r.getList(7).get(1).toString());
                    continue;
                }
                streamed.computeIfAbsent(r.getLong(2), x -> new ArrayList<>()).add(line(r.getString(1),
                        r.getLong(2), r.getLong(3), r.getString(4), r.getString(5), r.getList(7)));
            }
        } finally {
            q.stop();
            spark.sql("DROP VIEW IF EXISTS early");
        }
        assertTrue(streamed.size() >= 3, streamed.size() + " windows");
        for (Map.Entry<Long, List<String>> e : streamed.entrySet()) {
            assertEquals(sorted(expected.get(e.getKey())), sorted(e.getValue()), "window at " + e.getKey());
        }
        assertEquals(1, late, "the event older than the closed windows was counted as late");
    }

    @Test
    void badArgumentsAreOneLineErrors() {
        SparkSession spark = LocalSpark.get();
        Dataset<Row> events = spark.read().format("ctf").load(SampleTraces.path("sample-kernel/kernel")
                .toString());
        assertEquals("streaming analyses: unknown analysis 'nope' (known: " + String.join(", ", Analyses.names())
                + ")", assertThrows(CtfException.class, () -> StreamingAnalyses.windowed(events, "nope", "1s"))
                .getMessage());
        assertTrue(assertThrows(CtfException.class, () -> StreamingAnalyses.windowed(events, "cputop", "soon"))
                .getMessage().startsWith("streaming analyses: bad window 'soon'"));
        assertTrue(assertThrows(CtfException.class, () -> StreamingAnalyses.windowed(events, "cputop", "1s",
                "1s", List.of("cpu.usage >"))).getMessage().startsWith("streaming analyses: alert rule"));
    }

    /** Per window begin, the result lines of {@link LocalEngine} with {@code --window} (no intersection). */
    private static Map<Long, List<String>> batchWindows(Path trace, String names, long window,
                                                        Map<Long, Long> periods) {
        List<Analysis> analyses = new ArrayList<>();
        for (String n : names.split(",")) {
            analyses.add(Analyses.byName(n));
        }
        Map<Long, List<String>> expected = new TreeMap<>();
        for (AnalysisResult r : new LocalEngine().run(List.of(trace), analyses,
                AnalysisConfig.defaults().withWindow(window).withIntersection(false))) {
            for (AnalysisResult.Period p : r.periods()) {
                periods.put(p.begin(), p.end());
                for (ResultTable t : p.tables()) {
                    for (List<Value> row : t.rows()) {
                        List<String> cells = row.stream().map(Value::text).toList();
                        expected.computeIfAbsent(p.begin(), k -> new ArrayList<>()).add(line(
                                r.analysis().name(), p.begin(), p.end(), t.tableClass().name(), t.subtitle(), cells));
                    }
                }
            }
        }
        return expected;
    }

    private static void assertSameWindows(Path trace, String names, long window, int slices) throws Exception {
        SparkSession spark = LocalSpark.get();
        Map<Long, List<String>> expected = batchWindows(trace, names, window, new TreeMap<>());

        Dataset<Row> batch = spark.read().format("ctf").load(trace.toString()).orderBy("ts");
        List<Row> rows = batch.collectAsList();
        MemoryStream<Row> input = MemoryStream.apply(spark, Encoders.row(batch.schema()));
        Dataset<Row> results = StreamingAnalyses.windowed(input.toDF(), names,
                (window / 1_000_000) + "ms", "1ms", List.of("cpu.usage > 0 for 2 windows"));
        StreamingQuery q = results.writeStream().format("memory").queryName("windows").outputMode("append").start();
        try {
            int per = (rows.size() + slices - 1) / slices;
            for (int i = 0; i < rows.size(); i += per) {
                input.addData(CollectionConverters.asScala(rows.subList(i, Math.min(rows.size(), i + per))));
                q.processAllAvailable();
            }
            q.processAllAvailable();
        } finally {
            q.stop();
        }
        Map<Long, List<String>> streamed = new TreeMap<>();
        int alerts = 0;
        long windowEvents = 0;
        for (Row r : spark.sql("SELECT * FROM windows").collectAsList()) {
            if ("alert".equals(r.getString(1))) {
                alerts++;
                continue;
            }
            if ("window".equals(r.getString(1))) {
                windowEvents += Long.parseLong(r.getList(7).get(0).toString());
                continue;
            }
            streamed.computeIfAbsent(r.getLong(2), k -> new ArrayList<>()).add(line(r.getString(1), r.getLong(2),
                    r.getLong(3), r.getString(4), r.getString(5), r.getList(7)));
        }
        // every closed window (all but the last one or two, still open behind the watermark) equals the batch's
        assertTrue(streamed.size() >= expected.size() - 2 && streamed.size() >= 3,
                streamed.size() + " windows streamed, " + expected.size() + " in the batch");
        for (Map.Entry<Long, List<String>> e : streamed.entrySet()) {
            List<String> want = expected.get(e.getKey());
            assertEquals(sorted(want), sorted(e.getValue()), "window at " + e.getKey());
        }
        assertTrue(alerts >= 1, "the rule 'cpu.usage > 0 for 2 windows' fired");
        assertTrue(windowEvents > 0 && windowEvents < rows.size(), "events counted in the closed windows: "
                + windowEvents);
        spark.sql("DROP VIEW IF EXISTS windows");
    }

    private static List<String> sorted(List<String> l) {
        List<String> s = new ArrayList<>(l == null ? List.of() : l);
        s.sort(null);
        return s;
    }

    private static String line(String analysis, long begin, long end, String table, String subtitle,
                               List<String> cells) {
        return analysis + " [" + begin + ", " + end + "] " + table + " / " + subtitle + ": " + String.join(" | ", cells);
    }
}
