package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.TraceSet;
import org.apache.spark.SparkException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import scala.Tuple2;
import scala.collection.Iterator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs real jobs in local mode with the plugin, then checks the trace against what Spark itself reported to a
 * listener of the test, against what the tasks saw of their own threads, and against babeltrace2.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalModeTraceTest {
    @TempDir
    static Path out;

    private final Reference reference = new Reference();
    private final Map<Long, String[]> taskThreads = new HashMap<>();
    private String appId;
    private Path trace;
    private List<EventRecord> events;
    private Throwable failedJob;

    /** What Spark reports to an ordinary listener: the reference. */
    static final class Reference extends SparkListener {
        final Map<Integer, Integer> numTasks = new ConcurrentHashMap<>();
        final Map<Integer, Set<Integer>> parents = new ConcurrentHashMap<>();
        final Map<Integer, List<Long>> tasksByStage = new ConcurrentHashMap<>();
        final Map<Integer, Long> shuffleBytesWritten = new ConcurrentHashMap<>();
        final Map<Integer, List<Integer>> jobStages = new ConcurrentHashMap<>();
        final Map<Long, String> locality = new ConcurrentHashMap<>();

        @Override
        public void onJobStart(SparkListenerJobStart e) {
            List<Integer> ids = new ArrayList<>();
            for (Iterator<StageInfo> it = e.stageInfos().iterator(); it.hasNext(); ) {
                ids.add(it.next().stageId());
            }
            jobStages.put(e.jobId(), ids);
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted e) {
            StageInfo s = e.stageInfo();
            numTasks.put(s.stageId(), s.numTasks());
            Set<Integer> p = new TreeSet<>();
            for (Iterator<Object> it = s.parentIds().iterator(); it.hasNext(); ) {
                p.add((Integer) it.next());
            }
            parents.put(s.stageId(), p);
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd e) {
            tasksByStage.computeIfAbsent(e.stageId(), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                    .add(e.taskInfo().taskId());
            locality.put(e.taskInfo().taskId(), e.taskInfo().taskLocality().toString());
            if (e.taskMetrics() != null) {
                shuffleBytesWritten.merge(e.stageId(), e.taskMetrics().shuffleWriteMetrics().bytesWritten(),
                        Long::sum);
            }
        }
    }

    static SparkSession.Builder session(String name, Path out) {
        return SparkSession.builder().master("local[2]").appName(name)
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "3")
                .config("spark.plugins", TracePlugin.class.getName())
                .config("spark.tracestream.output", out.toString())
                .config("spark.tracestream.lttng", "false");
    }

    /** In a task: "taskId", "tid" (from /proc/thread-self), "comm" of that tid, Java thread name. */
    static String describeThread() {
        try {
            Path self = Files.readSymbolicLink(Path.of("/proc/thread-self"));
            String tid = self.getFileName().toString();
            String comm = Files.readString(Path.of("/proc/self/task", tid, "comm")).trim();
            return TaskContext.get().taskAttemptId() + "\t" + tid + "\t" + comm + "\t"
                    + Thread.currentThread().getName();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @BeforeAll
    void runJobs() {
        SparkSession spark = session("sparktrace-local", out).getOrCreate();
        try {
            spark.sparkContext().addSparkListener(reference);
            appId = spark.sparkContext().applicationId();
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            CollectionAccumulator<String> threads = spark.sparkContext().collectionAccumulator("threads");
            // job 0: two stages, 4 map tasks and 3 reduce tasks
            List<Integer> data = IntStream.range(0, 2000).boxed().toList();
            jsc.parallelize(data, 4).mapPartitionsToPair(it -> {
                threads.add(describeThread());
                List<Tuple2<Integer, Integer>> l = new ArrayList<>();
                it.forEachRemaining(x -> l.add(new Tuple2<>(x % 7, x)));
                return l.iterator();
            }).reduceByKey(Integer::sum, 3).mapPartitions(it -> {
                threads.add(describeThread());
                it.forEachRemaining(x -> { });
                return List.of(1).iterator();
            }).collect();
            // a SQL query
            spark.range(0, 100_000, 1, 4).selectExpr("id % 10 AS k").groupBy("k").count().collectAsList();
            // a job whose task fails (local mode does not retry)
            failedJob = assertThrows(SparkException.class, () -> jsc.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
                if (x == 3) {
                    throw new IllegalStateException("deliberate failure in task");
                }
                return x;
            }).collect());
            collectGarbageAndWaitForItsNotification();
            for (String s : threads.value()) {
                String[] f = s.split("\t");
                taskThreads.put(Long.parseLong(f[0]), f);
            }
        } finally {
            spark.stop();
        }
        List<Path> traces = TraceChecks.traceDirs(out);
        assertEquals(1, traces.size(), "one process, one trace: " + traces);
        trace = traces.get(0);
        events = TraceChecks.events(trace);
    }

    @AfterAll
    void clear() {
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    private List<EventRecord> named(String name) {
        return TraceChecks.named(events, name);
    }

    @Test
    void babeltrace2ReadsTheTraceAndPrintsTheSameText() {
        String text = TraceChecks.assertSameAsBabeltrace(trace);
        assertTrue(text.contains("spark:task_end"));
    }

    @Test
    void traceIsNamedAfterTheApplicationAndTheProcess() {
        assertEquals(out.toAbsolutePath().resolve(appId), trace.getParent());
        assertTrue(trace.getFileName().toString().startsWith("driver-"));
        assertTrue(trace.getFileName().toString().endsWith("-" + ProcessHandle.current().pid()));
        try (TraceSet ts = TraceSet.open(trace)) {
            Map<String, Object> env = ts.traces().get(0).traceClass().environment();
            assertEquals(appId, env.get("spark_app_id"));
            assertEquals("driver,executor", env.get("spark_roles"));
            assertEquals("local[2]", env.get("conf_spark_master"));
            assertEquals("3", env.get("conf_spark_sql_shuffle_partitions"));
            assertEquals(ProcessHandle.current().pid(), ((Number) env.get("vpid")).longValue());
        }
        assertEquals(appId, named("spark:application_start").get(0).getString("app_id"));
        assertEquals(1, named("spark:application_end").size());
        assertEquals("driver", named("spark:executor_added").get(0).getString("executor_id"));
        assertEquals(1, named("tracestream:process_start").size());
        assertEquals("tracestream:process_start", events.get(0).name());
        assertEquals("tracestream:process_end", events.get(events.size() - 1).name());
    }

    @Test
    void everyTaskOfEveryStageIsRecordedWithItsStage() {
        Map<Integer, List<Long>> traced = new TreeMap<>();
        for (EventRecord e : named("spark:task_end")) {
            traced.computeIfAbsent((int) e.getLong("stage_id"), k -> new ArrayList<>()).add(e.getLong("task_id"));
        }
        Map<Integer, List<Long>> expected = new TreeMap<>();
        reference.tasksByStage.forEach((k, v) -> expected.put(k, v.stream().sorted().toList()));
        traced.replaceAll((k, v) -> v.stream().sorted().toList());
        assertEquals(expected, traced);
        for (EventRecord s : named("spark:stage_submitted")) {
            int stage = (int) s.getLong("stage_id");
            assertEquals((long) reference.numTasks.get(stage), s.getLong("num_tasks"));
        }
        assertEquals(reference.numTasks.keySet(), named("spark:stage_submitted").stream()
                .map(e -> (int) e.getLong("stage_id")).collect(Collectors.toSet()));
        // task_start for every task_end
        assertEquals(named("spark:task_end").stream().map(e -> e.getLong("task_id")).collect(Collectors.toSet()),
                named("spark:task_start").stream().map(e -> e.getLong("task_id")).collect(Collectors.toSet()));
    }

    @Test
    void stageParentsFormTheDag() {
        for (EventRecord s : named("spark:stage_submitted")) {
            int stage = (int) s.getLong("stage_id");
            assertEquals(reference.parents.get(stage), intSet(s.get("parent_ids")), "parents of stage " + stage);
        }
        // job 0: the reduce stage's parent is the map stage
        List<Integer> job0 = reference.jobStages.get(0);
        assertEquals(2, job0.size());
        List<EventRecord> jobStages = named("spark:job_stage").stream().filter(e -> e.getLong("job_id") == 0)
                .toList();
        assertEquals(Set.copyOf(job0), jobStages.stream().map(e -> (int) e.getLong("stage_id"))
                .collect(Collectors.toSet()));
        EventRecord jobStart = named("spark:job_start").stream().filter(e -> e.getLong("job_id") == 0)
                .findFirst().orElseThrow();
        assertEquals(Set.copyOf(job0), intSet(jobStart.get("stage_ids")));
        assertTrue(jobStart.getString("call_site").startsWith("collect at LocalModeTraceTest.java:"),
                jobStart.getString("call_site"));
    }

    @Test
    void taskThreadsAreTheRealThreadsThatRanTheTasks() {
        assertEquals(7, taskThreads.size());
        Map<Long, EventRecord> starts = new HashMap<>();
        for (EventRecord e : named("spark:task_thread_start")) {
            starts.put(e.getLong("task_id"), e);
        }
        for (Map.Entry<Long, String[]> t : taskThreads.entrySet()) {
            EventRecord e = starts.get(t.getKey());
            assertTrue(e != null, "no task_thread_start for task " + t.getKey());
            String[] seen = t.getValue();
            assertEquals(Long.parseLong(seen[1]), e.getLong("tid"), "tid of task " + t.getKey());
            assertEquals(ProcessHandle.current().pid(), e.getLong("pid"));
            // the kernel's name of that thread is the (cut) Java name of the thread running the task
            assertTrue(seen[3].startsWith(seen[2]), seen[2] + " vs " + seen[3]);
            assertTrue(e.getLong("tid") != e.getLong("pid"), "a task thread is not the main thread");
        }
        // every task has its thread start and end, in order, on the same thread
        Map<Long, EventRecord> ends = new HashMap<>();
        for (EventRecord e : named("spark:task_thread_end")) {
            ends.put(e.getLong("task_id"), e);
        }
        for (EventRecord e : named("spark:task_end")) {
            long id = e.getLong("task_id");
            EventRecord s = starts.get(id);
            EventRecord en = ends.get(id);
            assertTrue(s != null && en != null, "thread events of task " + id);
            assertTrue(s.timestamp() <= en.timestamp());
            assertEquals(s.getLong("tid"), en.getLong("tid"));
            assertEquals(s.getLong("tid"), TraceChecks.packetContext(en, "tid"));
        }
    }

    @Test
    void metricsAreSparksOwn() {
        Map<Integer, Long> traced = new HashMap<>();
        for (EventRecord e : named("spark:task_end")) {
            if (e.getLong("has_metrics") == 1) {
                traced.merge((int) e.getLong("stage_id"), e.getLong("shuffle_bytes_written"), Long::sum);
            }
        }
        assertEquals(reference.shuffleBytesWritten, traced);
        long mapStageWrites = traced.get(reference.jobStages.get(0).stream().min(Integer::compare).orElseThrow());
        assertTrue(mapStageWrites > 0);
        for (EventRecord e : named("spark:task_end")) {
            if (e.getLong("successful") == 1) {
                assertTrue(e.getLong("executor_run_time_ms") >= 0);
                assertTrue(e.getLong("finish_time_ms") >= e.getLong("launch_time_ms"));
                assertEquals(reference.locality.get(e.getLong("task_id")),
                        SparkEvents.LOCALITIES.get((int) e.getLong("locality")));
            }
        }
    }

    @Test
    void failuresAreRecorded() {
        List<EventRecord> failed = named("spark:task_end").stream().filter(e -> e.getLong("successful") == 0)
                .toList();
        assertFalse(failed.isEmpty());
        EventRecord f = failed.stream().filter(e -> e.getString("end_reason").equals("ExceptionFailure"))
                .findFirst().orElseThrow();
        assertEquals("FAILED", f.getString("status"));
        assertTrue(f.getString("failure_reason").contains("deliberate failure in task"));
        assertTrue(failedJob.getMessage().contains("deliberate failure in task"));
        EventRecord thread = named("spark:task_thread_end").stream()
                .filter(e -> e.getLong("task_id") == f.getLong("task_id")).findFirst().orElseThrow();
        assertEquals(0, thread.getLong("succeeded"));
        assertTrue(thread.getString("failure_reason").contains("deliberate failure in task"));
        assertEquals(1, named("spark:job_end").stream().filter(e -> e.getLong("succeeded") == 0).count());
        assertTrue(named("spark:stage_completed").stream().anyMatch(e -> e.getString("status").equals("failed")
                && e.getString("failure_reason").contains("deliberate failure in task")));
    }

    @Test
    void sqlExecutionsAreRecordedAndLinkedToTheirJobs() {
        List<EventRecord> starts = named("spark:sql_execution_start");
        List<EventRecord> ends = named("spark:sql_execution_end");
        assertFalse(starts.isEmpty());
        assertEquals(starts.stream().map(e -> e.getLong("execution_id")).collect(Collectors.toSet()),
                ends.stream().map(e -> e.getLong("execution_id")).collect(Collectors.toSet()));
        assertTrue(starts.stream().anyMatch(e -> e.getString("physical_plan").contains("HashAggregate")));
        Set<Long> ids = starts.stream().map(e -> e.getLong("execution_id")).collect(Collectors.toSet());
        assertTrue(named("spark:job_start").stream().anyMatch(e -> ids.contains(e.getLong("sql_execution_id"))));
    }

    @Test
    void garbageCollectionsAreRecorded() {
        EventRecord gc = named("jvm:gc").stream().filter(e -> e.getString("cause").equals("System.gc()"))
                .findFirst().orElseThrow();
        assertFalse(gc.getString("collector").isEmpty());
        assertTrue(gc.getLong("end_ns") >= gc.getLong("start_ns"));
        assertTrue(gc.getLong("heap_used_before") > 0);
        assertTrue(gc.getLong("heap_used_after") > 0);
    }

    /**
     * System.gc(), then waits until the JVM has delivered its GC notification (asynchronously, on the JMX notification
     * thread that also calls the plugin's recorder), so the recorder sees it before the session stops.
     */
    static void collectGarbageAndWaitForItsNotification() {
        java.util.concurrent.CountDownLatch seen = new java.util.concurrent.CountDownLatch(1);
        javax.management.NotificationListener listener = (n, h) -> seen.countDown();
        List<javax.management.NotificationEmitter> emitters = new java.util.ArrayList<>();
        for (java.lang.management.GarbageCollectorMXBean gc
                : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof javax.management.NotificationEmitter e) {
                e.addNotificationListener(listener, null, null);
                emitters.add(e);
            }
        }
        try {
            System.gc();
            assertTrue(seen.await(30, java.util.concurrent.TimeUnit.SECONDS), "no GC notification after System.gc()");
            Thread.sleep(200); // the other listeners of the same notification (the recorder's) run on the same thread
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (javax.management.NotificationEmitter e : emitters) {
                try {
                    e.removeNotificationListener(listener);
                } catch (javax.management.ListenerNotFoundException ignored) {
                    // already gone
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    static Set<Integer> intSet(Object seq) {
        Set<Integer> s = new TreeSet<>();
        if (seq instanceof List<?> l) {
            for (Object o : l) {
                s.add(((Number) o).intValue());
            }
        } else if (seq instanceof long[] a) {
            for (long v : a) {
                s.add((int) v);
            }
        } else {
            throw new AssertionError("sequence as " + (seq == null ? null : seq.getClass()));
        }
        return s;
    }
}
