package io.tracestream.analyses;

import java.io.Serializable;
import java.util.Set;

/**
 * What to analyse and how: time range, window, filters and limits. Immutable; {@code with...} methods return a
 * modified copy. Times are nanoseconds from the clock origin (the Unix epoch for LTTng traces).
 *
 * @param begin       analyse from the first event at or after this time ({@link Long#MIN_VALUE}: from the start).
 *                    Earlier events still build the state model (thread names, current threads), as lttng-analyses
 *                    does
 * @param end         stop after this time ({@link Long#MAX_VALUE}: to the end)
 * @param window      0 for one period over the whole range, else the length of consecutive windows (ns), aligned on
 *                    the first analysed event
 * @param top         rows of "top" tables (lttng-analyses' {@code --limit}, default 10)
 * @param tids        only these threads (empty: all)
 * @param procNames   only threads with these command names (empty: all)
 * @param cpus        only these CPUs (empty: all)
 * @param intersection read only the time range all streams of a trace cover (lttng-analyses' default); false is its
 *                    {@code --no-intersection}
 * @param minDuration ignore latencies/durations below (ns), or -1
 * @param maxDuration ignore latencies/durations above (ns), or -1
 * @param flags       analysis-specific switches (e.g. schedstats' {@code total}, {@code per-prio})
 */
public record AnalysisConfig(long begin, long end, long window, int top, Set<Long> tids, Set<String> procNames,
        Set<Long> cpus, boolean intersection, long minDuration, long maxDuration, Set<String> flags)
        implements Serializable {

    public AnalysisConfig {
        tids = Set.copyOf(tids);
        procNames = Set.copyOf(procNames);
        cpus = Set.copyOf(cpus);
        flags = Set.copyOf(flags);
        if (window < 0) {
            throw new IllegalArgumentException("window must be >= 0");
        }
        if (top < 0) {
            throw new IllegalArgumentException("top must be >= 0");
        }
    }

    /** Whole trace, one period, top 10, no filter, stream intersection on (lttng-analyses' defaults). */
    public static AnalysisConfig defaults() {
        return new AnalysisConfig(Long.MIN_VALUE, Long.MAX_VALUE, 0, 10, Set.of(), Set.of(), Set.of(), true, -1, -1,
                Set.of());
    }

    public AnalysisConfig withRange(long b, long e) {
        return new AnalysisConfig(b, e, window, top, tids, procNames, cpus, intersection, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withWindow(long w) {
        return new AnalysisConfig(begin, end, w, top, tids, procNames, cpus, intersection, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withTop(int n) {
        return new AnalysisConfig(begin, end, window, n, tids, procNames, cpus, intersection, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withTids(Set<Long> t) {
        return new AnalysisConfig(begin, end, window, top, t, procNames, cpus, intersection, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withProcNames(Set<String> p) {
        return new AnalysisConfig(begin, end, window, top, tids, p, cpus, intersection, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withCpus(Set<Long> c) {
        return new AnalysisConfig(begin, end, window, top, tids, procNames, c, intersection, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withIntersection(boolean on) {
        return new AnalysisConfig(begin, end, window, top, tids, procNames, cpus, on, minDuration, maxDuration,
                flags);
    }

    public AnalysisConfig withDurations(long min, long max) {
        return new AnalysisConfig(begin, end, window, top, tids, procNames, cpus, intersection, min, max, flags);
    }

    public AnalysisConfig withFlags(Set<String> f) {
        return new AnalysisConfig(begin, end, window, top, tids, procNames, cpus, intersection, minDuration,
                maxDuration, f);
    }

    /** True when a duration passes {@link #minDuration()} / {@link #maxDuration()}. */
    public boolean acceptDuration(long d) {
        return (minDuration < 0 || d >= minDuration) && (maxDuration < 0 || d <= maxDuration);
    }
}
