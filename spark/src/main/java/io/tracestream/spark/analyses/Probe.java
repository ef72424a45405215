package io.tracestream.spark.analyses;

import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.io.MergedTrimmer;
import java.io.Serializable;

/**
 * A Spark task of the per-CPU planning: the stream's first event time in [from, to] ({@link Long#MAX_VALUE} when
 * none; it aligns the windows of all CPUs) and its CPU (packet context {@code cpu_id} of its first packet, -1 when
 * absent; it groups streams into chains).
 */
record Probe(TraceRef traces, int trace, int stream, long from, long trimLo, long to) implements Serializable {

    /** {first event time, cpu}, or the error message of a trace that cannot be read. */
    Object run() {
        try {
            return probe();
        } catch (io.tracestream.ctf.CtfException e) {
            return e.getMessage();
        }
    }

    private long[] probe() {
        ExecutorTraces.Entry e = ExecutorTraces.open(traces);
        FsDataStream s = (FsDataStream) e.traces().get(trace).streams().get(stream);
        if (s.packets().isEmpty()) {
            return new long[] {Long.MAX_VALUE, -1};
        }
        long cpu = -1;
        try (MessageCursor cur = e.backend().openStream(s, s.packets().subList(0, 1))) {
            while (cur.next()) {
                if (cur.packet() != null) {
                    cpu = cur.packet().cpuId();
                    break;
                }
            }
        }
        // packets ending before 'from' hold no candidate event: start at the one before the first that may
        int first = SparkEngine.firstPacketFor(s, from);
        try (MessageCursor cur = new MergedTrimmer(e.backend().openStream(s, s.packets().subList(first,
                s.packets().size())), Long.MIN_VALUE, to)) {
            while (cur.next()) {
                if (cur.type() == MessageType.EVENT && cur.timeNanos() >= from) {
                    return new long[] {cur.timeNanos(), cpu};
                }
            }
        }
        return new long[] {Long.MAX_VALUE, cpu};
    }
}
