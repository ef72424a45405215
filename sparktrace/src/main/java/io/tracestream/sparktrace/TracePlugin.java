package io.tracestream.sparktrace;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The TraceStream Spark plugin: {@code --conf spark.plugins=io.tracestream.sparktrace.TracePlugin} (with the plugin
 * jar on the driver's and executors' class path, for instance through {@code --jars}) records one CTF 1.8 trace per
 * driver and executor process under {@code spark.tracestream.output}/APP_ID/.
 *
 * <p>The driver side registers a listener that records the application, jobs, stages (with their parents: the DAG),
 * tasks with all their metrics, executors, SQL executions and Structured Streaming progress. The executor side
 * records, from the thread that runs each task, the task's start and end with that thread's Linux TID and the
 * process id, so task intervals can be joined with kernel traces. Both record the JVM's garbage collections.
 * Timestamps are {@code System.nanoTime()} (CLOCK_MONOTONIC, LTTng's clock). Settings: see the README
 * ({@code spark.tracestream.*}).
 */
public final class TracePlugin implements SparkPlugin {
    private static final Logger LOG = Logger.getLogger(TracePlugin.class.getName());

    /** Creates the plugin (Spark instantiates it by name). */
    public TracePlugin() {
    }

    @Override
    public DriverPlugin driverPlugin() {
        return PluginAccounting.driver(new Driver());
    }

    @Override
    public ExecutorPlugin executorPlugin() {
        return PluginAccounting.executor(new Executor());
    }

    /** Driver side: a listener on the listener bus. */
    static final class Driver implements DriverPlugin {
        private Recorder recorder;
        private SparkContext context;

        @Override
        public Map<String, String> init(SparkContext sc, PluginContext ctx) {
            TraceConfig config = TraceConfig.from(sc.getConf()); // a bad setting fails here, naming the key
            if (config.enabled()) {
                try {
                    context = sc;
                    recorder = Recorder.acquire(config, "driver", "driver");
                    recorder.identify(null, sc.appName());
                    recorder.settings(k -> sc.getConf().get(k, null));
                    sc.addSparkListener(PluginAccounting.listener(new RecordingListener(recorder)));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "tracestream: tracing disabled: " + e, e);
                    shutdown();
                }
            }
            return Map.of();
        }

        @Override
        public void registerMetrics(String appId, PluginContext pluginContext) {
            if (recorder != null) {
                recorder.identify(appId, context.appName());
            }
        }

        @Override
        public void shutdown() {
            if (recorder != null) {
                recorder.release();
                recorder = null;
            }
        }
    }

    /** Executor side: task start/end in the task's own thread. */
    static final class Executor implements ExecutorPlugin {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private Recorder recorder;
        private boolean threadCpu;
        /** Per task thread: the running task (task id, stage id, stage attempt, thread CPU time at start). */
        private final ThreadLocal<long[]> running = ThreadLocal.withInitial(() -> new long[4]);

        @Override
        public void init(PluginContext ctx, Map<String, String> extraConf) {
            TraceConfig config = TraceConfig.from(ctx.conf());
            if (config.enabled()) {
                try {
                    start(ctx, config);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "tracestream: tracing disabled: " + e, e);
                    shutdown();
                }
            }
        }

        private void start(PluginContext ctx, TraceConfig config) {
            recorder = Recorder.acquire(config, "executor", ctx.executorID());
            recorder.settings(k -> ctx.conf().get(k, null));
            // In local mode the executor starts before the application id exists; the driver side sets it.
            scala.Option<String> app = ctx.conf().getOption("spark.app.id");
            recorder.identify(app.isDefined() ? app.get() : null, ctx.conf().get("spark.app.name", ""));
            threadCpu = THREADS.isCurrentThreadCpuTimeSupported();
        }

        @Override
        public void onTaskStart() {
            Recorder r = recorder;
            TaskContext tc = TaskContext.get();
            if (r == null || tc == null) {
                return;
            }
            Emitter em = r.emitter();
            long[] task = running.get();
            task[0] = tc.taskAttemptId();
            task[1] = tc.stageId();
            task[2] = tc.stageAttemptNumber();
            task[3] = threadCpu ? THREADS.getCurrentThreadCpuTime() : -1;
            if (em.begin(SparkEvents.TASK_THREAD_START)) {
                em.i64(tc.taskAttemptId()).i32(tc.stageId()).i32(tc.stageAttemptNumber()).i32(tc.partitionId())
                        .i32(tc.attemptNumber()).i32(em.ring.tid).i32(em.ring.pid).end();
            }
        }

        @Override
        public void onTaskSucceeded() {
            taskEnded(true, "");
        }

        @Override
        public void onTaskFailed(TaskFailedReason reason) {
            taskEnded(false, reason == null ? "" : reason.toErrorString());
        }

        private void taskEnded(boolean succeeded, String failure) {
            Recorder r = recorder;
            if (r == null) {
                return;
            }
            long[] task = running.get();
            long cpu = task[3] >= 0 && threadCpu ? THREADS.getCurrentThreadCpuTime() - task[3] : -1;
            Emitter em = r.emitter();
            if (em.begin(SparkEvents.TASK_THREAD_END)) {
                em.i64(task[0]).i32((int) task[1]).i32((int) task[2]).i32(em.ring.tid).i32(em.ring.pid)
                        .bool(succeeded).str(failure).i64(cpu).end();
            }
        }

        @Override
        public void shutdown() {
            if (recorder != null) {
                recorder.release();
                recorder = null;
            }
        }
    }
}
