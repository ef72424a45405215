package io.tracestream.spark.cli;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.spark.CtfTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code tracestream convert TRACE-PATH... --to parquet DIR} (reached through {@code convert}, internal name
 * {@code convert.parquet}): writes the generic {@code events} table as Parquet under DIR, partitioned by event class
 * ({@code DIR/name=CLASS/part-*.parquet}, the class name URL-escaped as Spark does), payload as a Parquet VARIANT.
 * Read it back with {@code spark.read.parquet(DIR)}; a {@code name} predicate then reads only those folders.
 */
public final class ParquetConvertCommand implements Command {

    @Override
    public String name() {
        return "convert.parquet";
    }

    @Override
    public String summary() {
        return "Convert traces to Parquet, partitioned by event class";
    }

    /** The options of the built-in {@code convert}, whose parsed arguments this command receives. */
    @Override
    public Options options() {
        return new Options()
                .value("output", 'w', "DIR", "Directory to write to (created; must be empty)")
                .value("begin", 'b', "TIME", "Not supported with --to parquet")
                .value("end", 'e', "TIME", "Not supported with --to parquet")
                .value("events", "NAME[,NAME]...", "Keep only events with one of these names")
                .flag("clock-gmt", "Not supported with --to parquet")
                .flag("lenient", "Skip unreadable packets (counted) instead of failing")
                .value("metadata-format", "FORMAT", "Not supported with --to parquet")
                .value("packet-size", "BYTES", "Not supported with --to parquet")
                .value("to", "FORMAT", "parquet");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        for (String unsupported : new String[] {"begin", "end", "metadata-format", "packet-size", "clock-gmt"}) {
            if (args.has(unsupported)) {
                throw new UsageException("--" + unsupported + " does not apply to --to parquet (filter the Parquet "
                        + "data with Spark instead)");
            }
        }
        List<String> pos = new ArrayList<>(args.positionals());
        String output = args.value("output");
        if (output == null) {
            if (pos.size() < 2) {
                throw new UsageException(pos.isEmpty() ? "no trace path given"
                        : "no output directory given ('convert TRACE-PATH... --to parquet DIR')");
            }
            output = pos.remove(pos.size() - 1);
        }
        if (pos.isEmpty()) {
            throw new UsageException("no trace path given");
        }
        Path out = Path.of(output);
        if (Files.exists(out)) {
            boolean empty;
            try (Stream<Path> s = Files.list(out)) {
                empty = Files.isDirectory(out) && s.findAny().isEmpty();
            } catch (IOException e) {
                empty = false;
            }
            if (!empty) {
                throw new UsageException("output directory '" + out + "' exists and is not empty");
            }
        }
        Map<String, String> options = new HashMap<>();
        options.put("paths", SqlCommand.json(pos));
        if (args.has("lenient")) {
            options.put("lenient", "true");
        }
        if (args.value("events") != null) {
            // keep the generic schema; filter by name (pushed down: other classes are not decoded)
            options.remove("events");
        }
        CtfTable.open(options); // validate paths and options before starting Spark
        boolean shared = SparkSession.getDefaultSession().isDefined(); // embedded in a program that has one
        SparkSession spark = SparkCommands.session(null, "tracestream convert --to parquet");
        try {
            Dataset<Row> df = spark.read().format("ctf").options(options).load();
            if (args.value("events") != null) {
                List<String> names = new ArrayList<>();
                for (String n : args.value("events").split(",")) {
                    if (!n.isBlank()) {
                        names.add(n.trim());
                    }
                }
                df = df.where(org.apache.spark.sql.functions.col("name").isin(names.toArray()));
            }
            df.write().partitionBy("name").mode("errorifexists").parquet(out.toAbsolutePath().toString());
            return 0;
        } catch (Exception e) {
            throw SparkCommands.translate(e);
        } finally {
            if (!shared) {
                spark.stop();
            }
        }
    }
}
