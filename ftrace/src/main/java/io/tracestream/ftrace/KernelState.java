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

    /** Thread id to process id, as an open-addressing table of ints (looked up for every event). */
    private int[] keys = new int[1024];
    private int[] values = new int[1024];
    private int size;
    private boolean zeroKey;
    private int zeroValue;
    private final Map<Integer, Long> cloneFlags = new HashMap<>();
    /** Inode number of the initial PID namespace (LTTng's {@code *_ns_inum}), or 0 when unknown. */
    long pidNamespaceInode;

    void seed(int tid, int tgid) {
        put(tid, tgid);
    }

    /** The process id of thread {@code tid}, or {@code tid} itself when unknown. */
    int tgid(int tid) {
        if (tid == 0) {
            return zeroKey ? zeroValue : 0;
        }
        int mask = keys.length - 1;
        for (int i = mix(tid) & mask;; i = (i + 1) & mask) {
            int k = keys[i];
            if (k == tid) {
                return values[i];
            }
            if (k == 0) {
                return tid;
            }
        }
    }

    private void put(int tid, int tgid) {
        if (tid == 0) {
            zeroKey = true;
            zeroValue = tgid;
            return;
        }
        if ((size + 1) * 2 > keys.length) {
            int[] oldKeys = keys;
            int[] oldValues = values;
            keys = new int[oldKeys.length * 2];
            values = new int[oldKeys.length * 2];
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != 0) {
                    put(oldKeys[i], oldValues[i]);
                }
            }
        }
        int mask = keys.length - 1;
        for (int i = mix(tid) & mask;; i = (i + 1) & mask) {
            if (keys[i] == tid) {
                values[i] = tgid;
                return;
            }
            if (keys[i] == 0) {
                keys[i] = tid;
                values[i] = tgid;
                size++;
                return;
            }
        }
    }

    private static int mix(int x) {
        int h = x * 0x9E3779B9;
        return h ^ (h >>> 16);
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
        put(childTid, tgid);
        return tgid;
    }
}
