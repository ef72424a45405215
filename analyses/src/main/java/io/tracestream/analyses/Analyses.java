package io.tracestream.analyses;

import java.util.ArrayList;
import java.util.List;

/** The registry of analyses, in the order {@code tracestream analyze all} runs them. Add an analysis: one line. */
public final class Analyses {
    private static final List<Analysis> ALL = List.of(
            new CputopAnalysis(),
            new SchedAnalysis(SchedAnalysis.Mode.STATS),
            new SchedAnalysis(SchedAnalysis.Mode.TOP),
            new io.tracestream.analyses.syscalls.SyscallStatsAnalysis(),
            new IrqstatsAnalysis(),
            new io.tracestream.analyses.io.IoAnalysis(io.tracestream.analyses.io.IoAnalysis.Mode.STATS),
            new io.tracestream.analyses.io.IoAnalysis(io.tracestream.analyses.io.IoAnalysis.Mode.TOP),
            new io.tracestream.analyses.io.IoAnalysis(io.tracestream.analyses.io.IoAnalysis.Mode.USAGE),
            new io.tracestream.analyses.memory.MemTopAnalysis(),
            new ThreadStatesAnalysis());

    private Analyses() {
    }

    /** Every registered analysis. */
    public static List<Analysis> all() {
        return ALL;
    }

    /** The analysis of that name, or null. */
    public static Analysis byName(String name) {
        for (Analysis a : ALL) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        return null;
    }

    /** Registered names, in order. */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (Analysis a : ALL) {
            n.add(a.name());
        }
        return n;
    }
}
