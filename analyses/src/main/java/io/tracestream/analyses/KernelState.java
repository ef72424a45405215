package io.tracestream.analyses;

import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The thread and CPU state model of a Linux kernel trace: the current thread of each CPU, each thread's ids, name,
 * priority, wakeup, syscall and scheduling state, and each CPU's IRQ/softirq in progress. It follows lttng-analyses
 * 0.6.1's {@code linuxautomaton} rules exactly (so that the analyses give its numbers), and adds per-thread state
 * intervals.
 *
 * <p>Sources: {@code lttng_statedump_process_state}, {@code sched_process_fork/exec/exit/free}, {@code sched_switch}
 * (which names both threads), wakeups, migrations, IRQ and syscall events. A trace needs no {@code tid} context: the
 * current thread of a CPU comes from its last {@code sched_switch}. Before the first {@code sched_switch} of a CPU its
 * current thread is unknown ({@link #currentTid} returns {@link ThreadInfo#NONE}), as in lttng-analyses.
 *
 * <p>The model is {@link Serializable}: an engine can snapshot it at a split boundary and resume another task from
 * the snapshot ({@link #listeners} are not part of the state).
 */
public final class KernelState implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Per-CPU state (lttng-analyses' {@code sv.CPU}). */
    static final class Cpu implements Serializable {
        private static final long serialVersionUID = 1L;
        final long id;
        long currentTid = ThreadInfo.NONE;
        /** Hard IRQ in progress: number and entry time, or NONE. */
        long hardIrq = ThreadInfo.NONE;
        long hardIrqBegin;
        /** Softirqs raised/in progress per vector, oldest first: {raise, begin}. */
        final LongMap<ArrayDeque<long[]>> softirqs = new LongMap<>();

        Cpu(long id) {
            this.id = id;
        }
    }

    /** By CPU number, in order of first appearance. */
    private final LongMap<Cpu> cpus = new LongMap<>();
    private final LongMap<ThreadInfo> threads = new LongMap<>(1024);
    /** True when wakeup priorities must be corrected by -100 (lttng-modules before 2.7.1). */
    private final boolean wakeupPrioOffset;
    private transient List<KernelListener> listeners = new ArrayList<>();
    private transient KernelListener[] active = new KernelListener[0];

    /**
     * @param wakeupPrioOffset true for traces of lttng-modules older than 2.7.1, whose sched_wakeup priorities are
     *                         100 too high (see {@link #needsWakeupPrioOffset})
     */
    public KernelState(boolean wakeupPrioOffset) {
        this.wakeupPrioOffset = wakeupPrioOffset;
    }

    /** True for a tracer version older than 2.7.1 (lttng-modules fixed the sched_wakeup priority offset there). */
    public static boolean needsWakeupPrioOffset(int major, int minor, int patch) {
        if (major != 2) {
            return major < 2;
        }
        return minor < 7 || (minor == 7 && patch < 1);
    }

    private Object readResolve() {
        listeners = new ArrayList<>();
        active = new KernelListener[0];
        return this;
    }

    /** Adds a listener notified from now on. */
    public void addListener(KernelListener l) {
        listeners.add(l);
        active = listeners.toArray(new KernelListener[0]);
    }

    /** Removes a listener. */
    public void removeListener(KernelListener l) {
        listeners.remove(l);
        active = listeners.toArray(new KernelListener[0]);
    }

    /** How many CPUs the model has seen (in any event: scheduling, wakeup targets, IRQs). */
    public int cpuCount() {
        return cpus.size();
    }

    /** The thread with that tid, or null when never seen. */
    public ThreadInfo thread(long tid) {
        return threads.get(tid);
    }

    /** All threads seen. */
    public Collection<ThreadInfo> threads() {
        return threads.values();
    }

    /** The thread running on {@code cpu} (never the idle thread), or {@link ThreadInfo#NONE} when unknown or idle. */
    public long currentTid(long cpu) {
        Cpu c = cpus.get(cpu);
        return c == null ? ThreadInfo.NONE : c.currentTid;
    }

    /**
     * The thread that emitted {@code e}: the current thread of its CPU from scheduling (kernel traces need no tid
     * context); {@link ThreadInfo#NONE} before the CPU's first {@code sched_switch} or when the CPU is idle.
     */
    public long threadOf(KernelEvent e) {
        return currentTid(e.cpu());
    }

    private Cpu cpu(long id) {
        Cpu c = cpus.get(id);
        if (c == null) {
            c = new Cpu(id);
            cpus.put(id, c);
        }
        return c;
    }

    private ThreadInfo createThread(long tid) {
        ThreadInfo t = threads.get(tid);
        if (t == null) {
            t = new ThreadInfo(tid);
            if (tid == 0) {
                t.pid = 0;
            }
            threads.put(tid, t);
        }
        return t;
    }

    /** Updates the model with one event and notifies the listeners. */
    public void process(KernelEvent e) {
        switch (e.kind()) {
            case SCHED_SWITCH -> schedSwitch(e);
            case SCHED_MIGRATE_TASK -> migrate(e);
            case SCHED_WAKEUP, SCHED_WAKEUP_NEW, SCHED_WAKING -> wakeup(e);
            case SCHED_PROCESS_FORK -> fork(e);
            case SCHED_PROCESS_EXEC -> exec(e);
            case SCHED_PROCESS_EXIT -> exit(e);
            case SCHED_PI_SETPRIO -> checkPrio(e.ts, e.getLong(KernelEvent.TID), (int) e.getLong(KernelEvent.NEWPRIO));
            case STATEDUMP_PROCESS_STATE -> statedump(e);
            case IRQ_HANDLER_ENTRY -> irqEntry(e);
            case IRQ_HANDLER_EXIT -> irqExit(e);
            case SOFTIRQ_RAISE -> softirqRaise(e);
            case SOFTIRQ_ENTRY -> softirqEntry(e);
            case SOFTIRQ_EXIT -> softirqExit(e);
            case SYSCALL_ENTRY -> syscallEntry(e);
            case SYSCALL_EXIT -> syscallExit(e);
            default -> {
            }
        }
    }

    private void setState(ThreadInfo t, ThreadState s, long ts, long cpu) {
        if (t.state == s) {
            return;
        }
        ThreadState from = t.state;
        long since = t.stateSince;
        t.state = s;
        t.stateSince = ts;
        t.stateCpu = cpu;
        for (KernelListener l : active) {
            l.threadState(t.tid, from, since, s, ts, cpu);
        }
    }

    private void checkPrio(long ts, long tid, int prio) {
        if (tid == 0) {
            return;
        }
        ThreadInfo t = threads.get(tid);
        if (t == null) {
            return; // lttng-analyses would fail here; it never happens for the callers that create the thread first
        }
        if (t.prio != prio) {
            t.prio = prio;
            for (KernelListener l : active) {
                l.prioChanged(ts, tid, prio);
            }
        }
    }

    private void schedSwitch(KernelEvent e) {
        long ts = e.ts;
        long cpuId = e.cpu;
        long nextTid = e.getLong(KernelEvent.NEXT_TID);
        long prevTid = e.getLong(KernelEvent.PREV_TID);
        String nextComm = e.getString(KernelEvent.NEXT_COMM);
        String prevComm = e.getString(KernelEvent.PREV_COMM);
        int nextPrio = (int) e.getLong(KernelEvent.NEXT_PRIO);
        int prevPrio = (int) e.getLong(KernelEvent.PREV_PRIO);

        Cpu cpu = cpu(cpuId);
        cpu.currentTid = nextTid == 0 ? ThreadInfo.NONE : nextTid;
        ThreadInfo prev = createThread(prevTid);
        ThreadInfo next = createThread(nextTid);
        next.comm = nextComm;
        next.prevTid = prevTid;
        checkPrio(ts, prevTid, prevPrio);
        checkPrio(ts, nextTid, nextPrio);

        if (prevTid != 0) {
            long prevState = e.has(KernelEvent.PREV_STATE) ? e.getLong(KernelEvent.PREV_STATE) : 0;
            setState(prev, ThreadState.ofPrevState(prevState), ts, cpuId);
        }
        if (nextTid != 0) {
            setState(next, ThreadState.RUNNING, ts, cpuId);
        }

        ThreadInfo waker = next.lastWaker == ThreadInfo.NONE ? null : threads.get(next.lastWaker);
        for (KernelListener l : active) {
            l.schedSwitch(ts, cpuId, prevTid, prevComm, nextTid, nextComm, next, waker);
        }
        next.lastWakeup = ThreadInfo.NONE;
        next.lastWaker = ThreadInfo.NONE;
    }

    private void migrate(KernelEvent e) {
        long tid = e.getLong(KernelEvent.TID);
        ThreadInfo t = threads.get(tid);
        if (t == null) {
            t = new ThreadInfo(tid);
            t.comm = e.getString(KernelEvent.COMM);
            threads.put(tid, t);
        }
        long destCpu = e.has(KernelEvent.DEST_CPU) ? e.getLong(KernelEvent.DEST_CPU) : e.cpu;
        for (KernelListener l : active) {
            l.migrate(e.ts, e.cpu, t);
        }
        checkPrio(e.ts, tid, (int) e.getLong(KernelEvent.PRIO));
        if (t.state == ThreadState.RUNNABLE) {
            t.stateCpu = destCpu;
        }
    }

    private void wakeup(KernelEvent e) {
        long targetCpu = e.getLong(KernelEvent.TARGET_CPU);
        long currentCpu = e.cpu;
        int prio = (int) e.getLong(KernelEvent.PRIO);
        long tid = e.getLong(KernelEvent.TID);
        if (wakeupPrioOffset) {
            prio -= 100;
        }
        cpu(targetCpu);
        Cpu current = cpu(currentCpu);
        for (int i = 0, n = cpus.size(); i < n; i++) {
            if (cpus.valueAt(i).currentTid == tid) {
                return; // already running: ignore the wakeup
            }
        }
        ThreadInfo t = createThread(tid);
        checkPrio(e.ts, tid, prio);
        if (t.lastWakeup == ThreadInfo.NONE) {
            t.lastWakeup = e.ts;
            if (current.currentTid != ThreadInfo.NONE) {
                t.lastWaker = current.currentTid;
            }
        }
        if (t.state != ThreadState.RUNNING && tid != 0) {
            setState(t, ThreadState.RUNNABLE, e.ts, targetCpu);
        }
    }

    private void fork(KernelEvent e) {
        long childTid = e.getLong(KernelEvent.CHILD_TID);
        long childPid = e.getLong(KernelEvent.CHILD_PID);
        String childComm = e.getString(KernelEvent.CHILD_COMM);
        long parentPid = e.getLong(KernelEvent.PARENT_PID);
        String parentComm = e.getString(KernelEvent.PARENT_COMM);
        // lttng-analyses keys the parent by parent_pid (it reads parent_tid from parent_pid)
        ThreadInfo parent = threads.get(parentPid);
        if (parent == null) {
            parent = new ThreadInfo(parentPid);
            threads.put(parentPid, parent);
        }
        parent.pid = parentPid;
        parent.comm = parentComm;
        ThreadInfo child = new ThreadInfo(childTid);
        child.pid = childPid;
        child.comm = childComm;
        threads.put(childTid, child);
        setState(child, ThreadState.RUNNABLE, e.ts, e.cpu);
    }

    private void exec(KernelEvent e) {
        long tid = e.getLong(KernelEvent.TID);
        ThreadInfo t = createThreadPlain(tid);
        if (e.has(KernelEvent.PROCNAME)) {
            t.comm = e.getString(KernelEvent.PROCNAME);
        }
    }

    private ThreadInfo createThreadPlain(long tid) {
        ThreadInfo t = threads.get(tid);
        if (t == null) {
            t = new ThreadInfo(tid);
            threads.put(tid, t);
        }
        return t;
    }

    private void exit(KernelEvent e) {
        ThreadInfo t = threads.get(e.getLong(KernelEvent.TID));
        if (t != null) {
            setState(t, ThreadState.DEAD, e.ts, e.cpu);
        }
    }

    private void statedump(KernelEvent e) {
        long tid = e.getLong(KernelEvent.TID);
        long pid = e.getLong(KernelEvent.PID);
        String name = e.getString(KernelEvent.NAME);
        ThreadInfo t = createThreadPlain(tid);
        t.pid = pid;
        t.comm = name;
        if (t.prio == ThreadInfo.NO_PRIO && e.has(KernelEvent.PRIO)) {
            t.prio = (int) e.getLong(KernelEvent.PRIO);
        }
        if (pid != tid && !threads.containsKey(pid)) {
            ThreadInfo p = new ThreadInfo(pid);
            p.pid = pid;
            p.comm = name;
            threads.put(pid, p);
        }
    }

    private void irqEntry(KernelEvent e) {
        Cpu c = cpu(e.cpu);
        long irq = e.getLong(KernelEvent.IRQ);
        c.hardIrq = irq;
        c.hardIrqBegin = e.ts;
        String name = e.getString(KernelEvent.NAME);
        for (KernelListener l : active) {
            l.irqEntry(e.ts, e.cpu, irq, name);
        }
    }

    private void irqExit(KernelEvent e) {
        Cpu c = cpu(e.cpu);
        long irq = e.getLong(KernelEvent.IRQ);
        if (c.hardIrq == ThreadInfo.NONE || c.hardIrq != irq) {
            c.hardIrq = ThreadInfo.NONE;
            return;
        }
        long ret = e.getLong(KernelEvent.RET);
        for (KernelListener l : active) {
            l.irqExit(e.cpu, irq, c.hardIrqBegin, e.ts, ret);
        }
        c.hardIrq = ThreadInfo.NONE;
    }

    private void softirqRaise(KernelEvent e) {
        Cpu c = cpu(e.cpu);
        long vec = e.getLong(KernelEvent.VEC);
        ArrayDeque<long[]> q = softirqQueue(c, vec);
        // level-triggered: a raise while one is pending (not yet entered) is the same softirq
        if (!q.isEmpty() && q.peekFirst()[1] == ThreadInfo.NONE) {
            return;
        }
        q.addLast(new long[] {e.ts, ThreadInfo.NONE});
    }

    private static ArrayDeque<long[]> softirqQueue(Cpu c, long vec) {
        ArrayDeque<long[]> q = c.softirqs.get(vec);
        if (q == null) {
            q = new ArrayDeque<>();
            c.softirqs.put(vec, q);
        }
        return q;
    }

    private void softirqEntry(KernelEvent e) {
        Cpu c = cpu(e.cpu);
        long vec = e.getLong(KernelEvent.VEC);
        ArrayDeque<long[]> q = softirqQueue(c, vec);
        if (!q.isEmpty()) {
            q.peekFirst()[1] = e.ts;
        } else {
            q.addLast(new long[] {ThreadInfo.NONE, e.ts});
        }
    }

    private void softirqExit(KernelEvent e) {
        Cpu c = cpu(e.cpu);
        ArrayDeque<long[]> q = c.softirqs.get(e.getLong(KernelEvent.VEC));
        if (q == null || q.isEmpty()) {
            return;
        }
        long[] s = q.pollFirst();
        for (KernelListener l : active) {
            l.softirqExit(e.cpu, e.getLong(KernelEvent.VEC), s[0], s[1], e.ts);
        }
    }

    private void syscallEntry(KernelEvent e) {
        Cpu c = cpus.get(e.cpu);
        if (c == null || c.currentTid == ThreadInfo.NONE) {
            return;
        }
        ThreadInfo t = threads.get(c.currentTid);
        t.syscall = e.syscallName();
        t.syscallBegin = e.ts;
        fixContextPid(e, t);
        for (KernelListener l : active) {
            l.syscallEntry(e.ts, e.cpu, t, e);
        }
    }

    /**
     * lttng-analyses' I/O state provider, which runs for every analysis, learns a thread's unknown pid from a
     * {@code pid} stream event context (absent from the payload) at each I/O system call entry, and then replaces the
     * parent's entry by a fresh one (tid = pid, the child's name and priority). Its other analyses see that pid and
     * that replacement too, so the model does the same.
     */
    private void fixContextPid(KernelEvent e, ThreadInfo t) {
        if (t.pid != ThreadInfo.NONE || !e.contextPid()
                || !io.tracestream.analyses.kstate.KernelState.isIoSyscall(e.syscallName())) {
            return;
        }
        long pid = e.getLong(KernelEvent.CONTEXT_PID);
        t.pid = pid;
        if (pid != t.tid) {
            ThreadInfo parent = new ThreadInfo(pid);
            parent.pid = pid;
            parent.comm = t.comm;
            parent.prio = t.prio;
            threads.put(pid, parent);
        }
    }

    private void syscallExit(KernelEvent e) {
        Cpu c = cpus.get(e.cpu);
        if (c == null || c.currentTid == ThreadInfo.NONE) {
            return;
        }
        ThreadInfo t = threads.get(c.currentTid);
        if (t.syscall == null) {
            return;
        }
        for (KernelListener l : active) {
            l.syscallExit(e.ts, e.cpu, t, e);
        }
        t.syscall = null;
        t.syscallBegin = ThreadInfo.NONE;
    }
}
