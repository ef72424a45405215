package io.tracestream.ctf;

/** Helpers for clock snapshots: a snapshot is absent when its cycles are {@link #NONE}. */
public final class ClockValue {
    /** Marks an absent clock snapshot or timestamp. */
    public static final long NONE = Long.MIN_VALUE;

    private ClockValue() {
    }
}
