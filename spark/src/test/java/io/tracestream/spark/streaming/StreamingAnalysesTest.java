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
import org.apache.spark.sql.streaming.StreamingQuery;
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

    private static void assertSameWindows(Path trace, String names, long window, int slices) throws Exception {
        SparkSession spark = LocalSpark.get();
        List<Analysis> analyses = new ArrayList<>();
        for (String n : names.split(",")) {
            analyses.add(Analyses.byName(n));
        }
        Map<Long, List<String>> expected = new TreeMap<>();
        for (AnalysisResult r : new LocalEngine().run(List.of(trace), analyses,
                AnalysisConfig.defaults().withWindow(window).withIntersection(false))) {
            for (AnalysisResult.Period p : r.periods()) {
                for (ResultTable t : p.tables()) {
                    for (List<Value> row : t.rows()) {
                        List<String> cells = row.stream().map(Value::text).toList();
                        expected.computeIfAbsent(p.begin(), k -> new ArrayList<>()).add(line(
                                r.analysis().name(), p.begin(), p.end(), t.tableClass().name(), t.subtitle(), cells));
                    }
                }
            }
        }

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
