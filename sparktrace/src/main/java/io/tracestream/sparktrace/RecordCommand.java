package io.tracestream.sparktrace;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code record --output DIR [--plugin-jar JAR] [--set KEY=VALUE]... -- COMMAND...}: runs a JVM program (spark-submit,
 * or any program that starts a SparkContext) with the tracing plugin, and lists the traces it left in DIR.
 *
 * <p>The program is started with {@code -javaagent:PLUGIN_JAR=output=DIR} added to {@code JDK_JAVA_OPTIONS}, which
 * every {@code java} launcher of the process tree reads: {@link RecordAgent} then enables the plugin through system
 * properties, which SparkConf picks up, and ships the jar to executors with {@code spark.jars}. The program's
 * own standard streams are passed through; its exit status is returned. Uses no Spark class itself.
 */
public final class RecordCommand {
    static final String USAGE = "usage: record --output DIR [--plugin-jar JAR] [--set KEY=VALUE]... -- COMMAND...";
    /** Environment variable naming the plugin jar. */
    public static final String JAR_ENV = "TRACESTREAM_SPARK_PLUGIN_JAR";
    static final String JAR_NAME = "tracestream-sparktrace-plugin.jar";

    private RecordCommand() {
    }

    /** Command-line entry point. */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the command; returns its exit status, 2 on a usage error, 1 when it cannot be started. */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path output = null;
        Path jar = null;
        List<String> settings = new ArrayList<>();
        List<String> command = null;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--")) {
                command = args.subList(i + 1, args.size());
                break;
            }
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!a.equals("--output") && !a.equals("-o") && !a.equals("--plugin-jar") && !a.equals("--set")) {
                err.println("record: unknown option '" + a + "' (the command goes after --)\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.size()) {
                err.println("record: " + a + " needs a value\n" + USAGE);
                return 2;
            }
            String v = args.get(++i);
            switch (a) {
                case "--plugin-jar" -> jar = Path.of(v);
                case "--set" -> settings.add(v);
                default -> output = Path.of(v);
            }
        }
        if (output == null) {
            err.println("record: --output DIR is required\n" + USAGE);
            return 2;
        }
        if (command == null || command.isEmpty()) {
            err.println("record: no command given after --\n" + USAGE);
            return 2;
        }
        return record(output, jar, settings, command, err);
    }

    /**
     * Runs {@code command} with the plugin recording into {@code output} ({@code jar}: the plugin jar, or null to
     * find it; {@code settings}: {@code KEY=VALUE} for {@code spark.tracestream.KEY}). Returns the command's exit
     * status, or 1 (with a one-line message on {@code err}) when it cannot run or left no trace.
     */
    public static int record(Path output, Path jar, List<String> settings, List<String> command, PrintStream err) {
        for (String v : settings) {
            if (!v.matches("[A-Za-z][A-Za-z0-9.]*=[^,]*")) {
                err.println("record: --set: expected KEY=VALUE (KEY of spark.tracestream.KEY, no comma in VALUE), "
                        + "got '" + v + "'");
                return 2;
            }
        }
        if (jar == null) {
            jar = findPluginJar();
            if (jar == null) {
                err.println("record: cannot find " + JAR_NAME + ": build it (mvn -pl sparktrace package) and pass "
                        + "--plugin-jar JAR or set " + JAR_ENV);
                return 1;
            }
        }
        if (!Files.isRegularFile(jar)) {
            err.println("record: " + jar + ": no such plugin jar");
            return 1;
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            err.println("record: " + output + ": cannot create the output directory: " + e.getMessage());
            return 1;
        }
        Set<Path> before = new LinkedHashSet<>(TraceDirs.list(output));
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("JDK_JAVA_OPTIONS", javaOptions(pb.environment().get("JDK_JAVA_OPTIONS"), jar,
                output.toAbsolutePath(), settings));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            err.println("record: cannot run " + command.get(0) + ": " + e.getMessage());
            return 1;
        }
        Thread killer = new Thread(p::destroy, "tracestream-record-stop");
        Runtime.getRuntime().addShutdownHook(killer);
        int status;
        try {
            status = p.waitFor();
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // shutting down
            }
        }
        List<Path> recorded = new ArrayList<>(TraceDirs.list(output));
        recorded.removeAll(before);
        if (recorded.isEmpty()) {
            err.println("record: " + command.get(0) + " exited with status " + status + " and left no trace in "
                    + output + " (did it start a SparkContext in a java process?)");
            return status != 0 ? status : 1;
        }
        err.println("record: " + recorded.size() + " trace(s) in " + output.toAbsolutePath() + ":");
        for (Path t : recorded) {
            err.println("  " + t);
        }
        return status;
    }

    /** {@code JDK_JAVA_OPTIONS} with the agent added. */
    static String javaOptions(String existing, Path jar, Path output, List<String> settings) {
        StringBuilder agentArgs = new StringBuilder("output=").append(output);
        for (String s : settings) {
            agentArgs.append(',').append(s);
        }
        String opt = "-javaagent:" + jar.toAbsolutePath() + "=" + agentArgs;
        if (opt.matches(".*[\\s\"'].*")) {
            opt = "\"" + opt.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return existing == null || existing.isBlank() ? opt : existing + " " + opt;
    }

    /** The plugin jar: {@value #JAR_ENV}, the jar this class was loaded from, or the build output. */
    static Path findPluginJar() {
        String env = System.getenv(JAR_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        try {
            var src = RecordCommand.class.getProtectionDomain().getCodeSource();
            if (src != null) {
                Path self = Path.of(src.getLocation().toURI());
                if (self.getFileName().toString().equals(JAR_NAME)) {
                    return self;
                }
                if (Files.isDirectory(self)) { // build tree: sparktrace/TARGET/classes
                    Path j = self.getParent().resolve(JAR_NAME);
                    if (Files.isRegularFile(j)) {
                        return j;
                    }
                }
            }
        } catch (java.net.URISyntaxException | RuntimeException e) {
            // fall through
        }
        String root = System.getProperty("tracestream.root");
        for (Path base : root == null ? List.of(Path.of("")) : List.of(Path.of(root), Path.of(""))) {
            Path j = base.resolve("sparktrace/target").resolve(JAR_NAME);
            if (Files.isRegularFile(j)) {
                return j.toAbsolutePath();
            }
        }
        return null;
    }
}
