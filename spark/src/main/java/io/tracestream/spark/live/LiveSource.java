package io.tracestream.spark.live;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.Trace;
import io.tracestream.live.LiveOptions;
import io.tracestream.live.LiveSession;
import io.tracestream.spark.read.TableLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * The {@code lttng-live} streaming source: {@code spark.readStream.format("lttng-live").option("url",
 * "net://HOST[:PORT]/host/HOSTNAME/SESSION").load()} gives one row per event of a session that {@code lttng-relayd}
 * serves live, with the schema and rows of {@code format("ctf")} (generic {@code events} table, or typed with option
 * {@code events}). The schema comes from the session's metadata when the query is defined: the source attaches to the
 * session briefly (waiting at most {@code schemaTimeoutMs} for a traced application to register) and detaches.
 * See {@link LiveMicroBatchStream} for offsets, limits and restarts.
 *
 * <p>One column more than {@code format("ctf")}, the last: {@value #WATERMARK_COLUMN} (BIGINT, ns from the clock
 * origin, null until the session delivered something), the same on every row of a micro-batch: no event that a later
 * micro-batch brings is older than it, for the streams the session knows (a stream that appears later may bring
 * older events: keep a lateness for those). Event-time operators use it to close windows as soon as the data is
 * complete ({@link io.tracestream.spark.streaming.StreamingAnalyses} does).
 */
public final class LiveSource implements TableProvider, DataSourceRegister {

    /** The name of the event-time progress column (a typed table with a field of that name gets {@code _2}...). */
    public static final String WATERMARK_COLUMN = "watermark_ts";

    /** The short name, {@code lttng-live}. */
    @Override
    public String shortName() {
        return "lttng-live";
    }

    /** The layout {@link #inferSchema} derived, reused by {@link #getTable} (Spark calls both on one instance). */
    private LiveSourceOptions inferredFor;
    private TableLayout inferred;

    @Override
    public StructType inferSchema(CaseInsensitiveStringMap options) {
        return schema(layoutOf(LiveSourceOptions.parse(options.asCaseSensitiveMap())));
    }

    /** The table's schema: the layout's, then the {@value #WATERMARK_COLUMN} column. */
    static StructType schema(TableLayout layout) {
        StructType s = layout.schema();
        Set<String> taken = new HashSet<>();
        for (String n : s.fieldNames()) {
            taken.add(n.toLowerCase(Locale.ROOT));
        }
        String name = WATERMARK_COLUMN;
        for (int k = 2; taken.contains(name); k++) {
            name = WATERMARK_COLUMN + "_" + k;
        }
        return s.add(DataTypes.createStructField(name,
                DataTypes.LongType, true).withComment("event-time progress of the session "
                + "at the end of this micro-batch: ns from the clock origin; no later event of a known stream is "
                + "older"));
    }

    @Override
    public Table getTable(StructType schema, Transform[] partitioning, Map<String, String> properties) {
        LiveSourceOptions o = LiveSourceOptions.parse(properties);
        TableLayout layout = layoutOf(o);
        if (schema != null && !schema.equals(schema(layout))) {
            throw new CtfException("lttng-live: a user-specified schema is not supported: the schema comes from the "
                    + "session's metadata (use option 'events' for typed columns)");
        }
        return new LiveTable(o, layout);
    }

    @Override
    public boolean supportsExternalMetadata() {
        return false;
    }

    /** The table layout for these options: attaches to the session once per load, not once per Spark call. */
    private TableLayout layoutOf(LiveSourceOptions o) {
        if (!o.equals(inferredFor)) {
            inferred = layout(o);
            inferredFor = o;
        }
        return inferred;
    }

    /** Attaches to the session until its traces' metadata is there, and derives the table layout from it. */
    static TableLayout layout(LiveSourceOptions o) {
        LiveOptions lo = LiveOptions.defaults().fromBeginning(true).sessionNotFound(LiveOptions.SessionNotFound.FAIL);
        long deadline = System.nanoTime() + o.schemaTimeout().toNanos();
        try (LiveSession s = open(o.url(), lo, o.schemaTimeout())) {
            while (true) {
                List<Trace> traces = new ArrayList<>();
                for (Trace t : s.traces()) {
                    if (t.traceClass() != null) {
                        traces.add(t);
                    }
                }
                if (!traces.isEmpty()) {
                    return TableLayout.of(traces, o.events());
                }
                if (System.nanoTime() > deadline) {
                    throw new CtfException("lttng-live: session " + o.url() + " has no trace metadata after "
                            + o.schemaTimeout().toMillis() + " ms (no traced application registered yet?); the "
                            + "schema comes from the metadata (option schemaTimeoutMs)");
                }
                if (s.next(Duration.ofMillis(100)) == LiveSession.Status.END && s.traces().isEmpty()) {
                    throw new CtfException("lttng-live: session " + o.url() + " ended before any trace metadata");
                }
            }
        }
    }

    /**
     * Opens a live session; while the relay still counts a viewer that just detached (a query restarted at once: the
     * relay lets one viewer attach at a time and notices a closed connection a moment later), retries for at most
     * {@code patience}.
     */
    static LiveSession open(io.tracestream.live.LiveUrl url, LiveOptions options, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return LiveSession.open(url, options);
            } catch (io.tracestream.live.LiveException e) {
                String m = e.getMessage();
                if (m == null || !m.contains("another viewer is attached") || System.nanoTime() > deadline) {
                    throw e;
                }
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** The streaming table. */
    private record LiveTable(LiveSourceOptions options, TableLayout layout) implements SupportsRead {
        @Override
        public String name() {
            return "lttng-live " + options.url();
        }

        @Override
        public StructType schema() {
            return LiveSource.schema(layout);
        }

        @Override
        public Set<TableCapability> capabilities() {
            return Set.of(TableCapability.MICRO_BATCH_READ);
        }

        @Override
        public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
            return () -> new Scan() {
                @Override
                public StructType readSchema() {
                    return LiveSource.schema(layout);
                }

                @Override
                public String description() {
                    return "lttng-live " + options.url();
                }

                @Override
                public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
                    return new LiveMicroBatchStream(options, layout.plan(layout.schema(), null, Long.MIN_VALUE,
                            Long.MAX_VALUE, options.lenient()));
                }
            };
        }
    }
}
