package io.tracestream.spark;

import java.lang.management.ManagementFactory;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The job time of the scan + {@code GROUP BY name} count inside one warm Spark session (start-up excluded), for
 * {@code bench/spark-scan.sh}: {@code ScanBench TRACE MASTER RUNS}. Runs the query once to warm up, then RUNS times
 * for each read mode (aggregate pushdown; column batches; rows) and prints per mode one line
 * {@code MODE SECONDS CPU_SECONDS EVENTS} (fastest run; CPU time of the whole JVM during that run).
 */
public final class ScanBench {
    private ScanBench() {
    }

    public static void main(String[] args) {
        String trace = args[0];
        String master = args[1];
        int runs = Integer.parseInt(args[2]);
        SparkSession spark = SparkSession.builder().master(master).appName("ScanBench")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        String[][] modes = {{"pushdown", "true", "true"}, {"columnar", "false", "true"}, {"rows", "false", "false"}};
        count(spark, trace, "true", "true"); // warm-up
        for (String[] m : modes) {
            double best = Double.MAX_VALUE;
            double bestCpu = 0;
            long events = 0;
            for (int i = 0; i < runs; i++) {
                long cpu0 = cpuNanos();
                long t0 = System.nanoTime();
                events = count(spark, trace, m[1], m[2]);
                double s = (System.nanoTime() - t0) / 1e9;
                if (s < best) {
                    best = s;
                    bestCpu = (cpuNanos() - cpu0) / 1e9;
                }
            }
            System.out.printf("%s %.3f %.2f %d%n", m[0], best, bestCpu, events);
        }
        spark.stop();
    }

    /** Runs the query; returns the number of events counted. */
    private static long count(SparkSession spark, String trace, String push, String columnar) {
        long n = 0;
        for (Row r : spark.read().format("ctf").option("pushDownAggregates", push).option("columnar", columnar)
                .load(trace).groupBy("name").count().collectAsList()) {
            n += r.getLong(1);
        }
        return n;
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
