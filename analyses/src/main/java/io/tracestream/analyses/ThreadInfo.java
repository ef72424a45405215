package io.tracestream.analyses;

import java.io.Serializable;

/**
 * What the state model knows of one thread (lttng-analyses' {@code sv.Process}): ids, command name, priority, wakeup
 * bookkeeping, current syscall and scheduling state. Mutable, owned by {@link KernelState}; analyses copy what they
 * keep.
 */
public final class ThreadInfo implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Marks an unknown long (pid, timestamp, tid). */
    public static final long NONE = Long.MIN_VALUE;
    /** Marks an unknown priority. */
    public static final int NO_PRIO = Integer.MIN_VALUE;

    final long tid;
    long pid = NONE;
    String comm = "";
    int prio = NO_PRIO;
    long prevTid = NONE;
    long lastWakeup = NONE;
    long lastWaker = NONE;
    /** The syscall in progress (name), or null. */
    String syscall;
    long syscallBegin = NONE;
    /** The thread's scheduling state and since when. */
    ThreadState state = ThreadState.UNKNOWN;
    long stateSince = NONE;
    long stateCpu = -1;

    ThreadInfo(long tid) {
        this.tid = tid;
    }

    public long tid() {
        return tid;
    }

    /** The pid (thread group id), or {@link #NONE}. */
    public long pid() {
        return pid;
    }

    /** The command name, "" when unknown. */
    public String comm() {
        return comm;
    }

    /** The priority as the tracer reports it, or {@link #NO_PRIO}. */
    public int prio() {
        return prio;
    }

    /** Timestamp of the first wakeup not yet followed by a switch-in, or {@link #NONE}. */
    public long lastWakeup() {
        return lastWakeup;
    }

    /** The thread that ran on the waking CPU at that wakeup, or {@link #NONE}. */
    public long lastWaker() {
        return lastWaker;
    }

    /** The syscall in progress (name without prefix), or null. */
    public String syscall() {
        return syscall;
    }

    /** Entry timestamp of the syscall in progress, or {@link #NONE}. */
    public long syscallBegin() {
        return syscallBegin;
    }

    public ThreadState state() {
        return state;
    }

    @Override
    public String toString() {
        return comm + " (" + tid + ")";
    }
}
