package io.tracestream.spark.streaming;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.stream.AlertRule;
import io.tracestream.ctf.CtfException;
import io.tracestream.spark.live.LiveSource;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.GroupState;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Windowed kernel analyses over a streaming DataFrame of trace events ({@code readStream.format("lttng-live")} or
 * {@code readStream.format("ctf")} over a growing trace folder, generic table): the batch analyses
 * ({@code cputop}, {@code schedstats}, {@code syscallstats}, {@code irqstats}, {@code iousagetop}, ...) run per
 * trace in a stateful operator, and each window's result tables come out as rows once the events up to the window's
 * end are all there.
 *
 * <pre>{@code
 * Dataset<Row> events = spark.readStream().format("lttng-live").option("url", url).load();
 * Dataset<Row> results = StreamingAnalyses.windowed(events, "cputop,irqstats", "1 second");
 * results.writeStream().format("console").outputMode("append").start();
 * }</pre>
 *
 * <p>Rows ({@link #SCHEMA}): {@code trace}, {@code analysis}, {@code window_begin}/{@code window_end} (ns from the
 * clock origin), {@code table} (LAMI table class, e.g. {@code per-tid}), {@code subtitle}, {@code columns} (column
 * keys) and {@code cells} (the values as {@code tracestream analyze --format csv} writes them). Each closed window
 * also gives one row {@code analysis = "window"}, {@code table = "events"}, {@code columns = [events, late]},
 * {@code cells = [event count, late events]} (events that came after their time was closed, dropped and counted
 * since the previous window row), even when its tables are empty. With alert rules
 * ({@code "syscall.latency.p99 > 5ms for 3 windows"}, see {@link AlertRule}), rows with {@code analysis = "alert"}
 * report each rule that fires or resolves ({@code table} = the rule, {@code cells} = kind, value, windows, message).
 *
 * <p>Event time: a window closes once every event up to its end is known to be there, plus {@code lateness} (how far
 * behind an event may still arrive: about one packet's duration, the live timer, for a stream the source did not
 * know yet). With {@code format("lttng-live")} the rows carry the session's progress ({@code watermark_ts}: no
 * event of a known stream that a later micro-batch brings is older), so a window closes in the very micro-batch
 * whose progress passes its end + {@code lateness}. Otherwise, and as the fallback for a trace that sends nothing
 * (no rows, so no progress: its timeout fires on Spark's watermark), Spark's watermark on {@code time} with
 * {@code lateness} closes it, which moves at the end of a micro-batch: the window comes out one micro-batch later.
 * Events older than what was already fed are dropped and counted (the window row's {@code late}; Spark itself
 * drops those older than its watermark). Per trace the state holds the
 * analyses' task (thread/CPU model, passes, the window in progress), the events not yet behind the watermark and
 * the alert streaks, Java-serialized as the Spark engine ships it between slices: memory stays bounded on an endless
 * stream. The results of a closed window equal those of {@code tracestream analyze NAME --window W
 * --no-intersection} for that window.
 */
public final class StreamingAnalyses {
    /** The schema of the result rows. */
    public static final StructType SCHEMA = new StructType()
            .add("trace", DataTypes.StringType)
            .add("analysis", DataTypes.StringType)
            .add("window_begin", DataTypes.LongType)
            .add("window_end", DataTypes.LongType)
            .add("table", DataTypes.StringType)
            .add("subtitle", DataTypes.StringType)
            .add("columns", DataTypes.createArrayType(DataTypes.StringType))
            .add("cells", DataTypes.createArrayType(DataTypes.StringType));

    private StreamingAnalyses() {
    }

    /** {@link #windowed(Dataset, String, String, String, List)} with a lateness of 1 second and no alert rule. */
    public static Dataset<Row> windowed(Dataset<Row> events, String analyses, String window) {
        return windowed(events, analyses, window, "1 second", List.of());
    }

    /**
     * Opens the source ({@code options}: {@code format} = {@code lttng-live} or {@code ctf}, {@code path} for
     * {@code ctf}, and the source's own options) and runs the analyses on it.
     */
    public static Dataset<Row> windowed(SparkSession spark, Map<String, String> options, String analyses,
                                        String window, String lateness, List<String> alertRules) {
        String format = options.getOrDefault("format", "lttng-live");
        org.apache.spark.sql.streaming.DataStreamReader r = spark.readStream().format(format);
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!e.getKey().equals("format") && !e.getKey().equals("path")) {
                r = r.option(e.getKey(), e.getValue());
            }
        }
        Dataset<Row> events = options.containsKey("path") ? r.load(options.get("path")) : r.load();
        return windowed(events, analyses, window, lateness, alertRules);
    }

    /**
     * The windowed results of {@code analyses} (comma-separated names, or {@code all}) over {@code events}.
     *
     * @param window     window length ({@code 500ms}, {@code 1s}, {@code "1 second"})
     * @param lateness   the watermark's delay ({@code "1 second"})
     * @param alertRules alert rules (may be empty)
     * @throws CtfException for an unknown analysis, a bad duration or rule, or events without the generic table's
     *                      columns (one line)
     */
    public static Dataset<Row> windowed(Dataset<Row> events, String analyses, String window, String lateness,
                                        List<String> alertRules) {
        List<String> names = new ArrayList<>();
        for (String n : analyses.split(",")) {
            String name = n.trim();
            if (name.equals("all")) {
                names.addAll(Analyses.names());
                continue;
            }
            if (Analyses.byName(name) == null) {
                throw new CtfException("streaming analyses: unknown analysis '" + name + "' (known: "
                        + String.join(", ", Analyses.names()) + ")");
            }
            names.add(name);
        }
        long windowNanos = nanos(window, "window");
        long latenessMicros = Math.max(1, nanos(lateness, "lateness") / 1000);
        for (String rule : alertRules) {
            try {
                AlertRule.parse(rule);
            } catch (IllegalArgumentException e) {
                throw new CtfException("streaming analyses: " + e.getMessage());
            }
        }
        for (String c : List.of("name", "ts", "time", "trace", "payload")) {
            if (!List.of(events.columns()).contains(c)) {
                throw new CtfException("streaming analyses: the events have no column '" + c + "' (expected the "
                        + "generic table of format(\"ctf\") or format(\"lttng-live\"), without the events option)");
            }
        }
        boolean hasHost = List.of(events.columns()).contains("host");
        List<String> keep = new ArrayList<>(List.of("name", "event_id", "ts", "time", "cpu",
                "coalesce(trace, " + (hasHost ? "host, " : "") + "'') AS trace", "payload"));
        if (List.of(events.columns()).contains("context")) {
            keep.add("context");
        }
        if (List.of(events.columns()).contains(PROGRESS)
                && events.schema().apply(PROGRESS).dataType().equals(DataTypes.LongType)) {
            keep.add(PROGRESS);
        }
        List<String> rules = List.copyOf(alertRules);
        FlatMapGroupsWithStateFunction<String, Row, byte[], Row> fn = new Operator(names, windowNanos,
                latenessMicros * 1000, rules);
        Dataset<Row> kept = events.selectExpr(keep.toArray(new String[0]))
                .withWatermark("time", latenessMicros + " microseconds");
        // grouped by the column, not by a function of the row: the rows are not turned into Java objects (and their
        // converter not generated, per task) before the shuffle only to compute the key
        return kept.groupBy(org.apache.spark.sql.functions.col("trace"))
                .as(Encoders.STRING(), Encoders.row(kept.schema()))
                .flatMapGroupsWithState(fn, OutputMode.Append(), Encoders.BINARY(), Encoders.row(SCHEMA),
                        GroupStateTimeout.EventTimeTimeout());
    }

    /**
     * The source's event-time progress column ({@code format("lttng-live")}: ns from the clock origin; no later event
     * of a stream the source knows is older).
     */
    static final String PROGRESS = LiveSource.WATERMARK_COLUMN;

    /**
     * The per-trace operator: events into the state's buffer, then everything before the horizon fed: the source's
     * progress minus the lateness, or Spark's watermark when it is further.
     */
    private static final class Operator implements FlatMapGroupsWithStateFunction<String, Row, byte[], Row> {
        private static final long serialVersionUID = 2L;
        private final List<String> names;
        private final long window;
        private final long lateness;
        private final List<String> rules;

        Operator(List<String> names, long window, long lateness, List<String> rules) {
            this.names = names;
            this.window = window;
            this.lateness = lateness;
            this.rules = rules;
        }

        @Override
        public Iterator<Row> call(String trace, Iterator<Row> rows, GroupState<byte[]> state) {
            WindowedState s = state.exists() ? WindowedState.read(state.get())
                    : new WindowedState(names, window, rules);
            int progressIndex = -2;
            while (rows.hasNext()) {
                Row r = rows.next();
                s.add(RowEvent.of(r));
                if (progressIndex == -2) {
                    progressIndex = r.schema().getFieldIndex(PROGRESS).getOrElse(() -> -1);
                }
                if (progressIndex >= 0 && !r.isNullAt(progressIndex)) {
                    s.progress(((Number) r.get(progressIndex)).longValue());
                }
            }
            long watermarkMs = state.getCurrentWatermarkMs();
            long horizon = watermarkMs <= 0 ? Long.MIN_VALUE : watermarkMs * 1_000_000L;
            long known = s.progress();
            if (known != Long.MIN_VALUE && known - lateness > horizon) {
                horizon = known - lateness;
            }
            List<Row> out = horizon == Long.MIN_VALUE ? List.of() : s.advance(trace, horizon);
            state.update(s.bytes());
            if (watermarkMs > 0) {
                state.setTimeoutTimestamp(watermarkMs + 1);
            } else {
                state.setTimeoutTimestamp(1);
            }
            return out.iterator();
        }
    }

    private static final Pattern DURATION = Pattern.compile(
            "\\s*([0-9]+(?:\\.[0-9]+)?)\\s*(ns|us|ms|s|m|nanoseconds?|microseconds?|milliseconds?|seconds?|minutes?)\\s*");

    /** A duration such as {@code 500ms}, {@code 1s}, {@code "2 seconds"} in ns. */
    static long nanos(String text, String what) {
        Matcher m = DURATION.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new CtfException("streaming analyses: bad " + what + " '" + text + "' (e.g. 500ms, 1s, "
                    + "\"2 seconds\")");
        }
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2);
        double scale = u.startsWith("n") ? 1 : u.startsWith("mi") && u.length() > 2 && u.charAt(2) == 'c' ? 1e3
                : u.equals("us") ? 1e3 : u.equals("ms") || u.startsWith("milli") ? 1e6
                : u.equals("m") || u.startsWith("minute") ? 60e9 : 1e9;
        long ns = Math.round(v * scale);
        if (ns <= 0) {
            throw new CtfException("streaming analyses: the " + what + " must be positive: '" + text + "'");
        }
        return ns;
    }
}
