package io.tracestream.spark.cluster;

import org.apache.spark.sql.SparkSession;

/** The test JVM's local-mode session (local[2]), the reference the cluster results are compared with. */
public final class LocalSpark {
    private LocalSpark() {
    }

    /** The session (shared with other tests of the JVM: a JVM holds one SparkContext). */
    public static synchronized SparkSession get() {
        SparkSession s = SparkSession.builder()
                .master("local[2]")
                .appName("tracestream-spark-tests")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return s;
    }
}
