package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code record -- COMMAND}: a plain Spark program, started as a separate {@code java} process with no tracing
 * setting of its own, is traced through the agent.
 */
class RecordCommandTest {
    @TempDir
    Path tmp;

    /**
     * An agent jar like the shaded one (Premain-Class), whose Class-Path points at this build's classes (the shaded
     * jar is made after the tests).
     */
    private Path agentJar() throws IOException {
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(new Attributes.Name("Premain-Class"), RecordAgent.class.getName());
        List<String> cp = new ArrayList<>();
        for (Path p : traceStreamClassPath()) {
            cp.add(p.toUri().toString());
        }
        m.getMainAttributes().put(Attributes.Name.CLASS_PATH, String.join(" ", cp));
        Path jar = tmp.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), m)) {
            out.flush();
        }
        return jar;
    }

    private static List<Path> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e).toAbsolutePath());
            }
        }
        return out;
    }

    /** The plugin's classes and the CTF writer's (main classes only). */
    private static List<Path> traceStreamClassPath() {
        List<Path> out = new ArrayList<>();
        for (Path p : classPath()) {
            String s = p.toString();
            if (s.matches(".*/sparktrace/[^/]+/classes") || s.matches(".*/tracestream-ctf-[^/]*SNAPSHOT\\.jar")
                    || s.matches(".*/ctf/[^/]+/classes")) {
                out.add(Files.isDirectory(p) ? Path.of(p + "/") : p);
            }
        }
        return out;
    }

    @Test
    void aSparkProgramRunUnderRecordLeavesItsTrace() throws Exception {
        // the program's own class path: Spark and the test classes, not the plugin
        List<String> cp = new ArrayList<>();
        for (Path p : classPath()) {
            if (!traceStreamClassPath().contains(p) && !p.toString().matches(".*/sparktrace/[^/]+/classes")) {
                cp.add(p.toString());
            }
        }
        List<String> command = javaCommand(cp);
        Path out = tmp.resolve("traces");
        List<String> args = new ArrayList<>(List.of("--output", out.toString(), "--plugin-jar",
                agentJar().toString(), "--set", "lttng=false", "--"));
        args.addAll(command);
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int status = RecordCommand.run(args, new PrintStream(new ByteArrayOutputStream(), true),
                new PrintStream(e, true));
        String err = e.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err);
        assertTrue(err.startsWith("record: 1 trace(s) in "), err);
        List<Path> traces = TraceChecks.traceDirs(out);
        assertEquals(1, traces.size());
        List<EventRecord> events = TraceChecks.events(traces.get(0));
        assertFalse(TraceChecks.named(events, "spark:task_end").isEmpty());
        assertEquals("tiny", TraceChecks.named(events, "spark:application_start").get(0).getString("app_name"));
        TraceChecks.assertSameAsBabeltrace(traces.get(0));
    }

    /**
     * {@code tracestream record --output DIR -- COMMAND} (the CLI command): the Spark trace in DIR/spark and, where
     * this process may use ftrace, the kernel trace in DIR/kernel, which the report joins with the tasks' threads.
     */
    @Test
    void recordWithTheKernelLeavesOneDirectory() throws Exception {
        List<String> cp = new ArrayList<>();
        for (Path p : classPath()) {
            if (!traceStreamClassPath().contains(p) && !p.toString().matches(".*/sparktrace/[^/]+/classes")) {
                cp.add(p.toString());
            }
        }
        Path out = tmp.resolve("rec");
        List<String> args = new ArrayList<>(List.of("--output", out.toString(), "--plugin-jar", agentJar().toString(),
                "--set", "lttng=false", "--"));
        args.addAll(javaCommand(cp));
        String kernelSkipReason = io.tracestream.ftrace.KernelRecorder.unavailableReason();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        io.tracestream.cli.Command c = new io.tracestream.sparktrace.cli.RecordCliCommand();
        io.tracestream.cli.Terminal t = new io.tracestream.cli.Terminal(new ByteArrayOutputStream(),
                new PrintStream(e, true), java.util.Map.of());
        int status = c.run(c.options().parse(args), t);
        String err = e.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, err);
        List<Path> spark = TraceChecks.traceDirs(out.resolve("spark"));
        assertEquals(1, spark.size(), err);
        assertTrue(spark.get(0).startsWith(out.resolve("spark")), "DIR/spark/APP_ID/ROLE: " + spark);
        io.tracestream.sparktrace.report.SparkReport report = io.tracestream.sparktrace.report.SparkReport.of(out);
        assertFalse(report.app().tasks().isEmpty());
        if (kernelSkipReason != null) {
            assertTrue(err.contains("record: not recording kernel events (" + kernelSkipReason + ")"), err);
            assertFalse(report.kernel().available());
            return;
        }
        assertTrue(err.contains("record: kernel trace in " + out.resolve("kernel")), err);
        assertEquals(List.of(out.resolve("kernel")), report.kernel().traces());
        try (var files = java.nio.file.Files.list(out)) {
            assertEquals(List.of("kernel", "spark"), files.map(p -> p.getFileName().toString()).sorted().toList(),
                    "one directory: the staging folder is gone");
        }
        // every task ran on a thread the kernel trace knows, and the kernel saw it on a CPU
        for (io.tracestream.sparktrace.report.SparkApp.Task task : report.app().tasks()) {
            var k = report.kernel().of(task);
            assertTrue(k != null && k.running() > 0, "task " + task.id + " tid " + task.tid + ": " + k);
        }
        // recording again into the same DIR: a one-line usage error, nothing run
        io.tracestream.cli.UsageException again = org.junit.jupiter.api.Assertions.assertThrows(
                io.tracestream.cli.UsageException.class, () -> c.run(c.options().parse(args), t));
        assertTrue(again.getMessage().contains(out.resolve("kernel") + " exists already"), again.getMessage());
    }

    private static List<String> javaCommand(List<String> cp) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(System.getProperty("tracestream.spark.jvm.options",
                "-XX:+IgnoreUnrecognizedVMOptions").split(" ")));
        command.addAll(sparkOpens());
        command.addAll(List.of("-Xmx1g", "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
                "-cp", String.join(File.pathSeparator, cp), TinySparkApp.class.getName()));
        return command;
    }

    /** The --add-opens options Spark needs (those of this test JVM). */
    private static List<String> sparkOpens() {
        List<String> out = new ArrayList<>();
        for (String a : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty")) {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void usageErrors() {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(e, true);
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true);
        assertEquals(2, RecordCommand.run(List.of("--output", "x"), out, err));
        assertTrue(e.toString().startsWith("record: no command given after --"));
        e.reset();
        assertEquals(2, RecordCommand.run(List.of("--", "java"), out, err));
        assertTrue(e.toString().startsWith("record: --output DIR is required"));
        e.reset();
        assertEquals(1, RecordCommand.run(List.of("--output", tmp.toString(), "--plugin-jar",
                tmp.resolve("nope.jar").toString(), "--", "java"), out, err));
        assertEquals("record: " + tmp.resolve("nope.jar") + ": no such plugin jar", e.toString().trim());
    }

    @Test
    void agentArgumentsBecomeSettings() {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("spark.plugins", "other.Plugin");
        RecordAgent.configure("output=/x/y,gc=false", p);
        assertEquals("/x/y", p.getProperty("spark.tracestream.output"));
        assertEquals("false", p.getProperty("spark.tracestream.gc"));
        assertEquals("other.Plugin," + TracePlugin.class.getName(), p.getProperty("spark.plugins"));
        RecordAgent.configure("", p);
        assertEquals("other.Plugin," + TracePlugin.class.getName(), p.getProperty("spark.plugins"));
        assertEquals("-javaagent:/a/p.jar=output=/o,gc=false", RecordCommand.javaOptions(null, Path.of("/a/p.jar"),
                Path.of("/o"), List.of("gc=false")));
        assertEquals("-X \"-javaagent:/a b/p.jar=output=/o\"", RecordCommand.javaOptions("-X", Path.of("/a b/p.jar"),
                Path.of("/o"), List.of()));
    }
}
