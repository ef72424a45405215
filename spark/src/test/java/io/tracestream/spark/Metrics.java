package io.tracestream.spark;

import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.execution.SparkPlan;
import org.apache.spark.sql.execution.adaptive.AdaptiveSparkPlanExec;
import org.apache.spark.sql.execution.datasources.v2.BatchScanExec;
import org.apache.spark.sql.execution.metric.SQLMetric;
import scala.jdk.javaapi.CollectionConverters;

/** The custom metrics of the {@code ctf} scans of an executed query (summed over its scans). */
final class Metrics {
    private Metrics() {
    }

    static Map<String, Long> of(Dataset<?> executed) {
        SparkPlan p = executed.queryExecution().executedPlan();
        Map<String, Long> out = new HashMap<>();
        collect(p, out);
        return out;
    }

    private static void collect(SparkPlan p, Map<String, Long> out) {
        if (p instanceof AdaptiveSparkPlanExec a) {
            collect(a.executedPlan(), out);
            return;
        }
        if (p instanceof org.apache.spark.sql.execution.adaptive.QueryStageExec q) {
            collect(q.plan(), out);
            return;
        }
        if (p instanceof BatchScanExec b) {
            for (Map.Entry<String, SQLMetric> e : CollectionConverters.asJava(b.metrics()).entrySet()) {
                out.merge(e.getKey(), e.getValue().value(), Long::sum);
            }
        }
        for (SparkPlan c : CollectionConverters.asJava(p.children())) {
            collect(c, out);
        }
    }
}
