package io.tracestream.analyses;

import java.io.Serializable;
import java.util.List;

/**
 * The results of one analysis over a trace: one {@link Period} per window (one for the whole range without
 * {@code --window}), and the event losses of the traces in the analysed range, which may distort them.
 *
 * @param analysis  the analysis that produced them
 * @param config    its configuration
 * @param periods   results per period, in time order (empty when no event was analysed)
 * @param losses    discarded events/packets reported by the tracer in the analysed range
 */
public record AnalysisResult(Analysis analysis, AnalysisConfig config, List<Period> periods, List<Loss> losses) {

    /** One period's tables. */
    public record Period(long begin, long end, List<ResultTable> tables) implements Serializable {
    }

    /**
     * Events (or packets) the tracer discarded in one stream between {@code begin} and {@code end} (ns; NONE when
     * unknown).
     *
     * @param stream  the stream name (file relative to its trace)
     * @param cpu     the stream's CPU, or -1
     * @param packets true for discarded packets, false for discarded events
     * @param count   how many (-1 when unknown)
     */
    public record Loss(String stream, long cpu, boolean packets, long count, long begin, long end)
            implements Serializable {
    }

    /** Total discarded events (known counts). */
    public long discardedEvents() {
        return losses.stream().filter(l -> !l.packets() && l.count() > 0).mapToLong(Loss::count).sum();
    }

    /** Total discarded packets (known counts). */
    public long discardedPackets() {
        return losses.stream().filter(l -> l.packets() && l.count() > 0).mapToLong(Loss::count).sum();
    }

    /** The first table of that class in a period, or null. */
    public ResultTable table(int period, String tableClass) {
        for (ResultTable t : periods.get(period).tables()) {
            if (t.tableClass().name().equals(tableClass)) {
                return t;
            }
        }
        return null;
    }
}
