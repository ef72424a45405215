package io.tracestream.analyses;

/**
 * Scheduling state of a thread, from {@code sched_switch} ({@code prev_state}), wakeups, fork and exit. Names follow
 * the kernel's task states.
 */
public enum ThreadState {
    /** Not seen yet in a way that tells its state. */
    UNKNOWN("unknown"),
    /** On a CPU. */
    RUNNING("running"),
    /** Runnable, waiting for a CPU: woken up, or preempted (switched out in state R). */
    RUNNABLE("runnable"),
    /** Blocked, interruptible sleep (S). */
    BLOCKED("blocked"),
    /** Blocked, uninterruptible sleep, usually I/O (D). */
    BLOCKED_IO("blocked-io"),
    /** Stopped or traced (T, t). */
    STOPPED("stopped"),
    /** Exited (Z, X), until freed. */
    DEAD("dead");

    private final String label;

    ThreadState(String label) {
        this.label = label;
    }

    /** The name used in tables. */
    public String label() {
        return label;
    }

    /** The state a thread enters when switched out with that {@code prev_state} (kernel TASK_* bits). */
    static ThreadState ofPrevState(long prevState) {
        long s = prevState & 0xff; // TASK_REPORT bits; higher bits (e.g. TASK_REPORT_MAX/preempt flag) ignored
        if (s == 0) {
            return RUNNABLE;
        }
        if ((s & 0x01) != 0) {
            return BLOCKED;
        }
        if ((s & 0x02) != 0) {
            return BLOCKED_IO;
        }
        if ((s & 0x0c) != 0) {
            return STOPPED;
        }
        if ((s & 0x70) != 0) { // EXIT_DEAD, EXIT_ZOMBIE, TASK_DEAD (64 on older kernels)
            return DEAD;
        }
        return BLOCKED;
    }
}
