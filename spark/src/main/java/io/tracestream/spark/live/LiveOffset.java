package io.tracestream.spark.live;

import io.tracestream.live.LivePositions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * An offset of the {@code lttng-live} source: the live client's per-stream packet positions ({@link LivePositions},
 * small versioned JSON), streams sorted by key so that equal positions give equal JSON.
 */
final class LiveOffset extends Offset {
    private final LivePositions positions;
    private final String json;

    LiveOffset(LivePositions positions) {
        List<LivePositions.Stream> l = new ArrayList<>(positions.streams());
        l.sort(Comparator.comparing(LivePositions.Stream::stream));
        this.positions = LivePositions.of(l);
        this.json = this.positions.toJson();
    }

    static LiveOffset parse(String json) {
        return new LiveOffset(LivePositions.fromJson(json));
    }

    LivePositions positions() {
        return positions;
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
