package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;

/** A discarded-items message held or rewritten by a trimmer (a time range changed, the count made unknown). */
final class SimpleDiscarded implements Discarded {
    private DataStream stream;
    private long count;
    private long beginCycles;
    private long beginNanos;
    private long endCycles;
    private long endNanos;

    SimpleDiscarded set(DataStream stream, long count, long beginCycles, long beginNanos, long endCycles,
                        long endNanos) {
        this.stream = stream;
        this.count = count;
        this.beginCycles = beginCycles;
        this.beginNanos = beginNanos;
        this.endCycles = endCycles;
        this.endNanos = endNanos;
        return this;
    }

    @Override
    public DataStream stream() {
        return stream;
    }

    @Override
    public long count() {
        return count;
    }

    @Override
    public long beginCycles() {
        return beginCycles;
    }

    @Override
    public long beginNanos() {
        return beginNanos;
    }

    @Override
    public long endCycles() {
        return endCycles;
    }

    @Override
    public long endNanos() {
        return endNanos;
    }
}
