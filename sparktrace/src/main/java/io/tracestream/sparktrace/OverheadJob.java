package io.tracestream.sparktrace;

import org.apache.spark.sql.SparkSession;

/**
 * The workload of {@code bench/spark-plugin-overhead.sh}: {@code OverheadJob cpu|shuffle ITERATIONS [ROWS]}. Runs one
 * warm-up and then ITERATIONS timed runs of a CPU-bound job (400 short tasks hashing ROWS numbers, default 120 M) or
 * a shuffle-heavy job (a 40-partition group-by of ROWS rows over 20 map tasks, default 20 M: the time goes into
 * moving the rows, not into task start-up), printing
 * {@code iteration_ms N} for each timed run. Tracing is on when the JVM's system properties enable the plugin
 * ({@code -Dspark.plugins=...}); the job itself never mentions it.
 */
public final class OverheadJob {
    private OverheadJob() {
    }

    public static void main(String[] args) {
        if (args.length < 2 || args.length > 3 || !(args[0].equals("cpu") || args[0].equals("shuffle"))) {
            System.err.println("usage: OverheadJob cpu|shuffle ITERATIONS [ROWS]");
            System.exit(2);
        }
        int iterations = Integer.parseInt(args[1]);
        boolean cpu = args[0].equals("cpu");
        long rows = args.length == 3 ? Long.parseLong(args[2]) : cpu ? 120_000_000L : 20_000_000L;
        SparkSession spark = SparkSession.builder().master(System.getProperty("spark.master", "local[2]"))
                .appName("tracestream-overhead-" + args[0]).config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", cpu ? "200" : "40")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
        try {
            for (int i = 0; i <= iterations; i++) {
                long t0 = System.nanoTime();
                if (cpu) {
                    spark.range(0, rows, 1, 400).selectExpr("sum(hash(id, id * 3))").collect();
                } else {
                    spark.range(0, rows, 1, 20).selectExpr("id % 200000 AS k", "id AS v").groupBy("k")
                            .sum("v").selectExpr("count(*)").collect();
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (i > 0) {
                    System.out.println("iteration_ms " + ms);
                }
            }
        } finally {
            spark.stop();
        }
    }
}
