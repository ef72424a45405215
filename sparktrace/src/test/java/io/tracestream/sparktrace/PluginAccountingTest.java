package io.tracestream.sparktrace;

import org.apache.spark.scheduler.SparkListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.NotificationListener;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The plugin's cost accounting ({@link PluginAccounting}): off by default, and then the plugin registers its plain
 * objects (no bracket anywhere); on, a small local job reports CPU time and allocation in the listener callbacks
 * and the task hooks, and none for the context without the plugin.
 */
class PluginAccountingTest {
    @TempDir
    Path dir;

    @Test
    void offByDefaultThePluginRegistersItsObjectsUnwrapped() {
        assertFalse(PluginAccounting.ON, "this test JVM does not set -D" + PluginAccounting.PROPERTY);
        SparkListener l = new SparkListener() {
        };
        assertSame(l, PluginAccounting.listener(l));
        NotificationListener n = (x, h) -> {
        };
        assertSame(n, PluginAccounting.gcListener(n));
        TracePlugin p = new TracePlugin();
        assertTrue(p.driverPlugin() instanceof TracePlugin.Driver);
        assertTrue(p.executorPlugin() instanceof TracePlugin.Executor);
        assertTrue(Arrays.stream(PluginAccounting.snapshot()).allMatch(v -> v == 0),
                Arrays.toString(PluginAccounting.snapshot()));
    }

    @Test
    void theBracketingListenerForwardsEveryCallbackTheRecordingListenerHandles() throws NoSuchMethodException {
        for (Method m : RecordingListener.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers()) && m.getName().startsWith("on")) {
                Method w = PluginAccounting.Listener.class.getMethod(m.getName(), m.getParameterTypes());
                assertEquals(PluginAccounting.Listener.class, w.getDeclaringClass(), m.getName() + " not bracketed");
            }
        }
    }

    @Test
    void onItMeasuresTheListenerAndTheTaskHooksOfATracedJob() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions")) {
                command.add(a);
            }
        }
        command.addAll(List.of("-Xmx1g", "-D" + PluginAccounting.PROPERTY + "=true",
                "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-Dspark.tracestream.output=" + dir.resolve("traces"), "-Dspark.tracestream.lttng=false",
                "-Dspark.local.dir=" + dir.resolve("local"), "-Djava.io.tmpdir=" + dir,
                "-cp", System.getProperty("java.class.path"), OverheadJob.class.getName(), "shuffle", "2", "400000",
                "pt"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(dir.resolve("stderr.txt").toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), out + "\n" + java.nio.file.Files.readString(dir.resolve("stderr.txt")));
        List<Map<String, String>> plain = new ArrayList<>();
        List<Map<String, String>> traced = new ArrayList<>();
        int accountingLines = 0;
        for (String line : out.lines().toList()) {
            if (line.startsWith("accounting ")) {
                Map<String, String> f = fields(line);
                assertEquals("thread_cpu", f.get("clock"), line);
                assertTrue(Long.parseLong(f.get("probe_ns")) > 0, line);
                accountingLines++;
            } else if (line.startsWith("iteration ")) {
                Map<String, String> f = fields(line);
                (f.get("arm").equals("traced") ? traced : plain).add(f);
            }
        }
        assertEquals(2, accountingLines, out);
        assertEquals(2, plain.size(), out);
        assertEquals(2, traced.size(), out);
        for (Map<String, String> f : plain) { // no plugin in that context: nothing measured
            assertEquals("0.00", f.get("plugin_cpu_ms"), f.toString());
            assertEquals("0", f.get("plugin_calls"), f.toString());
        }
        for (Map<String, String> f : traced) {
            // 20 map and 40 reduce tasks (and the final count's): onTaskStart and onTaskSucceeded once per task
            // on the task threads; on the bus the listener's task start and end, plus jobs, stages and SQL events
            long hooks = Long.parseLong(f.get("plugin_tasks_calls"));
            assertTrue(hooks >= 120 && hooks % 2 == 0, f.toString());
            assertTrue(Long.parseLong(f.get("plugin_listener_calls")) > hooks, f.toString());
            assertTrue(Long.parseLong(f.get("plugin_calls")) >= 240, f.toString());
            assertTrue(Double.parseDouble(f.get("plugin_listener_ms")) > 0, f.toString());
            assertTrue(Double.parseDouble(f.get("plugin_tasks_ms")) > 0, f.toString());
            assertTrue(Double.parseDouble(f.get("plugin_alloc_kb")) > 0, f.toString());
            double total = Double.parseDouble(f.get("plugin_cpu_ms"));
            double parts = 0;
            for (String k : List.of("plugin_listener_ms", "plugin_tasks_ms", "plugin_gc_ms", "plugin_lifecycle_ms",
                    "plugin_flusher_ms")) {
                parts += Double.parseDouble(f.get(k));
            }
            assertEquals(parts, total, 0.03, f.toString());
            // the plugin's CPU is a part of the JVM's
            assertTrue(total < Double.parseDouble(f.get("cpu_ms")), f.toString());
        }
    }

    private static Map<String, String> fields(String line) {
        Map<String, String> m = new HashMap<>();
        for (String kv : line.split(" ")) {
            int i = kv.indexOf('=');
            if (i > 0) {
                m.put(kv.substring(0, i), kv.substring(i + 1));
            }
        }
        return m;
    }
}
