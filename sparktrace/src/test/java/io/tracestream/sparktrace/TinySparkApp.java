package io.tracestream.sparktrace;

import org.apache.spark.sql.SparkSession;

/** A Spark program that knows nothing of tracing (started by {@link RecordCommandTest} under the agent). */
public final class TinySparkApp {
    private TinySparkApp() {
    }

    public static void main(String[] args) {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("tiny")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2").getOrCreate();
        long n = spark.range(0, 10_000, 1, 3).selectExpr("id % 4 AS k").groupBy("k").count().count();
        spark.stop();
        System.out.println("groups=" + n);
    }
}
