package io.tracestream.sparktrace;

import org.apache.spark.SparkContext;
import org.apache.spark.TaskFailedReason;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
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

import javax.management.NotificationListener;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Optional accounting of the plugin's own cost, for the overhead benchmark: with the JVM system property
 * {@code -Dtracestream.plugin.accounting=true} every entry point of the plugin (the listener's callbacks on the
 * listener-bus thread, the executor hooks on the task threads, the GC notification handler, the driver and executor
 * plugins' init/shutdown) is wrapped in a bracket that adds the calling thread's CPU time
 * ({@code ThreadMXBean.getCurrentThreadCpuTime}) and heap allocation
 * ({@code getCurrentThreadAllocatedBytes}) spent inside it to a per-{@link Site} total; {@link #snapshot()} reads
 * the totals. The flusher thread is not bracketed: its whole CPU time is the plugin's (the benchmark reads it per
 * thread).
 *
 * <p>Off by default, and then free: {@link #ON} is a {@code static final} read once, and the plugin installs the
 * bracketing wrappers ({@link #listener}, {@link #executor}, ...) only when it is on, so the recording code itself
 * contains no accounting at all. What the brackets miss: the caller's dispatch to the plugin (Spark's listener bus
 * and plugin container loops), the JVM's building of the GC notifications before the handler runs (the benchmark
 * measures the notification thread apart), and indirect costs (cache and TLB pollution, heap pressure's effect on
 * GC). Each bracket also includes about one clock read of its own ({@link #probeCpuNanos()}).
 */
public final class PluginAccounting {
    /** The system property that turns the accounting on. */
    public static final String PROPERTY = "tracestream.plugin.accounting";
    /** Whether the accounting is on (the system property, read once when the class loads). */
    public static final boolean ON = Boolean.getBoolean(PROPERTY);

    /** Where the plugin's code runs. */
    public enum Site {
        /** The driver's listener callbacks, on the listener-bus thread. */
        LISTENER,
        /** The executor plugin's onTaskStart/onTaskSucceeded/onTaskFailed, on the task threads. */
        TASK_HOOKS,
        /** The GC notification handler (on the JVM's notification thread). */
        GC_HANDLER,
        /** The driver and executor plugins' init, registerMetrics and shutdown (recorder start and close). */
        LIFECYCLE
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final boolean CPU = THREADS.isCurrentThreadCpuTimeSupported() && THREADS.isThreadCpuTimeEnabled();
    private static final boolean ALLOC = THREADS.isThreadAllocatedMemorySupported()
            && THREADS.isThreadAllocatedMemoryEnabled();
    private static final int N = Site.values().length;
    private static final LongAdder[] CALLS = adders();
    private static final LongAdder[] CPU_NS = adders();
    private static final LongAdder[] ALLOC_BYTES = adders();

    private PluginAccounting() {
    }

    private static LongAdder[] adders() {
        LongAdder[] a = new LongAdder[N];
        for (int i = 0; i < N; i++) {
            a[i] = new LongAdder();
        }
        return a;
    }

    /** Whether the per-thread CPU clock is used (else the monotonic clock: wall time inside the brackets). */
    public static boolean threadCpuClock() {
        return CPU;
    }

    /** Whether allocation is counted. */
    public static boolean countsAllocation() {
        return ALLOC;
    }

    static long cpu() {
        return CPU ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
    }

    static long alloc() {
        return ALLOC ? THREADS.getCurrentThreadAllocatedBytes() : 0;
    }

    /** Closes a bracket opened by reading {@link #alloc()} then {@link #cpu()}. */
    static void add(Site site, long cpu0, long alloc0) {
        long c = cpu() - cpu0;
        long a = alloc() - alloc0;
        int i = site.ordinal();
        CALLS[i].increment();
        CPU_NS[i].add(c);
        ALLOC_BYTES[i].add(a);
    }

    /**
     * The totals so far: for each {@link Site} in order, {@code calls, cpuNanos, allocatedBytes} (all zero while
     * {@link #ON} is false).
     */
    public static long[] snapshot() {
        long[] s = new long[3 * N];
        for (int i = 0; i < N; i++) {
            s[3 * i] = CALLS[i].sum();
            s[3 * i + 1] = CPU_NS[i].sum();
            s[3 * i + 2] = ALLOC_BYTES[i].sum();
        }
        return s;
    }

    /**
     * The CPU time an empty bracket measures on this thread (the median of many): the part of each bracketed
     * figure that is the accounting's own clock reads.
     */
    public static long probeCpuNanos() {
        int n = 2001;
        long[] d = new long[n];
        for (int k = 0; k < 3; k++) { // the last round, once the clock reads are compiled
            for (int i = 0; i < n; i++) {
                long a0 = alloc();
                long c0 = cpu();
                d[i] = cpu() - c0;
                if (alloc() < a0) {
                    d[i] = 0; // never: keeps the allocation read in the loop
                }
            }
        }
        java.util.Arrays.sort(d);
        return d[n / 2];
    }

    // ------------------------------------------------------------------ the bracketing wrappers

    static SparkListener listener(SparkListener l) {
        return ON ? new Listener(l) : l;
    }

    static NotificationListener gcListener(NotificationListener l) {
        return ON ? (n, handback) -> {
            long a = alloc();
            long c = cpu();
            try {
                l.handleNotification(n, handback);
            } finally {
                add(Site.GC_HANDLER, c, a);
            }
        } : l;
    }

    static DriverPlugin driver(DriverPlugin d) {
        return ON ? new Driver(d) : d;
    }

    static ExecutorPlugin executor(ExecutorPlugin e) {
        return ON ? new Executor(e) : e;
    }

    /** The listener's callbacks, each bracketed (every callback that {@link RecordingListener} overrides). */
    static final class Listener extends SparkListener {
        private final SparkListener d;

        Listener(SparkListener d) {
            this.d = d;
        }

        @Override
        public void onApplicationStart(SparkListenerApplicationStart e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onApplicationStart(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onApplicationEnd(SparkListenerApplicationEnd e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onApplicationEnd(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onJobStart(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onJobEnd(SparkListenerJobEnd e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onJobEnd(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onStageSubmitted(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onStageCompleted(SparkListenerStageCompleted e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onStageCompleted(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onTaskStart(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onTaskGettingResult(SparkListenerTaskGettingResult e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onTaskGettingResult(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onTaskEnd(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onExecutorAdded(SparkListenerExecutorAdded e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onExecutorAdded(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onExecutorRemoved(SparkListenerExecutorRemoved e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onExecutorRemoved(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }

        @Override
        public void onOtherEvent(SparkListenerEvent e) {
            long a = alloc();
            long c = cpu();
            try {
                d.onOtherEvent(e);
            } finally {
                add(Site.LISTENER, c, a);
            }
        }
    }

    /** The driver plugin's entry points, bracketed. */
    static final class Driver implements DriverPlugin {
        private final DriverPlugin d;

        Driver(DriverPlugin d) {
            this.d = d;
        }

        @Override
        public Map<String, String> init(SparkContext sc, PluginContext ctx) {
            long a = alloc();
            long c = cpu();
            try {
                return d.init(sc, ctx);
            } finally {
                add(Site.LIFECYCLE, c, a);
            }
        }

        @Override
        public void registerMetrics(String appId, PluginContext ctx) {
            long a = alloc();
            long c = cpu();
            try {
                d.registerMetrics(appId, ctx);
            } finally {
                add(Site.LIFECYCLE, c, a);
            }
        }

        @Override
        public Object receive(Object message) throws Exception {
            return d.receive(message);
        }

        @Override
        public void shutdown() {
            long a = alloc();
            long c = cpu();
            try {
                d.shutdown();
            } finally {
                add(Site.LIFECYCLE, c, a);
            }
        }
    }

    /** The executor plugin's entry points, bracketed: the task hooks apart from init/shutdown. */
    static final class Executor implements ExecutorPlugin {
        private final ExecutorPlugin d;

        Executor(ExecutorPlugin d) {
            this.d = d;
        }

        @Override
        public void init(PluginContext ctx, Map<String, String> extraConf) {
            long a = alloc();
            long c = cpu();
            try {
                d.init(ctx, extraConf);
            } finally {
                add(Site.LIFECYCLE, c, a);
            }
        }

        @Override
        public void shutdown() {
            long a = alloc();
            long c = cpu();
            try {
                d.shutdown();
            } finally {
                add(Site.LIFECYCLE, c, a);
            }
        }

        @Override
        public void onTaskStart() {
            long a = alloc();
            long c = cpu();
            try {
                d.onTaskStart();
            } finally {
                add(Site.TASK_HOOKS, c, a);
            }
        }

        @Override
        public void onTaskSucceeded() {
            long a = alloc();
            long c = cpu();
            try {
                d.onTaskSucceeded();
            } finally {
                add(Site.TASK_HOOKS, c, a);
            }
        }

        @Override
        public void onTaskFailed(TaskFailedReason reason) {
            long a = alloc();
            long c = cpu();
            try {
                d.onTaskFailed(reason);
            } finally {
                add(Site.TASK_HOOKS, c, a);
            }
        }
    }
}
