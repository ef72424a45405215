package io.tracestream.ctf;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * How a {@link TraceSet} reads: an immutable value; each method returns a changed copy.
 *
 * <pre>{@code
 * ReadOptions o = ReadOptions.defaults()
 *         .begin(1_600_000_000_000_000_000L)      // ns from origin, inclusive
 *         .events("sched_switch", "sched_wakeup")  // only these events
 *         .lenient(true);                         // skip broken packets, tell the listener
 * }</pre>
 */
public final class ReadOptions {
    private static final ReadOptions DEFAULTS = new ReadOptions(Long.MIN_VALUE, Long.MAX_VALUE, false, false,
            TraceListener.STDERR, null);

    private final long begin;
    private final long end;
    private final boolean streamIntersection;
    private final boolean lenient;
    private final TraceListener listener;
    private final Set<String> eventNames;

    private ReadOptions(long begin, long end, boolean streamIntersection, boolean lenient, TraceListener listener,
                        Set<String> eventNames) {
        this.begin = begin;
        this.end = end;
        this.streamIntersection = streamIntersection;
        this.lenient = lenient;
        this.listener = listener;
        this.eventNames = eventNames;
    }

    /** Everything, strict, warnings and losses to standard error. */
    public static ReadOptions defaults() {
        return DEFAULTS;
    }

    /** Drops messages before {@code nanos} (from the clock origin; the Unix epoch for LTTng), like babeltrace2's {@code --begin}. */
    public ReadOptions begin(long nanos) {
        return new ReadOptions(nanos, end, streamIntersection, lenient, listener, eventNames);
    }

    /** Drops messages after {@code nanos}, like babeltrace2's {@code --end}. */
    public ReadOptions end(long nanos) {
        return new ReadOptions(begin, nanos, streamIntersection, lenient, listener, eventNames);
    }

    /**
     * Reads each trace only over the time range all its streams cover (from the first packet of the stream that
     * starts last to the end of the stream that ends first), like babeltrace2's {@code --stream-intersection}.
     */
    public ReadOptions streamIntersection(boolean on) {
        return new ReadOptions(begin, end, on, lenient, listener, eventNames);
    }

    /** In lenient mode broken packets are skipped and reported to the listener instead of failing. */
    public ReadOptions lenient(boolean on) {
        return new ReadOptions(begin, end, streamIntersection, on, listener, eventNames);
    }

    /** Where warnings, skipped packets and (for {@code events()} and {@code run()}) losses go. */
    public ReadOptions listener(TraceListener l) {
        return new ReadOptions(begin, end, streamIntersection, lenient, Objects.requireNonNull(l), eventNames);
    }

    /** Keeps only events with these names (other messages are kept); no names means all events. */
    public ReadOptions events(String... names) {
        return events(Arrays.asList(names));
    }

    /** Keeps only events with these names (other messages are kept); an empty collection means all events. */
    public ReadOptions events(Collection<String> names) {
        Set<String> set = names.isEmpty() ? null : Set.copyOf(new LinkedHashSet<>(names));
        return new ReadOptions(begin, end, streamIntersection, lenient, listener, set);
    }

    /** The begin bound in ns, or {@link Long#MIN_VALUE}. */
    public long begin() {
        return begin;
    }

    /** The end bound in ns, or {@link Long#MAX_VALUE}. */
    public long end() {
        return end;
    }

    public boolean streamIntersection() {
        return streamIntersection;
    }

    public boolean lenient() {
        return lenient;
    }

    public TraceListener listener() {
        return listener;
    }

    /** The event names kept, or null for all. */
    public Set<String> eventNames() {
        return eventNames;
    }
}
