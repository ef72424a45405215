package io.tracestream.analyses;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import java.util.HashMap;
import java.util.Map;

/**
 * A batch of events reduced to what the thread/CPU model ({@link KernelState}) reads of them: kind (through the
 * event class information), timestamp, CPU and the few fields of that kind, in primitive arrays. A decoding thread
 * fills batches and the analysis thread replays them ({@link KernelEvent#setDetached}), so that decoding and the
 * analyses run on two cores, for runs whose passes read no event fields ({@link AnalysisPass#readsEventFields()}).
 * A batch also carries the losses met between the events, in order.
 *
 * <p>Exactness: every field is read on the decoding thread through the same accessors the model would use; a read
 * that fails there (a field missing from the trace) keeps its exception, thrown when the model reads that field, so
 * the run fails at the same event with the same error as when both run on one thread.
 */
final class ModelEvents {
    private static final int LONGS = 5;
    private static final int STRINGS = 2;
    private static final KernelEvent.Kind[] KINDS = KernelEvent.Kind.values();
    /** Per kind: the integer and the text fields extracted, in the order the model reads them. */
    private static final int[][] LONG_FIELDS = new int[KINDS.length][];
    private static final int[][] STRING_FIELDS = new int[KINDS.length][];
    /** Per kind and field: its position (integers 0..4, texts 8..9), or -1. */
    private static final int[][] POSITION = new int[KINDS.length][KernelEvent.FIELD_NAMES.length];

    static {
        for (KernelEvent.Kind k : KINDS) {
            int[] l;
            int[] s = {};
            switch (k) {
                case SCHED_SWITCH -> {
                    l = new int[] {KernelEvent.NEXT_TID, KernelEvent.PREV_TID, KernelEvent.NEXT_PRIO,
                        KernelEvent.PREV_PRIO, KernelEvent.PREV_STATE};
                    s = new int[] {KernelEvent.NEXT_COMM, KernelEvent.PREV_COMM};
                }
                case SCHED_MIGRATE_TASK -> {
                    l = new int[] {KernelEvent.TID, KernelEvent.DEST_CPU, KernelEvent.PRIO};
                    s = new int[] {KernelEvent.COMM};
                }
                case SCHED_WAKEUP, SCHED_WAKEUP_NEW, SCHED_WAKING ->
                    l = new int[] {KernelEvent.TARGET_CPU, KernelEvent.PRIO, KernelEvent.TID};
                case SCHED_PROCESS_FORK -> {
                    l = new int[] {KernelEvent.CHILD_TID, KernelEvent.CHILD_PID, KernelEvent.PARENT_PID};
                    s = new int[] {KernelEvent.CHILD_COMM, KernelEvent.PARENT_COMM};
                }
                case SCHED_PROCESS_EXEC -> {
                    l = new int[] {KernelEvent.TID};
                    s = new int[] {KernelEvent.PROCNAME};
                }
                case SCHED_PROCESS_EXIT -> l = new int[] {KernelEvent.TID};
                case SCHED_PI_SETPRIO -> l = new int[] {KernelEvent.TID, KernelEvent.NEWPRIO};
                case STATEDUMP_PROCESS_STATE -> {
                    l = new int[] {KernelEvent.TID, KernelEvent.PID, KernelEvent.PRIO};
                    s = new int[] {KernelEvent.NAME};
                }
                case IRQ_HANDLER_ENTRY -> {
                    l = new int[] {KernelEvent.IRQ};
                    s = new int[] {KernelEvent.NAME};
                }
                case IRQ_HANDLER_EXIT -> l = new int[] {KernelEvent.IRQ, KernelEvent.RET};
                case SOFTIRQ_RAISE, SOFTIRQ_ENTRY, SOFTIRQ_EXIT -> l = new int[] {KernelEvent.VEC};
                case SYSCALL_ENTRY -> l = new int[] {KernelEvent.CONTEXT_PID}; // only with a context pid
                default -> l = new int[] {};
            }
            LONG_FIELDS[k.ordinal()] = l;
            STRING_FIELDS[k.ordinal()] = s;
            java.util.Arrays.fill(POSITION[k.ordinal()], -1);
            for (int p = 0; p < l.length; p++) {
                POSITION[k.ordinal()][l[p]] = p;
            }
            for (int p = 0; p < s.length; p++) {
                POSITION[k.ordinal()][s[p]] = 8 + p;
            }
        }
    }

    final int capacity;
    int size;
    final KernelEvent.ClassInfo[] info;
    final long[] ts;
    final long[] cpu;
    private final long[] longs;
    private final String[] strings;
    /** Per event: bit p set when the field at position p is there (has); bit 16 + p when it was read. */
    private final int[] bits;
    /** Errors of reads that failed, by event index * 32 + position (null: none in this batch). */
    private Map<Integer, RuntimeException> errors;
    /**
     * The error of reading a field an event class does not have, by class and position (null: none yet), kept
     * from the first event of the class: later events of it keep the same error without a read that throws
     * (building an exception per event is costly; old tracers' events lack fields the model reads).
     */
    private java.util.IdentityHashMap<KernelEvent.ClassInfo, RuntimeException[]> absent;
    /** Losses, at the indexes where {@link #info} is null. */
    final Object[] losses;
    /** Set on the last batch of the run. */
    boolean last;
    /** What stopped the decoding thread (thrown by the analysis thread after the batch's events), or null. */
    Throwable failure;

