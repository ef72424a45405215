package io.tracestream.spark.analyses;

import io.tracestream.analyses.AnalysisTask;
import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.io.MergedTrimmer;
import io.tracestream.ctf.io.MessageMuxer;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One time slice of a chain: the messages of the whole run's time-ordered sequence (for the chain's streams) whose
 * time is in [{@code lo}, {@code hi}), read from the packets that may hold them.
 *
 * @param parts     per stream, the packets to decode and the per-stream trim bounds
 * @param globalEnd the end trim applied after merging ({@link Long#MAX_VALUE}: none), as TraceSet applies it
 * @param lo        first time of the slice (inclusive; {@link Long#MIN_VALUE} for the first slice)
 * @param hi        end of the slice (exclusive; {@link Long#MAX_VALUE} for the last slice)
 * @param muxAlways merge through the muxer even one stream (TraceSet does, and so checks its time order); false:
 *                  one stream is read as is, as the local engine's per-stream passes read it
 */
record Slice(List<Part> parts, long globalEnd, long lo, long hi, boolean muxAlways) implements Serializable {

    /** Packets {@code [from, to)} of stream {@code stream} of trace {@code trace}, trimmed to [trimLo, trimHi]. */
    record Part(int trace, int stream, int from, int to, long trimLo, long trimHi) implements Serializable {
    }

    /** Feeds the slice's events and losses to {@code task}, in time order. */
    void feed(List<Trace> traces, ExecutorTraces.Entry entry, AnalysisTask task) {
        List<MessageCursor> cursors = new ArrayList<>();
        try {
            for (Part p : parts) {
                FsDataStream s = (FsDataStream) traces.get(p.trace).streams().get(p.stream);
                MessageCursor c = entry.backend().openStream(s, s.packets().subList(p.from, p.to));
                if (p.trimLo != Long.MIN_VALUE || p.trimHi != Long.MAX_VALUE) {
                    c = new MergedTrimmer(c, p.trimLo, p.trimHi);
                }
                cursors.add(c);
            }
        } catch (RuntimeException e) {
            cursors.forEach(MessageCursor::close);
            throw e;
        }
        MessageCursor merged = cursors.size() == 1 && !muxAlways ? cursors.get(0) : new MessageMuxer(cursors, null);
        if (globalEnd != Long.MAX_VALUE) {
            merged = new MergedTrimmer(merged, Long.MIN_VALUE, globalEnd);
        }
        try (MessageCursor c = merged) {
            boolean inRange = lo == Long.MIN_VALUE;
            while (c.next()) {
                long t = c.timeNanos();
                if (t != ClockValue.NONE) {
                    if (t >= hi) {
                        break;
                    }
                    inRange = t >= lo;
                }
                if (!inRange) {
                    continue;
                }
                MessageType type = c.type();
                if (type == MessageType.EVENT) {
                    task.event(c.event(), t);
                } else if (type == MessageType.DISCARDED_EVENTS || type == MessageType.DISCARDED_PACKETS) {
                    task.discarded(c.stream(), c.discarded(), type == MessageType.DISCARDED_PACKETS);
                }
            }
        }
    }
}
