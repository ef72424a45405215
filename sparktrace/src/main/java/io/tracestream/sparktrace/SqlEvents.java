package io.tracestream.sparktrace;

import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionEnd;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import org.apache.spark.sql.streaming.SourceProgress;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

import java.util.Map;

/**
 * SQL executions and Structured Streaming query events, which reach the listener bus as "other" events (the
 * streaming query listener bus forwards its events to it). Kept apart so that a Spark without the SQL module on the
 * class path only loses these events.
 */
final class SqlEvents {
    private final Recorder recorder;

    private SqlEvents(Recorder recorder) {
        this.recorder = recorder;
    }

    /** An instance, or null when Spark SQL's classes are absent. */
    static SqlEvents create(Recorder recorder) {
        try {
            Class.forName("org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart", false,
                    SqlEvents.class.getClassLoader());
            Class.forName("org.apache.spark.sql.streaming.StreamingQueryListener$QueryProgressEvent", false,
                    SqlEvents.class.getClassLoader());
            return new SqlEvents(recorder);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    void onEvent(SparkListenerEvent e) {
        Emitter em = recorder.emitter();
        if (e instanceof SparkListenerSQLExecutionStart s) {
            if (em.begin(SparkEvents.SQL_EXECUTION_START)) {
                em.i64(s.executionId())
                        .i64(s.rootExecutionId().isDefined() ? ((Number) s.rootExecutionId().get()).longValue() : -1)
                        .str(s.description()).str(s.details()).str(s.physicalPlanDescription()).i64(s.time()).end();
            }
        } else if (e instanceof SparkListenerSQLExecutionEnd s) {
            if (em.begin(SparkEvents.SQL_EXECUTION_END)) {
                em.i64(s.executionId()).i64(s.time())
                        .str(s.errorMessage().isDefined() ? s.errorMessage().get() : "").end();
            }
        } else if (e instanceof StreamingQueryListener.QueryStartedEvent s) {
            if (em.begin(SparkEvents.STREAMING_QUERY_START)) {
                em.str(s.id().toString()).str(s.runId().toString()).str(s.name()).str(s.timestamp()).end();
            }
        } else if (e instanceof StreamingQueryListener.QueryProgressEvent s) {
            progress(em, s.progress());
        } else if (e instanceof StreamingQueryListener.QueryIdleEvent s) {
            if (em.begin(SparkEvents.STREAMING_QUERY_IDLE)) {
                em.str(s.id().toString()).str(s.runId().toString()).str(s.timestamp()).end();
            }
        } else if (e instanceof StreamingQueryListener.QueryTerminatedEvent s) {
            if (em.begin(SparkEvents.STREAMING_QUERY_TERMINATED)) {
                em.str(s.id().toString()).str(s.runId().toString())
                        .str(s.exception().isDefined() ? s.exception().get() : "").end();
            }
        }
    }

    private void progress(Emitter em, StreamingQueryProgress p) {
        String runId = p.runId().toString();
        SourceProgress[] sources = p.sources() == null ? new SourceProgress[0] : p.sources();
        StateOperatorProgress[] ops = p.stateOperators() == null ? new StateOperatorProgress[0] : p.stateOperators();
        if (em.begin(SparkEvents.STREAMING_QUERY_PROGRESS)) {
            Map<String, String> et = p.eventTime() == null ? Map.of() : p.eventTime();
            em.str(p.id().toString()).str(runId).str(p.name()).i64(p.batchId()).i64(p.batchDuration())
                    .str(p.timestamp()).i64(p.numInputRows()).f64(p.inputRowsPerSecond())
                    .f64(p.processedRowsPerSecond()).str(et.get("watermark")).str(et.get("min")).str(et.get("max"))
                    .str(et.get("avg"));
            kv(em, p.durationMs());
            em.str(p.sink() == null ? "" : p.sink().description())
                    .i64(p.sink() == null ? -1 : p.sink().numOutputRows()).i32(sources.length).i32(ops.length).end();
        }
        for (int i = 0; i < sources.length; i++) {
            SourceProgress s = sources[i];
            if (em.begin(SparkEvents.STREAMING_SOURCE_PROGRESS)) {
                em.str(runId).i64(p.batchId()).i32(i).str(s.description()).str(s.startOffset()).str(s.endOffset())
                        .str(s.latestOffset()).i64(s.numInputRows()).f64(s.inputRowsPerSecond())
                        .f64(s.processedRowsPerSecond()).end();
            }
        }
        for (int i = 0; i < ops.length; i++) {
            StateOperatorProgress o = ops[i];
            if (em.begin(SparkEvents.STREAMING_STATE_OPERATOR)) {
                em.str(runId).i64(p.batchId()).i32(i).str(o.operatorName()).i64(o.numRowsTotal())
                        .i64(o.numRowsUpdated()).i64(o.allUpdatesTimeMs()).i64(o.numRowsRemoved())
                        .i64(o.allRemovalsTimeMs()).i64(o.commitTimeMs()).i64(o.memoryUsedBytes())
                        .i64(o.numRowsDroppedByWatermark()).i64(o.numShufflePartitions())
                        .i64(o.numStateStoreInstances());
                kv(em, o.customMetrics());
                em.end();
            }
        }
    }

    private static void kv(Emitter em, Map<String, Long> m) {
        if (m == null) {
            em.count(0);
            return;
        }
        em.count(m.size());
        for (Map.Entry<String, Long> e : m.entrySet()) {
            em.str(e.getKey()).i64(e.getValue() == null ? -1 : e.getValue());
        }
    }
}
