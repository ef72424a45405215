package io.tracestream.analyses;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.meta.EventClass;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The event an analysis sees: the core's {@link EventRecord} (a flyweight, valid during the callback only) with its
 * kernel event kind resolved once per event class, its timestamp and its CPU: a {@code cpu_id} field of the event
 * (payload or contexts) when it has one, else the packet context's {@code cpu_id} (babeltrace 1's lookup order, which
 * lttng-analyses relies on), else -1.
 *
 * <p>Both syscall naming schemes map to the same kinds: {@code syscall_entry_NAME}
 * and the older {@code sys_NAME} are {@link Kind#SYSCALL_ENTRY}; {@code syscall_exit_NAME} and {@code exit_syscall}
 * are {@link Kind#SYSCALL_EXIT}; {@link #syscallName()} strips the prefix.
 */
public final class KernelEvent {

    /** The kernel events the state model and the analyses know. */
    public enum Kind {
        SCHED_SWITCH, SCHED_MIGRATE_TASK, SCHED_WAKEUP, SCHED_WAKEUP_NEW, SCHED_WAKING, SCHED_PROCESS_FORK,
        SCHED_PROCESS_EXEC, SCHED_PROCESS_EXIT, SCHED_PROCESS_FREE, SCHED_PI_SETPRIO, STATEDUMP_PROCESS_STATE,
        STATEDUMP_FILE_DESCRIPTOR, STATEDUMP_BLOCK_DEVICE, IRQ_HANDLER_ENTRY, IRQ_HANDLER_EXIT, SOFTIRQ_RAISE,
        SOFTIRQ_ENTRY, SOFTIRQ_EXIT, SYSCALL_ENTRY, SYSCALL_EXIT, OTHER
    }

    /** What is known of an event class, computed at its first event. */
    static final class ClassInfo {
        /** Most distinct field names asked of one class that get a cached handle. */
        private static final int MAX_FIELDS = 32;

        final EventClass eventClass;
        final Kind kind;
        final String syscallName;
        /** Whether the event has a {@code cpu_id} field of its own (payload or contexts), and its handle. */
        final boolean ownCpuId;
        final int cpuIdHandle;
        final boolean contextPid;
        /** Handles of the model's fields ({@link #FIELD_NAMES}), resolved at first use ({@link #UNRESOLVED}). */
        final int[] fieldHandles = new int[FIELD_NAMES.length];
        /** Field names asked so far (the analyses' constants: found by identity) and their handles. */
        private String[] names = new String[4];
        private int[] handles = new int[4];
        private int count;

        ClassInfo(EventClass eventClass, Kind kind, String syscallName, boolean ownCpuId, int cpuIdHandle,
                boolean contextPid) {
            this.eventClass = eventClass;
            this.kind = kind;
            this.syscallName = syscallName;
            this.ownCpuId = ownCpuId;
            this.cpuIdHandle = cpuIdHandle;
            this.contextPid = contextPid;
            java.util.Arrays.fill(fieldHandles, UNRESOLVED);
        }

        /** The record's handle of the model's field {@code f} (-1 when absent), resolved once per class. */
        int fieldHandle(int f, EventRecord r) {
            int h = fieldHandles[f];
            if (h == UNRESOLVED) {
                h = f == CONTEXT_PID ? -1 : r.fieldHandle(FIELD_NAMES[f]);
                fieldHandles[f] = h;
            }
            return h;
        }

        /** The record's handle of field {@code name} (-1 when absent), resolved once per name and class. */
        int handle(String name, EventRecord r) {
            for (int i = 0; i < count; i++) {
                if (names[i] == name) {
                    return handles[i];
                }
            }
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return handles[i];
                }
            }
            int h = r.fieldHandle(name);
            if (count < MAX_FIELDS) {
                if (count == names.length) {
                    names = java.util.Arrays.copyOf(names, count * 2);
                    handles = java.util.Arrays.copyOf(handles, count * 2);
                }
                names[count] = name;
                handles[count++] = h;
            }
            return h;
        }
    }

    // The fields the thread/CPU model (KernelState) reads, by number: getLong(int), getString(int), has(int).
    static final int NEXT_TID = 0;
    static final int PREV_TID = 1;
    static final int NEXT_PRIO = 2;
    static final int PREV_PRIO = 3;
    static final int PREV_STATE = 4;
    static final int TID = 5;
    static final int PRIO = 6;
    static final int TARGET_CPU = 7;
    static final int DEST_CPU = 8;
    static final int NEWPRIO = 9;
    static final int CHILD_TID = 10;
    static final int CHILD_PID = 11;
    static final int PARENT_PID = 12;
    static final int PID = 13;
    static final int IRQ = 14;
    static final int RET = 15;
    static final int VEC = 16;
    /** The {@code pid} of the record looked up by name (the stream event context's, see KernelState). */
    static final int CONTEXT_PID = 17;
    static final int NEXT_COMM = 18;
    static final int PREV_COMM = 19;
    static final int COMM = 20;
    static final int CHILD_COMM = 21;
    static final int PARENT_COMM = 22;
    static final int PROCNAME = 23;
    static final int NAME = 24;
    static final String[] FIELD_NAMES = {"next_tid", "prev_tid", "next_prio", "prev_prio", "prev_state", "tid", "prio",
        "target_cpu", "dest_cpu", "newprio", "child_tid", "child_pid", "parent_pid", "pid", "irq", "ret", "vec", "pid",
        "next_comm", "prev_comm", "comm", "child_comm", "parent_comm", "procname", "name"};
    private static final int UNRESOLVED = -2;

    private final Map<EventClass, ClassInfo> classes = new IdentityHashMap<>();
    /** By event class id (ids below 4096): the last class seen with that id (one lookup per event, no hashing). */
    private ClassInfo[] byId = new ClassInfo[0];
    private EventClass lastClass;
    private ClassInfo lastInfo;
    private ClassInfo info;
    EventRecord record;
    Kind kind;
    long ts;
    long cpu;

    /** When the view is detached: the batch of extracted events and the index in it (record is null then). */
    private ModelEvents batch;
    private int index;

    /** Points this view at an event extracted into a batch (see {@link ModelEvents}): no record behind it. */
    void setDetached(ModelEvents b, int i) {
        this.record = null;
        this.batch = b;
        this.index = i;
        this.info = b.info[i];
        this.kind = info.kind;
        this.ts = b.ts[i];
        this.cpu = b.cpu[i];
    }

    /** Points this view at the next record. */
    void set(EventRecord r, long timestamp) {
        this.record = r;
        this.batch = null;
        EventClass ec = r.eventClass();
        ClassInfo ci;
        long id = ec.id();
        if (ec == lastClass) {
            ci = lastInfo;
        } else if (id >= 0 && id < byId.length && byId[(int) id] != null && byId[(int) id].eventClass == ec) {
            ci = byId[(int) id];
            lastClass = ec;
            lastInfo = ci;
        } else {
            ci = classes.get(ec);
            if (ci == null) {
                Kind k = kindOf(ec.name());
                // a cpu_id field of the event's own (payload or contexts) wins over the packet's
                ci = new ClassInfo(ec, k, k == Kind.SYSCALL_ENTRY ? syscallNameOf(ec.name()) : null,
                        r.has("cpu_id"), r.fieldHandle("cpu_id"), hasContextPid(ec));
                classes.put(ec, ci);
            }
            if (id >= 0 && id < 4096) {
                if (id >= byId.length) {
                    byId = java.util.Arrays.copyOf(byId, (int) Math.max(id + 1, Math.min(4096, byId.length * 2L)));
                }
                byId[(int) id] = ci;
            }
            lastClass = ec;
            lastInfo = ci;
        }
        this.info = ci;
        this.kind = ci.kind;
        this.ts = timestamp;
        if (ci.ownCpuId) {
            this.cpu = ci.cpuIdHandle >= 0 ? r.getLong(ci.cpuIdHandle) : r.getLong("cpu_id");
        } else {
            this.cpu = r.packet() == null ? -1 : r.packet().cpuId();
        }
    }

    /** Whether this event's {@code pid} comes from the stream's event context (the payload has none). */
    boolean contextPid() {
        return info.contextPid;
    }

    private static boolean hasContextPid(EventClass ec) {
        io.tracestream.ctf.meta.StreamClass sc = ec.streamClass();
        io.tracestream.ctf.meta.StructClass common = sc == null ? null : sc.eventCommonContext();
        return common != null && common.indexOf("pid") >= 0 && (ec.payload() == null || ec.payload().indexOf("pid") < 0);
    }

    public Kind kind() {
        return kind;
    }

    /** Nanoseconds from the clock origin. */
    public long timestamp() {
        return ts;
    }

    /** The CPU from the packet context, or -1. */
    public long cpu() {
        return cpu;
    }

    public String name() {
        return record.name();
    }

    /**
     * The underlying record (valid during the callback only). Not available to passes that declare they read no event
     * fields ({@link AnalysisPass#readsEventFields()}): an engine may then hand them events decoded on another thread.
     */
    public EventRecord record() {
        if (record == null && batch != null) {
            throw new IllegalStateException("event '" + info.eventClass.name() + "' was decoded on another thread:"
                    + " its record is not available (AnalysisPass.readsEventFields)");
        }
        return record;
    }

    /** The model's integer field {@code f} ({@link #FIELD_NAMES}); fails as {@link #getLong(String)} when absent. */
    long getLong(int f) {
        if (record == null) {
            return batch.getLong(index, f);
        }
        if (f == CONTEXT_PID) {
            return record.getLong("pid");
        }
        int h = info.fieldHandle(f, record);
        return h >= 0 ? record.getLong(h) : record.getLong(FIELD_NAMES[f]);
    }

    /** The model's text field {@code f}. */
    String getString(int f) {
        if (record == null) {
            return batch.getString(index, f);
        }
        int h = info.fieldHandle(f, record);
        return h >= 0 ? record.getString(h) : record.getString(FIELD_NAMES[f]);
    }

    /** Whether the event has the model's field {@code f}. */
    boolean has(int f) {
        if (record == null) {
            return batch.has(index, f);
        }
        return info.fieldHandle(f, record) >= 0 || record.has(FIELD_NAMES[f]);
    }

    /** The class information of the current event (extraction into a {@link ModelEvents} batch). */
    Object classInfo() {
        return info;
    }

    /**
     * As {@link EventRecord#getLong(String)}, through a field handle resolved once per event class (see
     * {@link EventRecord#fieldHandle}): pass constant names.
     */
    public long getLong(String field) {
        if (record == null && batch != null) {
            return getLong(detachedField(field));
        }
        int h = info.handle(field, record);
        return h >= 0 ? record.getLong(h) : record.getLong(field);
    }

    /** As {@link EventRecord#getString(String)}, through a field handle like {@link #getLong}. */
    public String getString(String field) {
        if (record == null && batch != null) {
            return getString(detachedField(field));
        }
        int h = info.handle(field, record);
        return h >= 0 ? record.getString(h) : record.getString(field);
    }

    public boolean has(String field) {
        if (record == null && batch != null) {
            return has(detachedField(field));
        }
        return record.has(field);
    }

    /** A detached event's field number of {@code name} (only the model's fields were extracted). */
    private int detachedField(String name) {
        for (int f = 0; f < FIELD_NAMES.length; f++) {
            if (f != CONTEXT_PID && FIELD_NAMES[f].equals(name) && batch.extracted(index, f)) {
                return f;
            }
        }
        throw new IllegalStateException("event '" + info.eventClass.name() + "' was decoded on another thread:"
                + " field '" + name + "' was not extracted (AnalysisPass.readsEventFields)");
    }

    /** For a syscall entry: the syscall name without its prefix ({@code openat}); else null. */
    public String syscallName() {
        return info.syscallName;
    }

    /** The kind of an event name. */
    public static Kind kindOf(String name) {
        switch (name) {
            case "sched_switch": return Kind.SCHED_SWITCH;
            case "sched_migrate_task": return Kind.SCHED_MIGRATE_TASK;
            case "sched_wakeup": return Kind.SCHED_WAKEUP;
            case "sched_wakeup_new": return Kind.SCHED_WAKEUP_NEW;
            case "sched_waking": return Kind.SCHED_WAKING;
            case "sched_process_fork": return Kind.SCHED_PROCESS_FORK;
            case "sched_process_exec": return Kind.SCHED_PROCESS_EXEC;
            case "sched_process_exit": return Kind.SCHED_PROCESS_EXIT;
            case "sched_process_free": return Kind.SCHED_PROCESS_FREE;
            case "sched_pi_setprio": return Kind.SCHED_PI_SETPRIO;
            case "lttng_statedump_process_state": return Kind.STATEDUMP_PROCESS_STATE;
            case "lttng_statedump_file_descriptor": return Kind.STATEDUMP_FILE_DESCRIPTOR;
            case "lttng_statedump_block_device": return Kind.STATEDUMP_BLOCK_DEVICE;
            case "irq_handler_entry": return Kind.IRQ_HANDLER_ENTRY;
            case "irq_handler_exit": return Kind.IRQ_HANDLER_EXIT;
            case "softirq_raise": return Kind.SOFTIRQ_RAISE;
            case "softirq_entry": return Kind.SOFTIRQ_ENTRY;
            case "softirq_exit": return Kind.SOFTIRQ_EXIT;
            default:
                break;
        }
        // lttng-analyses' rule (StateProvider.process_event): prefixes, in this order
        if (name.startsWith("sys_") || name.startsWith("syscall_entry_")) {
            return Kind.SYSCALL_ENTRY;
        }
        if (name.startsWith("exit_syscall") || name.startsWith("syscall_exit_")) {
            return Kind.SYSCALL_EXIT;
        }
        return Kind.OTHER;
    }

    /** {@code sys_open} and {@code syscall_entry_open} both give {@code open}. */
    public static String syscallNameOf(String name) {
        if (name.startsWith("sys_")) {
            return name.substring(4);
        }
        if (name.startsWith("syscall_entry_")) {
            return name.substring(14);
        }
        return name;
    }
}
