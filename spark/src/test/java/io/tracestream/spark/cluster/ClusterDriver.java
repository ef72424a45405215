package io.tracestream.spark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark driver program for cluster tests, run in its own JVM by {@link SparkCluster} against the standalone
 * master (the test JVM keeps its own local-mode session; a JVM holds one SparkContext). It reads one JSON command
 * per line on standard input and answers one line on standard output, prefixed with {@link #REPLY}:
 *
 * <ul>
 * <li>{@code {"op":"load","view":V,"format":F,"path":P,"options":{...}}} registers a temporary view</li>
 * <li>{@code {"op":"sql","sql":S,"out":FILE}} runs a query and writes its rows, one {@code Row.toString()} per
 * line, to FILE; answers the row count</li>
 * <li>{@code {"op":"analyze",...}}: runs analyses with the Spark engine (see
 * {@link io.tracestream.spark.analyses.ClusterAnalyze})</li>
 * <li>{@code {"op":"exit"}}</li>
 * </ul>
 *
 * <p>Errors answer {@code {"ok":false,"error":...}} (the driver keeps serving). Spark configuration comes from
 * {@code -Dspark.*} system properties, as with {@code spark-submit --conf}.
 */
public final class ClusterDriver {
    /** Prefix of the reply lines (Spark's own console output is on standard error, this keeps them apart). */
    public static final String REPLY = "@@tracestream-driver ";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ClusterDriver() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        System.setOut(System.err); // anything else printed goes to the log
        SparkSession spark = SparkSession.builder().appName("tracestream-cluster-tests").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        int wanted = Integer.getInteger("tracestream.executors", 1);
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (spark.sparkContext().statusTracker().getExecutorInfos().length < wanted + 1
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        reply(out, JSON.createObjectNode().put("ok", true).put("ready", true)
                .put("executors", spark.sparkContext().statusTracker().getExecutorInfos().length - 1));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode cmd = JSON.readTree(line);
            String op = cmd.path("op").asText();
            if (op.equals("exit")) {
                break;
            }
            try {
                reply(out, run(spark, op, cmd));
            } catch (Throwable t) {
                reply(out, JSON.createObjectNode().put("ok", false).put("error", String.valueOf(t.getMessage())));
            }
        }
        spark.stop();
        System.exit(0);
    }

    private static ObjectNode run(SparkSession spark, String op, JsonNode cmd) throws Exception {
        switch (op) {
            case "load" -> {
                DataFrameReader r = spark.read().format(cmd.path("format").asText("ctf"));
                for (Iterator<Map.Entry<String, JsonNode>> it = cmd.path("options").fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    r = r.option(e.getKey(), e.getValue().asText());
                }
                r.load(cmd.path("path").asText()).createOrReplaceTempView(cmd.path("view").asText());
                return JSON.createObjectNode().put("ok", true);
            }
            case "sql" -> {
                List<Row> rows = spark.sql(cmd.path("sql").asText()).collectAsList();
                List<String> lines = new ArrayList<>(rows.size());
                for (Row r : rows) {
                    lines.add(r.toString());
                }
                Files.write(Path.of(cmd.path("out").asText()), lines, StandardCharsets.UTF_8);
                return JSON.createObjectNode().put("ok", true).put("rows", rows.size());
            }
            case "analyze" -> { // the Spark engine of the analyses (io.tracestream.spark.analyses tests)
                return io.tracestream.spark.analyses.ClusterAnalyze.run(spark, cmd);
            }
            default -> throw new IllegalArgumentException("unknown op '" + op + "'");
        }
    }

    private static void reply(PrintStream out, ObjectNode node) {
        out.println(REPLY + node);
        out.flush();
    }
}
