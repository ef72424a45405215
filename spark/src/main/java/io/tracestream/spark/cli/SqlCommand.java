package io.tracestream.spark.cli;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.spark.CtfTable;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Pattern;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.types.VariantType;

/**
 * {@code tracestream sql TRACE-PATH... QUERY}: Spark SQL over traces with an embedded Spark ({@code local[*]}, or
 * {@code --master URL}). Table {@code events} is the generic table (payload as VARIANT); each event class has a
 * typed view named after it (characters other than letters, digits and {@code _} become {@code _}, e.g.
 * {@code sched_switch}, {@code tsprobe_tick}). Views (and {@code events}) are created for the names the query
 * mentions. Spark starts in the background while the traces are opened.
 */
public final class SqlCommand implements Command {
    private static final Pattern NOT_IDENT = Pattern.compile("[^A-Za-z0-9_]");

    @Override
    public String name() {
        return "sql";
    }

    @Override
    public String summary() {
        return "Run a Spark SQL query over traces (table events, one typed view per event class)";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] TRACE-PATH... QUERY";
    }

    @Override
    public String description() {
        return "Runs QUERY with Apache Spark (embedded, local[*], unless --master) over the CTF traces found under\n"
                + "each TRACE-PATH. Tables:\n"
                + "  events          one row per event: name, ts (ns since the epoch), time (TIMESTAMP), cycles, cpu,\n"
                + "                  trace, host, stream_id, stream_class_id, stream_file, packet_seq, event_id,\n"
                + "                  context (struct of context fields), payload (VARIANT: payload:prev_tid::int)\n"
                + "  EVENT_CLASS     one per event class, the same leading columns then its context and payload\n"
                + "                  fields as columns; name: the class name with characters other than letters,\n"
                + "                  digits and _ replaced by _ (sched_switch, tsprobe_tick)\n"
                + "Example: tracestream sql TRACE \"SELECT name, count(*) AS n FROM events GROUP BY name ORDER BY n "
                + "DESC\"";
    }

    @Override
    public Options options() {
        return new Options()
                .value("format", 'f', "FORMAT", "Output: table (aligned, default), csv (header line, then rows) or"
                        + " json (one JSON object per line)")
                .value("master", "URL", "Spark master (default local[*]), e.g. spark://HOST:7077")
                .value("option", 'o', "NAME=VALUE", "An option of the ctf source (repeatable), e.g. "
                        + "pushDownAggregates=false, columnar=false, maxSplitBytes=64m")
                .flag("lenient", "Skip unreadable packets (counted) instead of failing");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> pos = args.positionals();
        if (pos.size() < 2) {
            throw new UsageException(pos.isEmpty() ? "no trace path and query given" : "no query given (the last "
                    + "argument is the query)");
        }
        String query = pos.get(pos.size() - 1);
        List<String> paths = pos.subList(0, pos.size() - 1);
        String format = args.value("format", "table").toLowerCase(Locale.ROOT);
        if (!Set.of("table", "csv", "json").contains(format)) {
            throw new UsageException("unknown format '" + args.value("format") + "' (expected table, csv or json)");
        }
        Map<String, String> options = new HashMap<>();
        for (String o : args.values("option")) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--option wants NAME=VALUE, not '" + o + "'");
            }
            options.put(o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        options.put("paths", json(paths));
        if (args.has("lenient")) {
            options.put("lenient", "true");
        }
        boolean shared = SparkSession.getDefaultSession().isDefined(); // embedded in a program that has one
        // Spark starts (seconds) while the traces are opened and validated (a bad path still fails before any job)
        SparkCommands.quietLogging();
        CompletableFuture<SparkSession> starting = CompletableFuture.supplyAsync(
                () -> SparkCommands.session(args.value("master"), "tracestream sql"));
        CtfTable table;
        try {
            table = CtfTable.open(options);
        } catch (RuntimeException e) {
            if (!shared) {
                starting.thenAccept(SparkSession::stop); // the error is reported at once, Spark stops when up
            }
            throw e;
        }
        SparkSession spark = started(starting);
        if (spark == null) {
            throw SparkCommands.translate(startFailure(starting));
        }
        try {
            if (mentions(query, "events")) {
                reader(spark, options).load().createOrReplaceTempView("events");
            }
            for (Map.Entry<String, String> v : views(table.traces()).entrySet()) {
                if (mentions(query, v.getKey())) {
                    Map<String, String> o = new HashMap<>(options);
                    o.put("events", v.getValue());
                    reader(spark, o).load().createOrReplaceTempView(v.getKey());
                }
            }
            Dataset<Row> result = spark.sql(query);
            OutputStream out = terminal.out();
            switch (format) {
                case "json" -> {
                    Iterator<String> it = result.toJSON().toLocalIterator();
                    while (it.hasNext()) {
                        out.write((it.next() + "\n").getBytes(StandardCharsets.UTF_8));
                    }
                }
                case "csv" -> {
                    Dataset<Row> s = asStrings(result);
                    out.write(csvLine(List.of(result.columns())).getBytes(StandardCharsets.UTF_8));
                    Iterator<Row> it = s.toLocalIterator();
                    while (it.hasNext()) {
                        out.write(csvLine(values(it.next())).getBytes(StandardCharsets.UTF_8));
                    }
                }
                default -> {
                    List<List<String>> rows = new ArrayList<>();
                    for (Row r : asStrings(result).collectAsList()) {
                        rows.add(values(r));
                    }
                    out.write(aligned(List.of(result.columns()), rows).getBytes(StandardCharsets.UTF_8));
                }
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw SparkCommands.translate(e);
        } finally {
            if (!shared) {
                spark.stop();
            }
        }
    }

    /** The session once started, or null when it failed to start. */
    private static SparkSession started(CompletableFuture<SparkSession> f) {
        try {
            return f.join();
        } catch (CompletionException | java.util.concurrent.CancellationException e) {
            return null;
        }
    }

    private static Throwable startFailure(CompletableFuture<SparkSession> f) {
        try {
            f.join();
            return new IllegalStateException("Spark did not start");
        } catch (CompletionException e) {
            if (e.getCause() instanceof UsageException u) {
                throw u;
            }
            return e.getCause() == null ? e : e.getCause();
        }
    }

    private static DataFrameReader reader(SparkSession spark, Map<String, String> options) {
        return spark.read().format("ctf").options(options);
    }

    /** View name -> event class name, for every class of the traces. */
    static Map<String, String> views(List<Trace> traces) {
        Set<String> classes = new TreeSet<>();
        for (Trace t : traces) {
            for (StreamClass sc : t.traceClass().streamClasses()) {
                for (EventClass ec : sc.eventClasses()) {
                    classes.add(ec.name());
                }
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        Set<String> taken = new java.util.HashSet<>(Set.of("events"));
        for (String c : classes) {
            String v = NOT_IDENT.matcher(c).replaceAll("_");
            if (v.isEmpty() || Character.isDigit(v.charAt(0))) {
                v = "_" + v;
            }
            String base = v;
            int k = 2;
            while (!taken.add(v.toLowerCase(Locale.ROOT))) {
                v = base + "_" + k++;
            }
            out.put(v, c);
        }
        return out;
    }

    private static boolean mentions(String query, String view) {
        return Pattern.compile("(?i)(?<![A-Za-z0-9_])" + Pattern.quote(view) + "(?![A-Za-z0-9_])").matcher(query)
                .find();
    }

    /** Every column as text: complex values (struct, array, map, VARIANT) as JSON, null as NULL. */
    static Dataset<Row> asStrings(Dataset<Row> df) {
        StructType st = df.schema();
        Column[] cols = new Column[st.size()];
        for (int i = 0; i < cols.length; i++) {
            StructField f = st.fields()[i];
            Column c = df.col("`" + f.name().replace("`", "``") + "`");
            DataType t = f.dataType();
            if (t instanceof StructType || t instanceof ArrayType || t instanceof MapType
                    || t instanceof VariantType) {
                c = functions.to_json(c);
            } else {
                c = c.cast("string");
            }
            cols[i] = c.as("c" + i);
        }
        return df.select(cols);
    }

    private static List<String> values(Row r) {
        List<String> out = new ArrayList<>(r.size());
        for (int i = 0; i < r.size(); i++) {
            out.add(r.isNullAt(i) ? null : r.getString(i));
        }
        return out;
    }

    static String csvLine(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            String v = values.get(i);
            if (v == null) {
                continue; // empty field
            }
            if (v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0) {
                sb.append('"').append(v.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(v);
            }
        }
        return sb.append('\n').toString();
    }

    /** Columns padded to their widest value (numbers right-aligned), a rule under the header. */
    static String aligned(List<String> header, List<List<String>> rows) {
        int n = header.size();
        int[] w = new int[n];
        boolean[] numeric = new boolean[n];
        java.util.Arrays.fill(numeric, true);
        for (int i = 0; i < n; i++) {
            w[i] = header.get(i).length();
        }
        for (List<String> r : rows) {
            for (int i = 0; i < n; i++) {
                String v = r.get(i) == null ? "NULL" : r.get(i);
                w[i] = Math.max(w[i], v.codePointCount(0, v.length()));
                if (r.get(i) != null && !v.matches("-?[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) {
                    numeric[i] = false;
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, w, new boolean[n]);
        for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "  " : "").append("-".repeat(w[i]));
        }
        sb.append('\n');
        for (List<String> r : rows) {
            appendRow(sb, r, w, numeric);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> r, int[] w, boolean[] right) {
        int len = sb.length();
        for (int i = 0; i < w.length; i++) {
            String v = r.get(i) == null ? "NULL" : r.get(i);
            int pad = w[i] - v.codePointCount(0, v.length());
            if (i > 0) {
                sb.append("  ");
            }
            if (right[i]) {
                sb.append(" ".repeat(pad)).append(v);
            } else {
                sb.append(v);
                if (i < w.length - 1) {
                    sb.append(" ".repeat(pad));
                }
            }
        }
        // no trailing blanks
        int end = sb.length();
        while (end > len && sb.charAt(end - 1) == ' ') {
            end--;
        }
        sb.setLength(end);
        sb.append('\n');
    }

    static String json(List<String> paths) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < paths.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append('"').append(paths.get(i).replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        }
        return sb.append(']').toString();
    }
}
