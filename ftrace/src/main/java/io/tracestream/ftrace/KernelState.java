package io.tracestream.ftrace;

import java.util.HashMap;
import java.util.Map;

/**
 * What the converter tracks while it walks the events in time order, to fill LTTng fields that ftrace does not
 * record: the process (thread group) id of each thread, seeded from the state dump of {@code /proc} and updated by
 * forks ({@code task_newtask} gives the clone flags, so a new thread joins its parent's process).
 */
final class KernelState {
    private static final long CLONE_THREAD = 0x00010000L;

    private final Map<Integer, Integer> tgidOf = new HashMap<>();
    private final Map<Integer, Long> cloneFlags = new HashMap<>();
    /** Inode number of the initial PID namespace (LTTng's {@code *_ns_inum}), or 0 when unknown. */
    long pidNamespaceInode;

    void seed(int tid, int tgid) {
        tgidOf.put(tid, tgid);
    }

    /** The process id of thread {@code tid}, or {@code tid} itself when unknown. */
    int tgid(int tid) {
        Integer p = tgidOf.get(tid);
        return p != null ? p : tid;
    }

    /** {@code task_newtask}: thread {@code childTid} is being created with {@code flags}. */
    void newTask(int childTid, long flags) {
        cloneFlags.put(childTid, flags);
    }

    /**
     * {@code sched_process_fork}: returns the child's process id (the parent's when it was created with
     * CLONE_THREAD) and records it.
     */
    int fork(int parentTid, int childTid) {
        Long flags = cloneFlags.remove(childTid);
        int tgid = flags != null && (flags & CLONE_THREAD) != 0 ? tgid(parentTid) : childTid;
        tgidOf.put(childTid, tgid);
        return tgid;
    }
}
