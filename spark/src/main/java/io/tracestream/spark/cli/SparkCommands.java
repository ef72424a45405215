package io.tracestream.spark.cli;

import io.tracestream.cli.UsageException;
import io.tracestream.ctf.CtfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.SparkSession;

/** What the Spark-backed commands share: the session and the translation of Spark failures to one-line errors. */
final class SparkCommands {
    private SparkCommands() {
    }

    /**
     * A Spark session for a command: {@code local[*]} (on 127.0.0.1, no UI) unless {@code master} names a cluster,
     * whose executors then get the connector jar ({@code spark.jars}) when it is built.
     */
    static SparkSession session(String master, String app) {
        quietLogging();
        String m = master == null ? "local[*]" : master;
        SparkSession.Builder b = SparkSession.builder().master(m).appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        if (m.startsWith("local")) {
            // checkpoints of streaming commands (watch) are local folders: Spark's default FileContext manager
            // would run ~10 readlink/chmod processes per file it writes without Hadoop's native library
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.streaming.checkpointFileManagerClass", "org.apache.spark.sql.execution"
                            + ".streaming.checkpointing.FileSystemBasedCheckpointFileManager")
                    .config("spark.sql.shuffle.partitions",
                            Integer.toString(Math.max(2, 2 * Runtime.getRuntime().availableProcessors())));
        } else {
            Path jar = connectorJar();
            if (jar == null) {
                throw new UsageException("--master " + m + " needs the connector jar for the executors: build it "
                        + "with 'mvn -pl spark -am package -DskipTests' (spark/target/tracestream-spark-connector.jar)");
            }
            b.config("spark.jars", jar.toString());
        }
        SparkSession s = b.getOrCreate();
        s.sparkContext().setLogLevel("ERROR");
        return s;
    }

    /** Spark's logging for the commands: errors only, on stderr (call before anything logs). */
    static void quietLogging() {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "io/tracestream/spark/cli/log4j2-cli.properties");
        }
    }

    /** The connector jar beside this module's build output, or null. */
    static Path connectorJar() {
        try {
            CodeSource cs = SparkCommands.class.getProtectionDomain().getCodeSource();
            if (cs == null) {
                return null;
            }
            Path p = Path.of(cs.getLocation().toURI());
            Path dir = Files.isDirectory(p) ? p.getParent() : p.getParent();
            Path jar = dir.resolve("tracestream-spark-connector.jar");
            return Files.isRegularFile(jar) ? jar : null;
        } catch (Exception e) {
            return null;
        }
    }

    /**
     * The error to report for a failed Spark action: the trace error ({@link CtfException}, naming file and offset)
     * when one is in the cause chain, a usage error for a bad query, else the exception itself.
     */
    static RuntimeException translate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CtfException c) {
                return new CtfException(c.getMessage(), e);
            }
            if (t.getCause() == t) {
                break;
            }
        }
        if (e instanceof AnalysisException a) {
            String msg = a.getMessage();
            int nl = msg.indexOf('\n');
            return new UsageException("bad query: " + (nl > 0 ? msg.substring(0, nl) : msg));
        }
        if (e instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(e);
    }
}
