package io.tracestream.spark.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

/**
 * A real Spark standalone cluster on 127.0.0.1 for tests: a Master and a Worker started from the Maven-resolved Spark
 * jars (a temporary {@code SPARK_HOME} whose {@code jars/} links to the jars of the test class path), executors in
 * their own JVMs, and drivers ({@link ClusterDriver}) in their own JVMs that receive the connector the way users ship
 * it, through {@code spark.jars}.
 *
 * <pre>{@code
 * SparkCluster cluster = SparkCluster.get();          // started once per test JVM, stopped at its exit
 * SparkCluster.Driver d = cluster.driver();           // the shared driver application (executors registered)
 * d.load("events", "ctf", Map.of(), tracePath);
 * List<String> rows = d.sql("SELECT name, count(*) FROM events GROUP BY name ORDER BY name");
 * }</pre>
 *
 * <p>The connector jar is {@code -Dtracestream.connector.jar} when set (the shaded connector), else a jar the
 * harness builds from the class folders or jars of the TraceStream modules on the test class path (ctf, analyses,
 * live, spark). Every process it starts runs under {@link ExitWithParent}: it exits when the test JVM goes, even when
 * the test JVM is killed; a normal exit also destroys them (and the executors) from a shutdown hook.
 */
public final class SparkCluster {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static SparkCluster instance;

    private final Path home;
    private final Path sparkHome;
    private final Path connectorJar;
    private final List<String> jvmOptions;
    private final String testClasses;
    private final String masterUrl;
    private final List<Process> processes = new ArrayList<>();
    private Driver sharedDriver;

