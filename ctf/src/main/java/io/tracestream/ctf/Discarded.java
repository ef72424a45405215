package io.tracestream.ctf;

/**
 * A discarded events or discarded packets message: how many were lost (or -1 when unknown) and the time range
 * in which they were lost, as clock snapshots ({@link ClockValue#NONE} when unknown).
 */
public interface Discarded {
    DataStream stream();

    long count();

    long beginCycles();

    long beginNanos();

    long endCycles();

    long endNanos();
}
