package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code demo spark}: the recorded trace shows the straggler, the skew and the I/O-bound stage. */
class DemoJobTest {
    @TempDir
    Path out;

    @Test
    void demoRecordsItsThreeProblems() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        // keep other engineers' LTTng sessions out of it (SparkConf reads spark.* system properties)
        System.setProperty("spark.tracestream.lttng", "false");
        int status;
        try {
            status = DemoJob.run(List.of("--output", out.toString()), new PrintStream(o, true),
                    new PrintStream(e, true));
        } finally {
            System.clearProperty("spark.tracestream.lttng");
            SparkSession.clearActiveSession();
            SparkSession.clearDefaultSession();
        }
        assertEquals(0, status, e.toString(StandardCharsets.UTF_8));
        assertTrue(o.toString(StandardCharsets.UTF_8).startsWith("recorded 1 trace(s) in "));
        List<Path> traces = TraceChecks.traceDirs(out);
        assertEquals(1, traces.size());
        List<EventRecord> events = TraceChecks.events(traces.get(0));
        TraceChecks.assertSameAsBabeltrace(traces.get(0));

        Map<String, Long> jobByDescription = TraceChecks.named(events, "spark:job_start").stream()
                .collect(Collectors.toMap(x -> x.getString("description").split(":")[0], x -> x.getLong("job_id")));
        assertEquals(List.of("io", "skew", "straggler"), jobByDescription.keySet().stream().sorted().toList());
        Map<Long, List<Long>> stagesOfJob = TraceChecks.named(events, "spark:job_stage").stream()
                .collect(Collectors.groupingBy(x -> x.getLong("job_id"),
                        Collectors.mapping(x -> x.getLong("stage_id"), Collectors.toList())));
        List<EventRecord> tasks = TraceChecks.named(events, "spark:task_end");

        // straggler: the longest task of its stage is partition 5, by far
        long stragglerStage = stagesOfJob.get(jobByDescription.get("straggler")).get(0);
        List<EventRecord> st = tasks.stream().filter(t -> t.getLong("stage_id") == stragglerStage)
                .sorted(Comparator.comparingLong((EventRecord t) -> t.getLong("executor_run_time_ms")).reversed())
                .toList();
        assertEquals(8, st.size());
        assertEquals(DemoJob.STRAGGLER_PARTITION, st.get(0).getLong("partition"));
        assertTrue(st.get(0).getLong("executor_cpu_time_ns") > 4 * st.get(1).getLong("executor_cpu_time_ns"));

        // skew: the reduce stage (the job's stage with a parent) has one task reading most records
        List<Long> skewStages = stagesOfJob.get(jobByDescription.get("skew"));
        long reduceStage = skewStages.stream().max(Long::compare).orElseThrow();
        List<Long> reads = tasks.stream().filter(t -> t.getLong("stage_id") == reduceStage)
                .map(t -> t.getLong("shuffle_records_read")).sorted(Comparator.reverseOrder()).toList();
        long total = reads.stream().mapToLong(Long::longValue).sum();
        assertTrue(reads.get(0) > total * 7 / 10, "skewed reads " + reads);

        // io: the tasks spend most of their run time off the CPU
        long ioStage = stagesOfJob.get(jobByDescription.get("io")).get(0);
        for (EventRecord t : tasks.stream().filter(t -> t.getLong("stage_id") == ioStage).toList()) {
            assertTrue(t.getLong("executor_cpu_time_ns") < t.getLong("executor_run_time_ms") * 1_000_000L / 2,
                    "cpu " + t.getLong("executor_cpu_time_ns") + " ns of " + t.getLong("executor_run_time_ms")
                            + " ms");
        }
    }

    @Test
    void usageErrorsAreOneLine() {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(e, true);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true);
        assertEquals(2, DemoJob.run(List.of(), out, err));
        assertTrue(e.toString().startsWith("demo spark: --output DIR is required"));
        e.reset();
        assertEquals(2, DemoJob.run(List.of("--output", "x", "--scale", "zero"), out, err));
        assertEquals("demo spark: --scale must be an integer from 1 to 1000, got 'zero'", e.toString().trim());
        e.reset();
        assertEquals(2, DemoJob.run(List.of("--bogus"), out, err));
        assertTrue(e.toString().startsWith("demo spark: unknown option '--bogus'"));
    }
}
