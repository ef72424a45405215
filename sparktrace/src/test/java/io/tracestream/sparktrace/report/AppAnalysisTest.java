package io.tracestream.sparktrace.report;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The definitions of the analyses on a hand-built application (the end-to-end test runs them on a real one). */
class AppAnalysisTest {
    private static final long MS = 1_000_000L;

    /** Job 0: stages 0 and 1 (no parents) feed stage 2; 2 slots. */
    private static SparkApp app() {
        SparkApp app = new SparkApp();
        app.master = "local[2]";
        app.startNs = 0;
        app.endNs = 1000 * MS;
        app.jobs.put(0, new SparkApp.Job(0, "j", 0, 900 * MS, true, List.of(0, 1, 2)));
        stage(app, 0, List.of(), 0, 300, new long[][] {{0, 100}, {100, 200}, {0, 120}});
        stage(app, 1, List.of(), 0, 500, new long[][] {{120, 220}, {200, 300}, {220, 500}});
        stage(app, 2, List.of(0, 1), 500, 900, new long[][] {{500, 550}, {500, 560}, {550, 600}, {560, 900}});
        return app;
    }

    private static long nextTask = 0;

    private static void stage(SparkApp app, int id, List<Integer> parents, long sub, long done, long[][] tasks) {
        SparkApp.Stage s = new SparkApp.Stage(id, 0);
        s.parents = parents;
        s.jobId = 0;
        s.submitNs = sub * MS;
        s.completeNs = done * MS;
        for (long[] iv : tasks) {
            SparkApp.Task t = new SparkApp.Task(nextTask++);
            t.stageId = id;
            t.executorId = "driver";
            t.status = "SUCCESS";
            t.startNs = iv[0] * MS;
            t.endNs = iv[1] * MS;
            t.metrics.put("executor_run_time_ms", iv[1] - iv[0]);
            t.metrics.put("input_bytes_read", (iv[1] - iv[0]) * 100_000);
            app.tasks.put(t.id, t);
            s.tasks.add(t);
        }
        app.stages.put(((long) id << 16), s);
    }

    @Test
    void criticalPathAndIdealTime() {
        AppAnalysis a = new AppAnalysis(app());
        AppAnalysis.JobStats j = a.jobs().get(0);
        assertEquals(List.of(1, 2), j.criticalPath(), "stage 1 (500 ms) is the longer parent of stage 2");
        assertEquals(900 * MS, j.criticalPathNs());
        // longest tasks: stage 0 120 ms, stage 1 280 ms, stage 2 340 ms
        assertEquals((280 + 340) * MS, j.idealNs());
        assertEquals(100 * MS + (280 + 340) * MS, a.idealAppNs(), "100 ms outside the job + the ideal job");
    }

    @Test
    void stragglersNeedRatioAndAbsoluteExcess() {
        AppAnalysis a = new AppAnalysis(app());
        Map<Integer, AppAnalysis.StageStats> byId = new java.util.HashMap<>();
        a.stages().forEach(s -> byId.put(s.stage().id, s));
        // stage 1: 100, 100, 280 ms: median 100, 280 > 150 and 180 ms above: a straggler
        assertEquals(List.of(280L), byId.get(1).stragglers().stream().map(SparkApp.Task::runTimeMs).toList());
        // stage 2: 50, 60, 50, 340: median 55
        assertEquals(List.of(340L), byId.get(2).stragglers().stream().map(SparkApp.Task::runTimeMs).toList());
        // stage 0: 100, 100, 120: none
        assertTrue(byId.get(0).stragglers().isEmpty());
        assertFalse(AppAnalysis.isStraggler(30, 10), "3x but only 20 ms above: not a straggler");
        assertTrue(AppAnalysis.isStraggler(160, 10));
        assertEquals(55, byId.get(2).medianRunMs());
        assertTrue(byId.get(2).dataSkew(), "input proportional to run time: 34 MB vs 5.5 MB median");
        assertEquals(340.0 / 55, byId.get(2).inputSkew(), 1e-9);
    }

    @Test
    void slotsAndUtilisation() {
        SparkApp app = app();
        AppAnalysis a = new AppAnalysis(app);
        Map<Long, Integer> slots = a.slots();
        for (SparkApp.Task t : app.tasks()) {
            for (SparkApp.Task o : app.tasks()) {
                if (t != o && slots.get(t.id).equals(slots.get(o.id))) {
                    assertTrue(t.endNs <= o.startNs || o.endNs <= t.startNs, "no overlap on a slot");
                }
            }
        }
        assertEquals(2, slots.values().stream().distinct().count());
        // busy: 100+100+120 + 100+100+280 + 50+60+50+340 = 1300 ms of 2 slots x 1000 ms
        assertEquals(0.65, a.averageUtilisation(), 1e-9);
        List<AppAnalysis.UtilBucket> u = a.utilisation(10);
        assertEquals(10, u.size());
        assertEquals(0.0, u.get(9).utilisation(), 1e-9, "nothing runs after 900 ms");
        assertEquals(1.0, u.get(0).utilisation(), 1e-9, "two tasks in the first 100 ms");
        assertEquals(0.65, u.stream().mapToDouble(AppAnalysis.UtilBucket::utilisation).average().orElse(0), 1e-9);
    }
}
