package io.tracestream.sparktrace;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark workload's output contract (parsed by {@code bench/spark-plugin-overhead.sh}): one
 * {@code iteration arm=A wall_ms=W cpu_ms=C gc_ms=G flusher_cpu_ms=F ...} line per timed job (without the
 * plugin's cost fields: the accounting is off by default), one
 * {@code spilled_bytes arm=A N} line per Spark context; and the in-JVM A/B runs one context per arm letter, only the
 * {@code t} ones traced.
 */
class OverheadJobTest {
    private static final Pattern ITERATION =
            Pattern.compile("iteration arm=(plain|traced) wall_ms=(\\d+\\.\\d) cpu_ms=(\\d+\\.\\d) gc_ms=(\\d+)"
                    + " flusher_cpu_ms=(\\d+\\.\\d\\d) jit_cpu_ms=(-1|\\d+\\.\\d)"
                    + " task_cpu_ms=(\\d+\\.\\d) start_ms=(\\d+) bus_cpu_ms=(\\d+\\.\\d\\d)"
                    + " notification_cpu_ms=(-1|\\d+\\.\\d\\d)");
    private static final Pattern WARMUP =
            Pattern.compile("warmup arm=(plain|traced) wall_ms=\\d+\\.\\d cpu_ms=\\d+\\.\\d jit_cpu_ms=(-1|\\d+\\.\\d)"
                    + " start_ms=\\d+");

    @TempDir
    Path dir;

    @Test
    void inJvmArmsRunOneContextEachAndOnlyTracedOnesRecord() throws IOException {
        List<String> lines = run(false, 2, 200_000, "tp");
        assertEquals(List.of("traced", "traced", "spilled_bytes arm=traced 0", "plain", "plain",
                "spilled_bytes arm=plain 0"), lines.stream().map(OverheadJobTest::arm).toList(), lines.toString());
        for (String l : lines) {
            Matcher m = ITERATION.matcher(l);
            if (m.matches()) {
                assertTrue(Double.parseDouble(m.group(2)) > 0, l);
                assertTrue(Double.parseDouble(m.group(3)) > 0, l); // the JVM's CPU time during the job
                // the flusher's CPU time: found and counted with the plugin, none without
                assertEquals(m.group(1).equals("plain"), m.group(5).equals("0.00"), l);
                assertTrue(Double.parseDouble(m.group(9)) > 0, l); // the listener bus ran this job's listener

            }
        }
        // only the traced context wrote a trace: one application folder holding this process's trace
        try (Stream<Path> apps = Files.list(dir.resolve("traces"))) {
            List<Path> a = apps.toList();
            assertEquals(1, a.size(), a.toString());
            try (Stream<Path> procs = Files.list(a.get(0))) {
                assertTrue(procs.anyMatch(p -> Files.exists(p.resolve("metadata"))), "no CTF trace in " + a.get(0));
            }
        }
    }

    @Test
    void withoutArmsTheSystemPropertiesDecide() {
        List<String> lines = run(true, 1, 2_000_000, null);
        assertEquals(List.of("plain", "spilled_bytes arm=plain 0"),
                lines.stream().map(OverheadJobTest::arm).toList(), lines.toString());
        assertTrue(!Files.exists(dir.resolve("traces")));
    }

    @Test
    void warmUpGoesOnWhileTheJitIsBusyUpToTheMaximum() {
        // jitQuiet below zero: every job counts as "still compiling", so all maxWarmups warm-up jobs run
        List<String> all = new java.util.ArrayList<>();
        List<String> lines = run(true, 1, 200_000, null, Map.of("tracestream.overhead.warmups", "1",
                "tracestream.overhead.maxWarmups", "3", "tracestream.overhead.jitQuiet", "-1"), all);
        assertEquals(List.of("plain", "spilled_bytes arm=plain 0"),
                lines.stream().map(OverheadJobTest::arm).toList(), lines.toString());
        assertEquals(3, all.stream().filter(l -> l.startsWith("warmup ")).count(), all.toString());
        Matcher m = ITERATION.matcher(lines.get(0));
        assertTrue(m.matches(), lines.get(0));
        if (Files.isDirectory(Path.of("/proc/self/task"))) {
            assertTrue(Double.parseDouble(m.group(6)) >= 0, lines.get(0)); // the compiler threads' CPU time
        }
    }

    private static String arm(String line) {
        Matcher m = ITERATION.matcher(line);
        return m.matches() ? m.group(1) : line;
    }

    private List<String> run(boolean cpu, int iterations, long rows, String arms) {
        return run(cpu, iterations, rows, arms, Map.of(), new java.util.ArrayList<>());
    }

    private List<String> run(boolean cpu, int iterations, long rows, String arms, Map<String, String> extra,
                             List<String> all) {
        Map<String, String> props = new HashMap<>(extra);
        props.put("spark.tracestream.output", dir.resolve("traces").toString());
        props.put("spark.tracestream.lttng", "false");
        props.put("spark.local.dir", dir.resolve("local").toString());
        Map<String, String> saved = new HashMap<>();
        props.forEach((k, v) -> saved.put(k, System.setProperty(k, v)));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            OverheadJob.run(cpu, iterations, rows, arms, out);
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
        // the warm-up jobs' lines (one per context by default) are checked here and left out of the result
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        all.addAll(lines);
        for (String l : lines) {
            if (l.startsWith("warmup ")) {
                assertTrue(WARMUP.matcher(l).matches(), l);
            }
        }
        return lines.stream().filter(l -> !l.startsWith("warmup ")).toList();
    }
}