    ModelEvents(int capacity) {
        this.capacity = capacity;
        info = new KernelEvent.ClassInfo[capacity];
        ts = new long[capacity];
        cpu = new long[capacity];
        longs = new long[capacity * LONGS];
        strings = new String[capacity * STRINGS];
        bits = new int[capacity];
        losses = new Object[capacity];
    }

    boolean full() {
        return size == capacity;
    }

    /** Empties the batch for reuse. */
    void clear() {
        java.util.Arrays.fill(strings, 0, size * STRINGS, null);
        java.util.Arrays.fill(losses, 0, size, null);
        java.util.Arrays.fill(info, 0, size, null);
        size = 0;
        errors = null;
        last = false;
        failure = null;
    }

    /** Adds the event the (attached) view is on: its kind's fields are read now. */
    void add(KernelEvent e) {
        int i = size++;
        KernelEvent.ClassInfo ci = (KernelEvent.ClassInfo) e.classInfo();
        info[i] = ci;
        ts[i] = e.ts;
        cpu[i] = e.cpu;
        int k = ci.kind.ordinal();
        int b = 0;
        int[] lf = LONG_FIELDS[k];
        if (lf.length > 0 && !(ci.kind == KernelEvent.Kind.SYSCALL_ENTRY && !ci.contextPid)) {
            for (int p = 0; p < lf.length; p++) {
                int f = lf[p];
                boolean present;
                try {
                    present = f == KernelEvent.CONTEXT_PID || e.has(f);
                } catch (RuntimeException ex) {
                    error(i, p, ex);
                    continue;
                }
                if (present) {
                    b |= 1 << p;
                } else if (knownAbsent(ci, p) != null) {
                    error(i, p, knownAbsent(ci, p));
                    continue;
                }
                try {
                    longs[i * LONGS + p] = e.getLong(f);
                    b |= 1 << (16 + p);
                } catch (RuntimeException ex) {
                    if (!present) {
                        rememberAbsent(ci, p, ex);
                    }
                    error(i, p, ex);
                }
            }
        }
        int[] sf = STRING_FIELDS[k];
        for (int p = 0; p < sf.length; p++) {
            int f = sf[p];
            boolean present;
            try {
                present = e.has(f);
            } catch (RuntimeException ex) {
                error(i, 8 + p, ex);
                continue;
            }
            if (present) {
                b |= 1 << (8 + p);
            } else if (knownAbsent(ci, 8 + p) != null) {
                error(i, 8 + p, knownAbsent(ci, 8 + p));
                continue;
            }
            try {
                strings[i * STRINGS + p] = e.getString(f);
                b |= 1 << (24 + p);
            } catch (RuntimeException ex) {
                if (!present) {
                    rememberAbsent(ci, 8 + p, ex);
                }
                error(i, 8 + p, ex);
            }
        }
        bits[i] = b;
    }

    private RuntimeException knownAbsent(KernelEvent.ClassInfo ci, int position) {
        RuntimeException[] a = absent == null ? null : absent.get(ci);
        return a == null ? null : a[position];
    }

    private void rememberAbsent(KernelEvent.ClassInfo ci, int position, RuntimeException ex) {
        if (absent == null) {
            absent = new java.util.IdentityHashMap<>();
        }
        RuntimeException[] a = absent.get(ci);
        if (a == null) {
            a = new RuntimeException[16];
            absent.put(ci, a);
        }
        a[position] = ex;
    }

        private void error(int i, int position, RuntimeException ex) {
        if (errors == null) {
            errors = new HashMap<>();
        }
        errors.put(i * 32 + position, ex);
    }

    /** Adds a loss (discarded events or packets) met at this point of the stream of messages. */
    void addLoss(DataStream stream, Discarded d, boolean packets) {
        int i = size++;
        losses[i] = new Loss(stream, new Copy(stream, d.count(), d.beginCycles(), d.beginNanos(), d.endCycles(),
                d.endNanos()), packets);
    }

    record Loss(DataStream stream, Discarded discarded, boolean packets) {
    }

    private record Copy(DataStream stream, long count, long beginCycles, long beginNanos, long endCycles,
            long endNanos) implements Discarded {
    }

    private int position(int i, int f) {
        return POSITION[info[i].kind.ordinal()][f];
    }

    private void check(int i, int p, int f) {
        if (errors != null) {
            RuntimeException ex = errors.get(i * 32 + p);
            if (ex != null) {
                throw ex;
            }
        }
        if ((bits[i] & (1 << (16 + p))) == 0) {
            throw notExtracted(i, f);
        }
    }

    long getLong(int i, int f) {
        int p = position(i, f);
        if (p < 0 || p >= 8) {
            throw notExtracted(i, f);
        }
        check(i, p, f);
        return longs[i * LONGS + p];
    }

    String getString(int i, int f) {
        int p = position(i, f);
        if (p < 8) {
            throw notExtracted(i, f);
        }
        check(i, p, f);
        return strings[i * STRINGS + p - 8];
    }

    private IllegalStateException notExtracted(int i, int f) {
        return new IllegalStateException("field '" + KernelEvent.FIELD_NAMES[f] + "' of event '"
                + info[i].eventClass.name() + "' was not extracted");
    }

    boolean has(int i, int f) {
        int p = position(i, f);
        return p >= 0 && (bits[i] & (1 << p)) != 0;
    }

    /** Whether field {@code f} of event {@code i} was extracted (read, or its failed read kept). */
    boolean extracted(int i, int f) {
        return position(i, f) >= 0;
    }
}
