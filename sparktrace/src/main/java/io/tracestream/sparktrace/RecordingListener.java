package io.tracestream.sparktrace;

import org.apache.spark.TaskEndReason;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.executor.InputMetrics;
import org.apache.spark.executor.OutputMetrics;
import org.apache.spark.executor.ShuffleReadMetrics;
import org.apache.spark.executor.ShuffleWriteMetrics;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.JobSucceeded$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerApplicationEnd;
import org.apache.spark.scheduler.SparkListenerApplicationStart;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.scheduler.SparkListenerExecutorAdded;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskGettingResult;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.scheduler.TaskInfo;
import scala.Option;
import scala.collection.Iterator;

import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The driver's listener: turns Spark's listener-bus events into trace events (on the listener-bus thread, into
 * that thread's ring). SQL and Structured Streaming events arrive as "other" events and are handled by
 * {@link SqlEvents} when the SQL classes are present.
 */
final class RecordingListener extends SparkListener {
    private static final Logger LOG = Logger.getLogger(RecordingListener.class.getName());

    /** Number of TaskMetrics fields of task_end (those after has_metrics). */
    private static final int METRIC_FIELDS = SparkEvents.TASK_END.kinds.length
            - java.util.Arrays.asList(SparkEvents.TASK_END.fieldNames).indexOf("has_metrics") - 1;

    private final Recorder recorder;
    private final SqlEvents sql;
    private boolean warned;

    RecordingListener(Recorder recorder) {
        this.recorder = recorder;
        this.sql = SqlEvents.create(recorder);
    }

    @Override
    public void onApplicationStart(SparkListenerApplicationStart e) {
        recorder.identify(orEmpty(e.appId()), e.appName());
        Emitter em = recorder.emitter();
        if (em.begin(SparkEvents.APPLICATION_START)) {
            em.str(orEmpty(e.appId())).str(e.appName()).str(orEmpty(e.appAttemptId())).str(e.sparkUser())
                    .i64(e.time()).end();
        }
    }

    @Override
    public void onApplicationEnd(SparkListenerApplicationEnd e) {
        Emitter em = recorder.emitter();
        if (em.begin(SparkEvents.APPLICATION_END)) {
            em.i64(e.time()).end();
        }
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        Emitter em = recorder.emitter();
        if (!em.begin(SparkEvents.JOB_START)) {
            return;
        }
        Properties p = e.properties();
        List<StageInfo> stages = new ArrayList<>();
        for (Iterator<StageInfo> it = e.stageInfos().iterator(); it.hasNext(); ) {
            stages.add(it.next());
        }
        // The job's call site: set by the application (callSite.short), else the result stage's name ("count at
        // App.java:12"), the last stage of the job.
        String callSite = property(p, "callSite.short");
        if (callSite.isEmpty() && !stages.isEmpty()) {
            callSite = stages.stream().max(java.util.Comparator.comparingInt(StageInfo::stageId)).get().name();
        }
        em.i32(e.jobId()).i64(e.time()).i64(sqlExecutionId(p)).str(property(p, "spark.jobGroup.id"))
                .str(property(p, "spark.job.description")).str(callSite);
        em.count(stages.size());
        for (StageInfo s : stages) {
            em.i32(s.stageId());
        }
        em.end();
        for (StageInfo s : stages) {
            if (em.begin(SparkEvents.JOB_STAGE)) {
                em.i32(e.jobId()).i32(s.stageId()).i32(s.attemptNumber()).str(s.name()).i32(s.numTasks())
                        .i32(optionInt(s.shuffleDepId()));
                parents(em, s);
                em.end();
            }
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        Emitter em = recorder.emitter();
        if (em.begin(SparkEvents.JOB_END)) {
            boolean ok = e.jobResult() == JobSucceeded$.MODULE$;
            em.i32(e.jobId()).i64(e.time()).bool(ok).str(ok ? "JobSucceeded" : String.valueOf(e.jobResult()))
                    .end();
        }
    }

    @Override
    public void onStageSubmitted(SparkListenerStageSubmitted e) {
        Emitter em = recorder.emitter();
        if (!em.begin(SparkEvents.STAGE_SUBMITTED)) {
            return;
        }
        StageInfo s = e.stageInfo();
        Properties p = e.properties();
        em.i32(s.stageId()).i32(s.attemptNumber()).str(s.name()).i32(s.numTasks());
        parents(em, s);
        em.i32(optionInt(s.shuffleDepId())).i32(s.resourceProfileId()).i32(s.rddInfos().size())
                .i64(optionLong(s.submissionTime())).i64(sqlExecutionId(p)).str(property(p, "spark.jobGroup.id"))
                .str(s.details()).end();
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        Emitter em = recorder.emitter();
        if (!em.begin(SparkEvents.STAGE_COMPLETED)) {
            return;
        }
        StageInfo s = e.stageInfo();
        em.i32(s.stageId()).i32(s.attemptNumber()).str(s.name()).i32(s.numTasks()).str(s.getStatusString())
                .str(s.failureReason().isDefined() ? s.failureReason().get() : "")
                .i64(optionLong(s.submissionTime())).i64(optionLong(s.completionTime())).end();
    }

    @Override
    public void onTaskStart(SparkListenerTaskStart e) {
        Emitter em = recorder.emitter();
        if (!em.begin(SparkEvents.TASK_START)) {
            return;
        }
        TaskInfo t = e.taskInfo();
        em.i64(t.taskId()).i32(e.stageId()).i32(e.stageAttemptId()).i32(t.index()).i32(t.partitionId())
                .i32(t.attemptNumber()).str(t.executorId()).str(t.host()).locality(t.taskLocality().toString())
                .bool(t.speculative()).i64(t.launchTime()).end();
    }

    @Override
    public void onTaskGettingResult(SparkListenerTaskGettingResult e) {
        Emitter em = recorder.emitter();
        if (em.begin(SparkEvents.TASK_GETTING_RESULT)) {
            em.i64(e.taskInfo().taskId()).i64(e.taskInfo().gettingResultTime()).end();
        }
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        Emitter em = recorder.emitter();
        if (!em.begin(SparkEvents.TASK_END)) {
            return;
        }
        TaskInfo t = e.taskInfo();
        TaskEndReason reason = e.reason();
        String failure = reason instanceof TaskFailedReason f ? f.toErrorString() : "";
        String reasonName = reason.getClass().getSimpleName();
        if (reasonName.endsWith("$")) {
            reasonName = reasonName.substring(0, reasonName.length() - 1);
        }
        TaskMetrics m = e.taskMetrics();
        em.i64(t.taskId()).i32(e.stageId()).i32(e.stageAttemptId()).i32(t.index()).i32(t.partitionId())
                .i32(t.attemptNumber()).str(t.executorId()).str(t.host()).locality(t.taskLocality().toString())
                .bool(t.speculative()).str(e.taskType()).str(t.status()).bool(t.successful()).str(reasonName)
                .str(failure).i64(t.launchTime()).i64(t.finishTime()).i64(t.gettingResultTime())
                .bool(m != null);
        if (m == null) {
            for (int i = 0; i < METRIC_FIELDS; i++) {
                em.i64(-1);
            }
        } else {
            InputMetrics in = m.inputMetrics();
            OutputMetrics out = m.outputMetrics();
            ShuffleReadMetrics sr = m.shuffleReadMetrics();
            ShuffleWriteMetrics sw = m.shuffleWriteMetrics();
            em.i64(m.executorDeserializeTime()).i64(m.executorDeserializeCpuTime()).i64(m.executorRunTime())
                    .i64(m.executorCpuTime()).i64(m.resultSize()).i64(m.jvmGCTime())
                    .i64(m.resultSerializationTime()).i64(m.memoryBytesSpilled()).i64(m.diskBytesSpilled())
                    .i64(m.peakExecutionMemory()).i64(m.peakOnHeapExecutionMemory())
                    .i64(m.peakOffHeapExecutionMemory())
                    .i64(in.bytesRead()).i64(in.recordsRead()).i64(out.bytesWritten()).i64(out.recordsWritten())
                    .i64(sr.remoteBlocksFetched()).i64(sr.localBlocksFetched()).i64(sr.remoteBytesRead())
                    .i64(sr.remoteBytesReadToDisk()).i64(sr.localBytesRead()).i64(sr.fetchWaitTime())
                    .i64(sr.recordsRead()).i64(sr.remoteReqsDuration()).i64(sr.corruptMergedBlockChunks())
                    .i64(sr.mergedFetchFallbackCount()).i64(sr.remoteMergedBlocksFetched())
                    .i64(sr.localMergedBlocksFetched()).i64(sr.remoteMergedChunksFetched())
                    .i64(sr.localMergedChunksFetched()).i64(sr.remoteMergedBytesRead())
                    .i64(sr.localMergedBytesRead()).i64(sr.remoteMergedReqsDuration())
                    .i64(sw.bytesWritten()).i64(sw.recordsWritten()).i64(sw.writeTime());
        }
        em.end();
    }

    @Override
    public void onExecutorAdded(SparkListenerExecutorAdded e) {
        Emitter em = recorder.emitter();
        if (em.begin(SparkEvents.EXECUTOR_ADDED)) {
            em.str(e.executorId()).str(e.executorInfo().executorHost()).i32(e.executorInfo().totalCores())
                    .i32(e.executorInfo().resourceProfileId()).i64(e.time()).end();
        }
    }

    @Override
    public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
        Emitter em = recorder.emitter();
        if (em.begin(SparkEvents.EXECUTOR_REMOVED)) {
            em.str(e.executorId()).str(e.reason()).i64(e.time()).end();
        }
    }

    @Override
    public void onOtherEvent(SparkListenerEvent e) {
        if (sql == null) {
            return;
        }
        try {
            sql.onEvent(e);
        } catch (RuntimeException ex) {
            if (!warned) {
                warned = true;
                LOG.log(Level.WARNING, "tracestream: cannot record " + e.getClass().getName() + ": " + ex, ex);
            }
        }
    }

    private static void parents(Emitter em, StageInfo s) {
        em.count(s.parentIds().size());
        for (Iterator<Object> it = s.parentIds().iterator(); it.hasNext(); ) {
            em.i32(((Number) it.next()).intValue());
        }
    }

    private static String property(Properties p, String key) {
        return p == null ? "" : p.getProperty(key, "");
    }

    private static long sqlExecutionId(Properties p) {
        String v = property(p, "spark.sql.execution.id");
        try {
            return v.isEmpty() ? -1 : Long.parseLong(v);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String orEmpty(Option<String> o) {
        return o.isDefined() ? o.get() : "";
    }

    private static int optionInt(Option<Object> o) {
        return o.isDefined() ? ((Number) o.get()).intValue() : -1;
    }

    private static long optionLong(Option<Object> o) {
        return o.isDefined() ? ((Number) o.get()).longValue() : -1;
    }
}
