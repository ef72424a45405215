package io.tracestream.analyses;

/**
 * Notifications from the {@link KernelState} model while it processes an event (lttng-analyses' state provider
 * notifications). Every method has an empty default: implement what you need. Objects passed are the model's live
 * state: copy what you keep.
 */
public interface KernelListener {

    /**
     * A {@code sched_switch} on {@code cpu}, after the model updated the current thread, names and priorities.
     * {@code wakee} is the next thread (its {@link ThreadInfo#lastWakeup()} still set), {@code waker} the thread that
     * woke it, or null.
     */
    default void schedSwitch(long ts, long cpu, long prevTid, String prevComm, long nextTid, String nextComm,
            ThreadInfo wakee, ThreadInfo waker) {
    }

    /** A {@code sched_migrate_task} of {@code thread} (before its priority is checked). */
    default void migrate(long ts, long cpu, ThreadInfo thread) {
    }

    /** A thread's priority changed (sched_switch, wakeup, migrate or pi_setprio); not sent for the idle thread. */
    default void prioChanged(long ts, long tid, int prio) {
    }

    /** An {@code irq_handler_entry}. */
    default void irqEntry(long ts, long cpu, long irq, String name) {
    }

    /** A hard IRQ handled from {@code begin} to {@code end} on {@code cpu}. */
    default void irqExit(long cpu, long irq, long begin, long end, long ret) {
    }

    /**
     * A softirq handled on {@code cpu}: raised at {@code raise} ({@link ThreadInfo#NONE} when the raise was not
     * seen), entered at {@code begin} ({@link ThreadInfo#NONE} when not seen), exited at {@code end}.
     */
    default void softirqExit(long cpu, long vec, long raise, long begin, long end) {
    }

    /** A syscall entry by {@code thread} (its {@link ThreadInfo#syscall()} is set). */
    default void syscallEntry(long ts, long cpu, ThreadInfo thread, KernelEvent event) {
    }

    /**
     * A syscall exit by {@code thread} whose entry was seen: {@link ThreadInfo#syscall()} and
     * {@link ThreadInfo#syscallBegin()} describe it; {@code event} is the exit event (field {@code ret}).
     */
    default void syscallExit(long ts, long cpu, ThreadInfo thread, KernelEvent event) {
    }

    /** A thread changed scheduling state at {@code ts}: it was {@code from} since {@code since}. */
    default void threadState(long tid, ThreadState from, long since, ThreadState to, long ts, long cpu) {
    }
}