    /** The cluster of this JVM, started on first use. */
    public static synchronized SparkCluster get() {
        if (instance == null) {
            try {
                instance = new SparkCluster();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "spark-cluster-stop"));
        }
        return instance;
    }

    private SparkCluster() throws IOException {
        long t0 = System.nanoTime();
        home = Files.createTempDirectory("tracestream-spark-cluster-");
        List<Path> classPath = testClassPath();
        sparkHome = layOutSparkHome(classPath);
        connectorJar = connectorJar(classPath);
        jvmOptions = sparkJvmOptions();
        testClasses = testClassesEntry(classPath);
        int masterPort = freePort();
        masterUrl = "spark://127.0.0.1:" + masterPort;
        Process master = launch("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort())), List.of(),
                "-Xmx256m");
        awaitLog("master", master, "I have been elected leader");
        Process worker = launch("worker", List.of("org.apache.spark.deploy.worker.Worker", masterUrl, "--host",
                "127.0.0.1", "--cores", "4", "--memory", "3g", "--work-dir", home.resolve("work").toString(),
                "--webui-port", Integer.toString(freePort())), List.of(), "-Xmx256m");
        awaitLog("worker", worker, "Successfully registered with master");
        System.err.printf("spark cluster: master and worker up at %s in %.1f s%n", masterUrl,
                (System.nanoTime() - t0) / 1e9);
    }

    /** The master URL, {@code spark://127.0.0.1:PORT}. */
    public String masterUrl() {
        return masterUrl;
    }

    /** The connector jar shipped to the executors ({@code spark.jars}). */
    public Path connectorJar() {
        return connectorJar;
    }

    /** The {@code SPARK_HOME} laid out for this cluster ({@code jars/} links to the Maven-resolved jars). */
    public Path sparkHome() {
        return sparkHome;
    }

    /** The shared driver application (started on first use, with the connector and one executor of 2 cores). */
    public synchronized Driver driver() {
        if (sharedDriver == null) {
            sharedDriver = startDriver("shared", Map.of(), List.of());
        }
        return sharedDriver;
    }

    /**
     * Starts another driver application: {@code conf} adds Spark settings (e.g. {@code spark.plugins}),
     * {@code extraJars} are shipped with the connector. Stop it with {@link Driver#close()}. The Worker offers 4 cores
     * and 3 GiB, each application takes 2 cores and a 1 GiB executor: two applications run side by side.
     */
    public synchronized Driver startDriver(String name, Map<String, String> conf, List<Path> extraJars) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spark.master", masterUrl);
        all.put("spark.driver.host", "127.0.0.1");
        all.put("spark.driver.bindAddress", "127.0.0.1");
        all.put("spark.ui.enabled", "false");
        all.put("spark.sql.shuffle.partitions", "2");
        all.put("spark.sql.session.timeZone", "UTC");
        all.put("spark.executor.memory", "1g");
        all.put("spark.cores.max", "2");
        List<String> jars = new ArrayList<>();
        jars.add(connectorJar.toString());
        extraJars.forEach(j -> jars.add(j.toString()));
        all.put("spark.jars", String.join(",", jars));
        all.putAll(conf);
        List<String> props = new ArrayList<>();
        all.forEach((k, v) -> props.add("-D" + k + "=" + v));
        props.add("-Xmx768m");
        // The driver JVM has the connector on its class path, as spark-submit --jars gives it.
        Process p = launch("driver-" + name, false, List.of(ClusterDriver.class.getName()),
                List.of(connectorJar.toString()), props.toArray(String[]::new));
        long t0 = System.nanoTime();
        Driver d = new Driver(name, p);
        d.awaitReady();
        System.err.printf("spark cluster: driver '%s' ready with its executor in %.1f s%n", name,
                (System.nanoTime() - t0) / 1e9);
        return d;
    }

    /** A driver application in its own JVM, served one command at a time. */
    public final class Driver implements AutoCloseable {
        private final String name;
        private final Process process;
        private final BufferedReader replies;
        private final OutputStream commands;
        private int queries;

        private Driver(String name, Process process) {
            this.name = name;
            this.process = process;
            this.replies = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            this.commands = process.getOutputStream();
        }

        private void awaitReady() {
            JsonNode r = reply();
            if (!r.path("ready").asBoolean() || r.path("executors").asInt() < 1) {
                throw new IllegalStateException("driver " + name + ": no executor registered: " + r + "\n"
                        + tail("driver-" + name));
            }
        }

        /** Registers a temporary view over {@code format} (e.g. {@code ctf}) at {@code path} with options. */
        public synchronized void load(String view, String format, Map<String, String> options, Path path) {
            ObjectNode cmd = JSON.createObjectNode().put("op", "load").put("view", view).put("format", format)
                    .put("path", path.toString());
            ObjectNode o = cmd.putObject("options");
            options.forEach(o::put);
            send(cmd);
        }

        /** Runs a query on the cluster and returns its rows ({@code Row.toString()} each), in the query's order. */
        public synchronized List<String> sql(String sql) {
            Path out = home.resolve("result-" + name + "-" + (++queries) + ".txt");
            send(JSON.createObjectNode().put("op", "sql").put("sql", sql).put("out", out.toString()));
            try {
                List<String> rows = Files.readAllLines(out, StandardCharsets.UTF_8);
                Files.delete(out);
                return rows;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Runs analyses with the Spark engine on the cluster ({@code io.tracestream.spark.analyses.ClusterAnalyze}:
         * {@code config} is a Base64 Java-serialized AnalysisConfig) and returns their rendering (text, LAMI,
         * losses), after registering their tables as temporary views of this driver.
         */
        public synchronized String analyze(List<Path> paths, List<String> analyses, String config,
                                           long maxSplitBytes) {
            Path out = home.resolve("result-" + name + "-" + (++queries) + ".txt");
            ObjectNode cmd = JSON.createObjectNode().put("op", "analyze").put("config", config)
                    .put("maxSplitBytes", maxSplitBytes).put("out", out.toString());
            paths.forEach(p -> cmd.withArray("paths").add(p.toString()));
            analyses.forEach(a -> cmd.withArray("analyses").add(a));
            send(cmd);
            try {
                String s = Files.readString(out, StandardCharsets.UTF_8);
                Files.delete(out);
                return s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private JsonNode send(ObjectNode cmd) {
            try {
                commands.write((cmd + "\n").getBytes(StandardCharsets.UTF_8));
                commands.flush();
            } catch (IOException e) {
                throw new IllegalStateException("driver " + name + " is gone:\n" + tail("driver-" + name), e);
            }
            JsonNode r = reply();
            if (!r.path("ok").asBoolean()) {
                throw new ClusterQueryException(r.path("error").asText());
            }
            return r;
        }

        private JsonNode reply() {
            try {
                for (String line = replies.readLine(); line != null; line = replies.readLine()) {
                    if (line.startsWith(ClusterDriver.REPLY)) {
                        return JSON.readTree(line.substring(ClusterDriver.REPLY.length()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw new IllegalStateException("driver " + name + " ended:\n" + tail("driver-" + name));
        }

        /** Ends the application (its executors go). */
        @Override
        public synchronized void close() {
            try {
                commands.write("{\"op\":\"exit\"}\n".getBytes(StandardCharsets.UTF_8));
                commands.flush();
            } catch (IOException ignored) {
                // already gone
            }
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    destroyTree(process);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                destroyTree(process);
            }
            synchronized (SparkCluster.this) {
                if (sharedDriver == this) {
                    sharedDriver = null;
                }
            }
        }
    }

    /** A query that failed on the cluster; the message is the driver's (what the user would see). */
    public static final class ClusterQueryException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClusterQueryException(String message) {
            super(message);
        }
    }

    /** Stops the drivers, the Worker (and so its executors) and the Master; removes the temporary folder. */
    public synchronized void stop() {
        if (sharedDriver != null) {
            sharedDriver.close();
        }
        for (int i = processes.size() - 1; i >= 0; i--) {
            destroyTree(processes.get(i));
        }
        processes.clear();
        deleteTree(home);
    }

    private static void destroyTree(Process p) {
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        p.destroy();
        all.forEach(ProcessHandle::destroy);
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        all.forEach(ProcessHandle::destroyForcibly);
    }

    private Process launch(String logName, List<String> mainAndArgs, List<String> extraClassPath,
                           String... jvmArgs) {
        return launch(logName, true, mainAndArgs, extraClassPath, jvmArgs);
    }

    /**
     * Starts a JVM with the Spark jars and this module's test classes; {@code watchParent}: under
     * {@link ExitWithParent} (a driver reads its commands from standard input and exits at its end by itself).
     */
    private Process launch(String logName, boolean watchParent, List<String> mainAndArgs, List<String> extraClassPath,
                           String... jvmArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of(jvmArgs));
        List<String> cp = new ArrayList<>();
        cp.add(sparkHome.resolve("jars").toString() + "/*");
        cp.add(testClasses);
        cp.addAll(extraClassPath);
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        if (watchParent) {
            cmd.add(ExitWithParent.class.getName());
        }
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        pb.environment().put("SPARK_HOME", sparkHome.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", home.resolve("logs").toString());
        pb.redirectError(home.resolve(logName + ".log").toFile());
        if (!logName.startsWith("driver")) {
            pb.redirectOutput(home.resolve(logName + ".out").toFile());
        }
        try {
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + logName, e);
        }
    }

    private void awaitLog(String logName, Process p, String marker) throws IOException {
        Path log = home.resolve(logName + ".log");
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.ISO_8859_1).contains(marker)) {
                return;
            }
            if (!p.isAlive()) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        stop();
        throw new IllegalStateException("Spark " + logName + " did not start:\n" + tail(logName));
    }

    private String tail(String logName) {
        try {
            String s = Files.readString(home.resolve(logName + ".log"), StandardCharsets.ISO_8859_1);
            return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The test class path: surefire's (its booter jar hides it from java.class.path), else java.class.path. */
    private static List<Path> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path");
        if (cp == null || cp.isBlank()) {
            cp = System.getProperty("java.class.path");
        }
        List<Path> out = new ArrayList<>();
        for (String e : cp.split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) {
                out.add(Path.of(e).toAbsolutePath());
            }
        }
        return out;
    }

    private static boolean isTraceStream(Path entry) {
        String s = entry.toString();
        String f = entry.getFileName().toString();
        return f.startsWith("tracestream-") || (Files.isDirectory(entry) && s.matches(".*/(ctf|analyses|live|ftrace|spark|"
                + "sparktrace|cli)/[^/]+/(classes|test-classes)$"));
    }

    /** SPARK_HOME/jars with a link to every third-party jar of the class path (Spark and its dependencies). */
    private Path layOutSparkHome(List<Path> classPath) throws IOException {
        Path jars = Files.createDirectories(home.resolve("spark-home/jars"));
        Set<String> names = new HashSet<>();
        for (Path e : classPath) {
            String f = e.getFileName().toString();
            if (f.endsWith(".jar") && !isTraceStream(e) && Files.isRegularFile(e) && names.add(f)) {
                Files.createSymbolicLink(jars.resolve(f), e);
            }
        }
        Files.createDirectories(home.resolve("spark-home/conf"));
        return home.resolve("spark-home");
    }

    /** The class-path entry holding this class (the spark module's test classes), for ExitWithParent/ClusterDriver. */
    private static String testClassesEntry(List<Path> classPath) {
        try {
            return Path.of(SparkCluster.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("cannot locate the test classes", e);
        }
    }

    /**
     * The connector: {@code -Dtracestream.connector.jar}, else one jar made of the main classes of the TraceStream
     * modules on the class path (class folders or jars; test classes and test jars left out).
     */
    private Path connectorJar(List<Path> classPath) throws IOException {
        String given = System.getProperty("tracestream.connector.jar");
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        Path jar = home.resolve("tracestream-connector.jar");
        Set<String> seen = new HashSet<>();
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (Path e : classPath) {
                String f = e.getFileName().toString();
                if (!isTraceStream(e) || f.equals("test-classes") || f.endsWith("-tests.jar")) {
                    continue;
                }
                if (Files.isDirectory(e)) {
                    addTree(out, e, seen);
                } else if (f.endsWith(".jar")) {
                    addJar(out, e, seen);
                }
            }
        }
        return jar;
    }

    private static void addTree(JarOutputStream out, Path dir, Set<String> seen) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String name = dir.relativize(file).toString().replace('\\', '/');
                if (seen.add(name)) {
                    out.putNextEntry(new ZipEntry(name));
                    Files.copy(file, out);
                    out.closeEntry();
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void addJar(JarOutputStream out, Path jar, Set<String> seen) throws IOException {
        try (JarFile jf = new JarFile(jar.toFile())) {
            for (Enumeration<JarEntry> en = jf.entries(); en.hasMoreElements(); ) {
                JarEntry e = en.nextElement();
                if (e.isDirectory() || e.getName().equals("META-INF/MANIFEST.MF") || !seen.add(e.getName())) {
                    continue;
                }
                out.putNextEntry(new ZipEntry(e.getName()));
                jf.getInputStream(e).transferTo(out);
                out.closeEntry();
            }
        }
    }

    /** The JVM options Spark needs on Java 17+, as the test JVM got them (surefire argLine). */
    private static List<String> sparkJvmOptions() {
        List<String> out = new ArrayList<>();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("--add-modules")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
                    || a.startsWith("-Dio.netty")) {
                out.add(a);
            }
        }
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) {
        try {
            if (!Files.exists(dir)) {
                return;
            }
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // best effort: a temporary folder
        }
    }
}
