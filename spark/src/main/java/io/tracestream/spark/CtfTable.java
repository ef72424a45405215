package io.tracestream.spark;

import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.spark.read.TableLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of the traces under some paths: their traces (with packet indexes) and the {@link TableLayout}. Built
 * once per {@code load()} on the driver (a small cache avoids re-reading the indexes when Spark asks again for
 * the same options).
 */
public final class CtfTable implements SupportsRead {
    private static final Logger LOG = LoggerFactory.getLogger(CtfTable.class);
    private static final Map<Map<String, String>, CtfTable> RECENT = Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(8, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Map<String, String>, CtfTable> e) {
                    return size() > 4;
                }
            });

    private final CtfOptions options;
    private final List<Trace> traces;
    private final TableLayout layout;
    private final long skippedPackets;
    private final List<String> warnings;

    private CtfTable(CtfOptions options, List<Trace> traces, TableLayout layout, long skippedPackets,
                     List<String> warnings) {
        this.options = options;
        this.traces = traces;
        this.layout = layout;
        this.skippedPackets = skippedPackets;
        this.warnings = warnings;
    }

    /** Opens the traces the options name (validating every option first). */
    public static CtfTable open(Map<String, String> properties) {
        Map<String, String> key = new HashMap<>();
        properties.forEach((k, v) -> key.put(k.toLowerCase(java.util.Locale.ROOT), v));
        CtfOptions o = CtfOptions.parse(properties);
        CtfTable cached = RECENT.get(key);
        if (cached != null && cached.fresh()) {
            return cached;
        }
        List<String> warnings = Collections.synchronizedList(new ArrayList<>());
        long[] skipped = {0};
        TraceListener l = new TraceListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
                LOG.warn("ctf: {}", message);
            }

            @Override
            public void skipped(Path file, long offset, String reason) {
                skipped[0]++;
                String m = "skipped unreadable data in " + file + " at offset " + offset + ": " + reason;
                warnings.add(m);
                LOG.warn("ctf: {}", m);
            }
        };
        List<Trace> traces;
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().lenient(o.lenient()).listener(l), o.paths())) {
            traces = List.copyOf(ts.traces());
        }
        TableLayout layout = TableLayout.of(traces, o.events());
        CtfTable t = new CtfTable(o, traces, layout, skipped[0], List.copyOf(warnings));
        t.properties = Map.copyOf(properties);
        RECENT.put(key, t);
        return t;
    }

    private final long createdNanos = System.nanoTime();
    /** The options as given (the streaming source reads its own from them). */
    private Map<String, String> properties = Map.of();

    /** The options as given to {@code load()} / {@code option()}. */
    public Map<String, String> properties() {
        return properties;
    }

    /**
     * True for the table Spark asks for right after inferring its schema (same options, within seconds); a table is
     * otherwise opened anew, so that a trace that grew is seen whole.
     */
    private boolean fresh() {
        return System.nanoTime() - createdNanos < 10_000_000_000L;
    }

    public static CtfTable open(CaseInsensitiveStringMap options) {
        return open(options.asCaseSensitiveMap());
    }

    @Override
    public String name() {
        return "ctf " + options.paths();
    }

    @Override
    public StructType schema() {
        return layout.schema();
    }

    @Override
    public Set<TableCapability> capabilities() {
        return CtfStreaming.find() != null ? EnumSet.of(TableCapability.BATCH_READ, TableCapability.MICRO_BATCH_READ)
                : EnumSet.of(TableCapability.BATCH_READ);
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap ignored) {
        return new CtfScanBuilder(this);
    }

    public CtfOptions options() {
        return options;
    }

    /** The traces found (file traces, with their packet indexes). */
    public List<Trace> traces() {
        return traces;
    }

    public TableLayout layout() {
        return layout;
    }

    /** Packets the lenient index scan skipped as unreadable. */
    public long skippedPackets() {
        return skippedPackets;
    }

    /** Warnings met while opening (unusable index files, skipped data). */
    public List<String> warnings() {
        return warnings;
    }
}
