package io.tracestream.spark.analyses;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.cli.AnalysisEnginePlugin;
import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.ctf.CtfException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.List;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark engine behind {@code tracestream analyze --engine spark [--master URL]}: an internal plugin command
 * ({@code analyze.spark}, not listed) that the CLI's analyze command calls through {@link AnalysisEnginePlugin};
 * it creates the session (embedded {@code local[*]} on 127.0.0.1, or the given master with the connector jar
 * shipped to the executors) and runs {@link SparkEngine}. The CLI renders the results as for the local engine.
 */
public final class SparkAnalyzeCommand implements Command, AnalysisEnginePlugin {

    @Override
    public String name() {
        return "analyze.spark";
    }

    @Override
    public String summary() {
        return "Spark engine of 'tracestream analyze' (internal: use analyze --engine spark)";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(Arguments args, Terminal terminal) {
        throw new UsageException("internal command: run 'tracestream analyze --engine spark NAME TRACE-PATH...'");
    }

    @Override
    public List<AnalysisResult> run(List<Path> paths, List<Analysis> analyses, AnalysisConfig config, String master,
            Terminal terminal) {
        SparkSession spark = session(master);
        try {
            SparkEngine engine = new SparkEngine(spark);
            String split = System.getProperty("tracestream.analyze.maxSplitBytes");
            if (split != null) {
                engine.maxSplitBytes(Long.parseLong(split));
            }
            return engine.run(paths, analyses, config);
        } finally {
            spark.stop();
        }
    }

    private static SparkSession session(String master) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "io/tracestream/spark/cli/log4j2-cli.properties");
        }
        String m = master == null ? "local[*]" : master;
        SparkSession.Builder b = SparkSession.builder().master(m).appName("tracestream analyze")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        if (m.startsWith("local")) {
            b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
        } else {
            Path jar = connectorJar();
            if (jar == null) {
                throw new UsageException("--master " + m + " needs the connector jar for the executors: build it "
                        + "with 'mvn -pl spark -am package -DskipTests' (spark/target/tracestream-spark-connector.jar)");
            }
            b.config("spark.jars", jar.toString());
        }
        try {
            SparkSession s = b.getOrCreate();
            s.sparkContext().setLogLevel("ERROR");
            return s;
        } catch (RuntimeException e) {
            CtfException c = SparkEngine.ctfCause(e);
            throw c != null ? c : new CtfException("cannot start Spark (master " + m + "): " + e.getMessage());
        }
    }

    /** The connector jar beside this module's build output, or null. */
    private static Path connectorJar() {
        try {
            CodeSource cs = SparkAnalyzeCommand.class.getProtectionDomain().getCodeSource();
            if (cs == null) {
                return null;
            }
            Path jar = Path.of(cs.getLocation().toURI()).getParent().resolve("tracestream-spark-connector.jar");
            return Files.isRegularFile(jar) ? jar : null;
        } catch (Exception e) {
            return null;
        }
    }
}
