package io.tracestream.spark.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.SchedAnalysis;
import io.tracestream.ctf.testing.SharedTraces;
import io.tracestream.spark.cluster.LocalSpark;
import io.tracestream.spark.cluster.SparkCluster;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Spark engine on a real standalone cluster ({@link SparkCluster}: Master, Worker and executors in their own
 * JVMs, the connector shipped with {@code spark.jars}; task state crosses JVMs as bytes): the same results as the
 * in-process engine, and the same result tables through SQL as in local mode.
 */
class ClusterEngineTest {
    private static SparkCluster.Driver cluster;

    @BeforeAll
    static void start() {
        SharedTraces.assumeAvailable();
        cluster = SparkCluster.get().driver();
    }

    @Test
    void cputopAndSchedstatsOnTheClusterEqualLocal() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        List<String> names = List.of("cputop", "schedstats", "irqstats");
        List<Analysis> analyses = new ArrayList<>();
        names.forEach(n -> analyses.add(Analyses.byName(n)));
        AnalysisConfig c = AnalysisConfig.defaults().withFlags(Set.of(SchedAnalysis.FLAG_TOTAL,
                SchedAnalysis.FLAG_PER_TID));
        String local = Rendered.all(new LocalEngine().run(List.of(trace), analyses, c));
        assertEquals(local, cluster.analyze(List.of(trace), names, ClusterAnalyze.encode(c), 1 << 20));

        // the result tables: same rows through SQL on the cluster as in local mode
        SparkEngine.tables(LocalSpark.get(), new SparkEngine(LocalSpark.get()).run(List.of(trace), analyses, c));
        String q = "SELECT process.tid, process.name, migrations, usage FROM per_process";
        List<String> rows = new ArrayList<>(cluster.sql(q));
        List<String> localRows = new ArrayList<>();
        for (Row r : LocalSpark.get().sql(q).collectAsList()) {
            localRows.add(r.toString());
        }
        Collections.sort(rows);
        Collections.sort(localRows);
        assertEquals(localRows, rows);
    }
}
