package io.tracestream.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the events a whole-trace benchmark went through, so JMH reports them as a secondary throughput metric
 * ({@code BENCHMARK:events}, in events per second) next to the passes per second.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class EventCounter {
    /** Events seen in the current iteration. */
    public long events;

    /** Clears the count before each iteration. */
    @Setup(Level.Iteration)
    public void reset() {
        events = 0;
    }
}
