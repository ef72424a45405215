package io.tracestream.spark.stream;

import org.apache.spark.sql.SparkSession;

/** The local[2] Spark session of the streaming tests (shared with other tests of the JVM when one exists). */
final class StreamTestSpark {
    private StreamTestSpark() {
    }

    static synchronized SparkSession get() {
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
