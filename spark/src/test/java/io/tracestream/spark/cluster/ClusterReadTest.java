package io.tracestream.spark.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@code ctf} source on a real standalone cluster ({@link SparkCluster}: Master, Worker, executors in their own
 * JVMs, the connector shipped with {@code spark.jars}): reads and SQL give the same rows as local mode.
 */
class ClusterReadTest {
    private static SparkCluster.Driver cluster;
    private static SparkSession local;

    @BeforeAll
    static void start() {
        cluster = SparkCluster.get().driver();
        local = LocalSpark.get();
    }

    private static void load(String view, Path path, Map<String, String> options) {
        cluster.load(view, "ctf", options, path);
        DataFrameReader r = local.read().format("ctf");
        for (Map.Entry<String, String> e : options.entrySet()) {
            r = r.option(e.getKey(), e.getValue());
        }
        r.load(path.toString()).createOrReplaceTempView(view);
    }

    private static List<String> localRows(String sql) {
        List<String> l = new ArrayList<>();
        for (Row r : local.sql(sql).collectAsList()) {
            l.add(r.toString());
        }
        return l;
    }

    /** Same rows on the cluster and locally; sorted first when the query has no total order. */
    private static List<String> assertSameOnCluster(String sql, boolean sort) {
        List<String> c = new ArrayList<>(cluster.sql(sql));
        List<String> l = localRows(sql);
        if (sort) {
            Collections.sort(c);
            Collections.sort(l);
        }
        assertEquals(l.size(), c.size(), "rows of " + sql);
        for (int i = 0; i < l.size(); i++) {
            assertEquals(l.get(i), c.get(i), "row " + i + " of " + sql);
        }
        return c;
    }

    @Test
    void executorsAreSeparateJvmsThatGotTheConnector() {
        load("sample", SampleTraces.sampleUst(), Map.of());
        List<String> commands = cluster.sql("SELECT DISTINCT java_method('java.lang.System', 'getProperty', "
                + "'sun.java.command') FROM sample");
        assertFalse(commands.isEmpty());
        for (String c : commands) {
            assertTrue(c.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend"), c);
        }
    }

    @Test
    void everyRowOfTheGenericTable() {
        load("sample", SampleTraces.sampleUst(), Map.of("maxSplitBytes", "16k"));
        List<String> rows = assertSameOnCluster("SELECT name, ts, time, cycles, cpu, trace, host, stream_id, "
                + "stream_class_id, stream_file, packet_seq, event_id, to_json(context), to_json(payload) "
                + "FROM sample", true);
        assertEquals(3842, rows.size(), "the sample trace's events");
    }

    @Test
    void sqlAggregatesAndVariantAccess() {
        load("sample", SampleTraces.sampleUst(), Map.of());
        assertSameOnCluster("SELECT name, count(*) AS n, min(ts), max(ts) FROM sample GROUP BY name ORDER BY name",
                false);
        assertSameOnCluster("SELECT cpu, count(*), sum(payload:seq::bigint) FROM sample WHERE name = 'tsprobe:tick' "
                + "GROUP BY cpu ORDER BY cpu", false);
    }

    @Test
    void typedTable() {
        load("ints", SampleTraces.sampleUst(), Map.of("events", "tsprobe:ints"));
        assertSameOnCluster("SELECT * FROM ints", true);
    }

    @Test
    void timeRangePushdown() {
        load("sample", SampleTraces.sampleUst(), Map.of());
        List<String> bounds = localRows("SELECT min(ts), max(ts) FROM sample");
        String[] b = bounds.get(0).substring(1, bounds.get(0).length() - 1).split(",");
        long lo = Long.parseLong(b[0]);
        long hi = Long.parseLong(b[1]);
        long mid = lo + (hi - lo) / 2;
        assertSameOnCluster("SELECT name, count(*) FROM sample WHERE ts BETWEEN " + mid + " AND " + (mid + (hi - lo) / 10)
                + " GROUP BY name ORDER BY name", false);
    }

    @Test
    void kernelTraceFromTheSharedCollection() {
        Path trace = SharedTraces.path("tracecompass/scp_dest");
        load("kernel", trace, Map.of("maxSplitBytes", "256k"));
        assertSameOnCluster("SELECT name, count(*) FROM kernel GROUP BY name ORDER BY name", false);
        assertSameOnCluster("SELECT name, ts, cpu, stream_id, packet_seq, to_json(payload) FROM kernel "
                + "WHERE name = 'sched_switch'", true);
    }

    @Test
    void aPathWithoutTracesFailsWithAClearMessageBeforeAnyJob() {
        SparkCluster.ClusterQueryException e = assertThrows(SparkCluster.ClusterQueryException.class,
                () -> cluster.load("none", "ctf", Map.of(), SparkCluster.get().sparkHome().resolve("conf")));
        assertTrue(e.getMessage().contains("no CTF trace found"), e.getMessage());
    }
}
