package io.tracestream.spark.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.SchedAnalysis;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.testing.SharedTraces;
import io.tracestream.spark.cluster.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine in local mode ({@code local[2]}) gives exactly the in-process engine's results (text, LAMI,
 * losses) for every registered analysis on real kernel traces, with many time slices per chain (a small
 * maxSplitBytes: state carried across Spark tasks), with windows and time ranges.
 */
class SparkEngineTest {
    private static SparkSession spark;

    @BeforeAll
    static void session() {
        SharedTraces.assumeAvailable();
        spark = LocalSpark.get();
    }

    private static void assertSame(Path trace, AnalysisConfig c, long splitBytes, int minWaves) {
        List<Analysis> all = Analyses.all();
        String local = Rendered.all(new LocalEngine().run(List.of(trace), all, c));
        SparkEngine engine = new SparkEngine(spark).maxSplitBytes(splitBytes);
        String onSpark = Rendered.all(engine.run(List.of(trace), all, c));
        assertEquals(local, onSpark, "Spark vs local on " + trace + " with slices of " + splitBytes + " bytes");
        assertTrue(engine.lastWaves() >= minWaves, "waves: " + engine.lastWaves());
    }

    @Test
    void manyThreadsEveryAnalysisManySlices() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        AnalysisConfig c = AnalysisConfig.defaults().withFlags(Set.of(SchedAnalysis.FLAG_TOTAL,
                SchedAnalysis.FLAG_PER_PRIO, SchedAnalysis.FLAG_PER_TID));
        assertSame(trace, c, 1 << 20, 4);
    }

    /** The results as typed, queryable tables, one temporary view per LAMI table class. */
    @Test
    void resultTablesAsDataFrames() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        List<Analysis> a = List.of(Analyses.byName("cputop"), Analyses.byName("irqstats"));
        List<AnalysisResult> results = new SparkEngine(spark).run(List.of(trace), a, AnalysisConfig.defaults());
        java.util.Map<String, org.apache.spark.sql.Dataset<org.apache.spark.sql.Row>> t =
                SparkEngine.tables(spark, results);
        assertTrue(t.containsKey("per_process") && t.containsKey("per_cpu"), t.keySet().toString());
        org.apache.spark.sql.types.StructType s = t.get("per_process").schema();
        assertEquals("struct<name:string,pid:bigint,tid:bigint>", s.apply("process").dataType().simpleString());
        assertEquals("double", s.apply("usage").dataType().simpleString());
        assertEquals("bigint", s.apply("migrations").dataType().simpleString());
        assertEquals("ratio", s.apply("usage").metadata().getString("class"));
        assertEquals(results.get(0).table(0, "per-process").rows().size(),
                spark.sql("SELECT count(*) FROM per_process").first().getLong(0));
        // the top thread by SQL is the first row of the table
        io.tracestream.analyses.Value.Process top = (io.tracestream.analyses.Value.Process)
                results.get(0).table(0, "per-process").rows().get(0).get(0);
        assertEquals(top.tid(), spark.sql("SELECT process.tid FROM per_process ORDER BY usage DESC LIMIT 1")
                .first().getLong(0));
    }

    @Test
    void bug446190WindowsAndRange() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        List<AnalysisResult> whole = new LocalEngine().run(List.of(trace), List.of(Analyses.byName("cputop")),
                AnalysisConfig.defaults());
        long b = whole.get(0).periods().get(0).begin();
        long e = whole.get(0).periods().get(0).end();
        AnalysisConfig c = AnalysisConfig.defaults().withRange(b + (e - b) / 5, e - (e - b) / 5)
                .withWindow((e - b) / 7);
        assertSame(trace, c, 64 << 10, 4);
        assertSame(trace, AnalysisConfig.defaults(), 64 << 10, 4);
    }

    @Test
    void manyThreadsNoIntersectionWithFilters() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        AnalysisConfig c = AnalysisConfig.defaults().withIntersection(false).withTop(3).withCpus(Set.of(0L, 1L));
        assertSame(trace, c, 1 << 20, 2);
    }

    /** scp_src goes back in time across streams: both engines stop with the same one-line error. */
    @Test
    void scpSrcSameErrorOrSameResults() {
        Path trace = SharedTraces.path("tracecompass/scp_src");
        for (Analysis a : Analyses.all()) {
            String local;
            try {
                local = Rendered.all(new LocalEngine().run(List.of(trace), List.of(a), AnalysisConfig.defaults()));
            } catch (CtfException e) {
                CtfException s = assertThrows(CtfException.class, () -> new SparkEngine(spark)
                        .run(List.of(trace), List.of(a), AnalysisConfig.defaults()), a.name());
                assertEquals(e.getMessage(), s.getMessage(), a.name());
                continue;
            }
            assertEquals(local, Rendered.all(new SparkEngine(spark).run(List.of(trace), List.of(a),
                    AnalysisConfig.defaults())), a.name());
        }
    }
}
