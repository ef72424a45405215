package io.tracestream.sparktrace.report;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tracestream spark-report DIR [--html FILE] [--perfetto FILE] [--json]}: the analyses of a traced Spark
 * application (traces of the {@code sparktrace} plugin under DIR, with any kernel trace in the same tree).
 */
public final class SparkReportCommand implements Command {
    @Override
    public String name() {
        return "spark-report";
    }

    @Override
    public String summary() {
        return "Analyse a traced Spark application: stages, skew, stragglers, critical path, kernel time; HTML/Perfetto views";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] DIR";
    }

    @Override
    public String description() {
        return "Reads the traces the tracestream Spark plugin recorded under DIR (and a kernel trace in the same tree,\n"
                + "from 'tracestream record' or 'record-kernel', to split each task's time into on-CPU, runnable,\n"
                + "blocked on I/O and blocked otherwise) and prints jobs with their critical path and ideal time,\n"
                + "stages with skew, stragglers, GC share, spill and shuffle fetch wait, and streaming micro-batches.\n"
                + "A straggler runs more than " + AppAnalysis.STRAGGLER_FACTOR + "x its stage's median and at least "
                + AppAnalysis.STRAGGLER_MIN_EXCESS_MS + " ms above it.";
    }

    @Override
    public Options options() {
        return new Options()
                .value("html", "FILE", "Write a self-contained HTML report (timeline, tables, charts)")
                .value("perfetto", "FILE", "Write Chrome trace-event JSON (Perfetto UI, chrome://tracing)")
                .flag("json", "Print the tables as LAMI 1.0 JSON instead of text")
                .value("engine", "ENGINE", "local (in-process model), spark (stage and task tables as Spark jobs over "
                        + "format(\"ctf\"), local[*]) or auto (default: spark above " + (SPARK_BYTES >> 30)
                        + " GiB of traces, without --html/--perfetto)");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> pos = args.positionals();
        if (pos.size() != 1) {
            throw new UsageException(pos.isEmpty() ? "which directory? (give the traces' DIR)" : "one DIR only");
        }
        Path dir = Path.of(pos.get(0));
        String engine = args.value("engine", "auto");
        if (!List.of("local", "spark", "auto").contains(engine)) {
            throw new UsageException("--engine: expected local, spark or auto, got '" + engine + "'");
        }
        boolean views = args.value("html") != null || args.value("perfetto") != null;
        if (engine.equals("spark") && views) {
            throw new UsageException("--html and --perfetto need the in-process model (--engine local)");
        }
        if (engine.equals("spark") || (engine.equals("auto") && !views && Files.isDirectory(dir)
                && bytes(dir) > SPARK_BYTES)) {
            List<io.tracestream.analyses.ResultTable> tables = sparkTables(dir);
            terminal.println(args.has("json") ? SparkTables.json(tables) : SparkTables.text(tables).stripTrailing());
            return 0;
        }
        SparkReport r = load(dir);
        String html = args.value("html");
        if (html != null) {
            Files.writeString(Path.of(html), HtmlReport.render(r), StandardCharsets.UTF_8);
        }
        String perfetto = args.value("perfetto");
        if (perfetto != null) {
            try (Writer w = Files.newBufferedWriter(Path.of(perfetto), StandardCharsets.UTF_8)) {
                PerfettoTrace.write(r, w);
            }
        }
        if (args.has("json")) {
            terminal.println(LamiReport.json(r));
        } else {
            terminal.println(r.text().stripTrailing());
            if (html != null) {
                terminal.err().println("HTML report: " + html);
            }
            if (perfetto != null) {
                terminal.err().println("Perfetto trace: " + perfetto + " (open in https://ui.perfetto.dev or chrome://tracing)");
            }
        }
        return 0;
    }

    /** Above this many bytes of traces, {@code --engine auto} uses Spark (-Dtracestream.sparkreport.sparkBytes). */
    static final long SPARK_BYTES = Long.getLong("tracestream.sparkreport.sparkBytes", 4L << 30);

    private static long bytes(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /** The Spark path: an embedded local[*] session (or the running one), stopped after when it was started here. */
    static List<io.tracestream.analyses.ResultTable> sparkTables(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + ": not a directory");
        }
        boolean shared = org.apache.spark.sql.SparkSession.getActiveSession().isDefined();
        if (!shared && System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "io/tracestream/sparktrace/log4j2-demo.properties");
        }
        org.apache.spark.sql.SparkSession spark = shared ? org.apache.spark.sql.SparkSession.active()
                : org.apache.spark.sql.SparkSession.builder().master("local[*]").appName("tracestream spark-report")
                        .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                        .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                        .config("spark.sql.shuffle.partitions",
                                Integer.toString(Math.max(2, 2 * Runtime.getRuntime().availableProcessors())))
                        .getOrCreate();
        try {
            return SparkTables.compute(spark, dir);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } finally {
            if (!shared) {
                spark.stop();
            }
        }
    }

    /** Reads and analyses DIR; bad input becomes a one-line usage or I/O error. */
    static SparkReport load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new UsageException(dir + ": not a directory");
        }
        try {
            return SparkReport.of(dir);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
