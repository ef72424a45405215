package io.tracestream.spark.live;

import io.tracestream.live.LivePositions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * An offset of the {@code lttng-live} source: the live client's per-stream packet positions ({@link LivePositions},
 * small versioned JSON), streams sorted by key so that equal positions give equal JSON, and the session's event-time
 * progress at those positions ({@link #watermark()}: the batch ending here gives it to its rows as
 * {@code watermark_ts}; kept in the offset log so that a batch planned again after a restart gives the same rows).
 * JSON: the positions' object with a last member {@code "watermark":NS} when the progress is known.
 */
final class LiveOffset extends Offset {
    /** No progress known (an offset of an older checkpoint, or a session that delivered nothing yet). */
    static final long UNKNOWN = Long.MIN_VALUE;
    private static final Pattern WATERMARK = Pattern.compile(",\\s*\"watermark\"\\s*:\\s*(-?\\d+)\\s*}\\s*$");

    private final LivePositions positions;
    private final long watermark;
    private final String json;

    LiveOffset(LivePositions positions) {
        this(positions, UNKNOWN);
    }

    /**
     * @param watermark a lower bound (ns from the clock origin) of the time of every event after these positions, or
     *                  {@link #UNKNOWN}
     */
    LiveOffset(LivePositions positions, long watermark) {
        List<LivePositions.Stream> l = new ArrayList<>(positions.streams());
        l.sort(Comparator.comparing(LivePositions.Stream::stream));
        this.positions = LivePositions.of(l);
        this.watermark = watermark;
        String p = this.positions.toJson();
        this.json = watermark == UNKNOWN ? p : p.substring(0, p.length() - 1) + ",\"watermark\":" + watermark + "}";
    }

    static LiveOffset parse(String json) {
        Matcher m = WATERMARK.matcher(json);
        long w = UNKNOWN;
        if (m.find()) {
            try {
                w = Long.parseLong(m.group(1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad watermark in live offset: " + m.group(1));
            }
        }
        return new LiveOffset(LivePositions.fromJson(json), w);
    }

    LivePositions positions() {
        return positions;
    }

    /** The event-time progress at this offset (ns from the clock origin), or {@link #UNKNOWN}. */
    long watermark() {
        return watermark;
    }

    /** True when both name the same packets (whatever their progress). */
    boolean samePositions(LiveOffset o) {
        return o != null && positions.toJson().equals(o.positions.toJson());
    }

    /** Packets delivered of a stream (0 when the offset does not name it). */
    long packets(String stream) {
        LivePositions.Stream s = positions.get(stream);
        return s == null ? 0 : s.packets();
    }

    long totalPackets() {
        long n = 0;
        for (LivePositions.Stream s : positions.streams()) {
            n += s.packets();
        }
        return n;
    }

    @Override
    public String json() {
        return json;
    }
}
