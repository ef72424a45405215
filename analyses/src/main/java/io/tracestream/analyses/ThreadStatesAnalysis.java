package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code threadstates}: the thread state model as tables. Per thread, the time spent running, runnable (woken or
 * preempted, waiting for a CPU), blocked (S), blocked on I/O (D), stopped and dead within the period; with the flag
 * {@code intervals} ({@code --log}), every state interval (thread, state, begin, end, duration, CPU).
 *
 * <p>States come from {@code sched_switch} ({@code prev_state} of the thread switched out, running for the one
 * switched in), wakeups (runnable), {@code sched_process_fork} (runnable) and {@code sched_process_exit} (dead). A
 * thread's time before its first such event is not counted (its state is unknown); an interval open at a period
 * boundary is cut there.
 */
public final class ThreadStatesAnalysis implements Analysis {
    /** Flag: also output every interval. */
    public static final String FLAG_INTERVALS = "intervals";

    static final ThreadState[] SHOWN = {ThreadState.RUNNING, ThreadState.RUNNABLE, ThreadState.BLOCKED,
        ThreadState.BLOCKED_IO, ThreadState.STOPPED, ThreadState.DEAD};

    static final TableClass SUMMARY = new TableClass("thread-states", "Time per thread state", summaryColumns());
    static final TableClass INTERVALS = TableClass.of("thread-state-intervals", "Thread state intervals",
            Column.of("process", "Thread", "process"),
            Column.of("state", "State", "string"),
            Column.of("begin", "Beginning", "timestamp"),
            Column.of("end", "End", "timestamp"),
            Column.of("duration", "Duration", "duration"),
            Column.of("cpu", "CPU", "cpu"));

    private static List<Column> summaryColumns() {
        List<Column> c = new ArrayList<>();
        c.add(Column.of("process", "Thread", "process"));
        for (ThreadState s : SHOWN) {
            c.add(Column.of(s.label().replace('-', '_'), "Time " + s.label(), "duration"));
        }
        return c;
    }

    @Override
    public String name() {
        return "threadstates";
    }

    @Override
    public String title() {
        return "Thread states";
    }

    @Override
    public String description() {
        return "Time per thread in each scheduling state, and the state intervals";
    }

    @Override
    public List<String> tags() {
        return List.of("sched", "stats", "log");
    }

    @Override
    public List<TableClass> tableClasses() {
        return List.of(SUMMARY, INTERVALS);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.TIME_ORDERED;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new Pass(config);
    }

    /** Kind of the partials' keys ({@link PartialKey}): one per thread. */
    private static final int KIND_TID = 0;

    /** One thread: identity, time per state, and (optionally) its intervals {state ordinal, begin, end, cpu}. */
    static final class ThreadTimes implements Mergeable<ThreadTimes> {
        private static final long serialVersionUID = 1L;
        String comm;
        long pid;
        long lastSeen;
        final long[] time = new long[ThreadState.values().length];
        final List<long[]> intervals = new ArrayList<>();

        @Override
        public ThreadTimes merge(ThreadTimes o) {
            if (o.lastSeen >= lastSeen) {
                comm = o.comm;
                pid = o.pid;
                lastSeen = o.lastSeen;
            }
            for (int i = 0; i < time.length; i++) {
                time[i] += o.time[i];
            }
            intervals.addAll(o.intervals);
            intervals.sort((a, b) -> Long.compare(a[1], b[1]));
            return this;
        }
    }

    static final class Pass extends AnalysisPass {
        private static final long serialVersionUID = 1L;
        long periodBegin;
        Map<Long, ThreadTimes> threads = new TreeMap<>();

        Pass(AnalysisConfig config) {
            super(config);
        }

        @Override
        public void beginPeriod(long ts) {
            periodBegin = ts;
            threads = new TreeMap<>();
        }

        private void add(ThreadInfo t, ThreadState s, long since, long until, long cpu) {
            if (s == ThreadState.UNKNOWN || since == ThreadInfo.NONE || !acceptThread(t)) {
                return;
            }
            long b = Math.max(since, periodBegin);
            if (until <= b) {
                return; // nothing of it in this period (or empty)
            }
            ThreadTimes tt = threads.computeIfAbsent(t.tid(), k -> new ThreadTimes());
            tt.comm = t.comm();
            tt.pid = t.pid();
            tt.lastSeen = until;
            tt.time[s.ordinal()] += until - b;
            if (config.flags().contains(FLAG_INTERVALS)) {
                tt.intervals.add(new long[] {s.ordinal(), b, until, cpu});
            }
        }

        @Override
        public boolean readsEventFields() {
            return false;
        }

        private transient KernelState state;

        @Override
        public void event(KernelEvent e, KernelState st) {
            this.state = st;
        }

        @Override
        public void threadState(long tid, ThreadState from, long since, ThreadState to, long ts, long cpu) {
            ThreadInfo t = state == null ? null : state.thread(tid);
            if (t != null) {
                add(t, from, since, ts, cpu);
            }
        }

        @Override
        public void endPeriod(long ts, KernelState st, Emitter out) {
            for (ThreadInfo t : st.threads()) {
                add(t, t.state(), t.stateSince, ts, t.stateCpu);
            }
            for (Map.Entry<Long, ThreadTimes> e : threads.entrySet()) {
                out.emit(new PartialKey(KIND_TID, e.getKey()), e.getValue());
            }
        }
    }

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        TreeMap<Long, ThreadTimes> byTid = new TreeMap<>();
        for (Map.Entry<Object, Object> e : partials.entrySet()) {
            if (e.getKey() instanceof PartialKey k && k.kind == KIND_TID) {
                byTid.put(k.id, (ThreadTimes) e.getValue());
            }
        }
        ResultTable summary = new ResultTable(SUMMARY, begin, end);
        ResultTable intervals = new ResultTable(INTERVALS, begin, end);
        List<Object[]> all = new ArrayList<>();
        for (Map.Entry<Long, ThreadTimes> e : byTid.entrySet()) {
            ThreadTimes t = e.getValue();
            Value[] row = new Value[1 + SHOWN.length];
            Value.Process p = new Value.Process(t.comm, t.pid, e.getKey());
            row[0] = p;
            for (int i = 0; i < SHOWN.length; i++) {
                row[i + 1] = Value.duration(t.time[SHOWN[i].ordinal()]);
            }
            summary.add(row);
            for (long[] iv : t.intervals) {
                all.add(new Object[] {p, iv});
            }
        }
        all.sort((a, b) -> Long.compare(((long[]) a[1])[1], ((long[]) b[1])[1]));
        for (Object[] o : all) {
            long[] iv = (long[]) o[1];
            intervals.add((Value) o[0], Value.string(ThreadState.values()[(int) iv[0]].label()),
                    Value.timestamp(iv[1]), Value.timestamp(iv[2]), Value.duration(iv[2] - iv[1]),
                    new Value.Cpu(iv[3]));
        }
        return config.flags().contains(FLAG_INTERVALS) ? List.of(summary, intervals) : List.of(summary);
    }

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        out.println(style.timerangeLine(begin, end));
        for (ResultTable t : tables) {
            out.println();
            out.println(t.tableClass().title() + (t.tableClass() == SUMMARY ? " (ms)" : ""));
            if (t.tableClass() == SUMMARY) {
                StringBuilder h = new StringBuilder(Text.left("Thread", 28));
                for (ThreadState s : SHOWN) {
                    h.append(Text.right(s.label(), 13));
                }
                out.println(h);
                for (List<Value> r : t.rows()) {
                    Value.Process p = (Value.Process) r.get(0);
                    StringBuilder sb = new StringBuilder(Text.left(p.name() + " (" + p.tid() + ")", 28));
                    for (int i = 1; i < r.size(); i++) {
                        sb.append(Text.right(Text.fixed(((Value.Num) r.get(i)).longValue() / 1e6, 3), 13));
                    }
                    out.println(sb);
                }
            } else {
                out.println(Text.left("Thread", 28) + Text.left("State", 12) + Text.left("Begin", 20)
                        + Text.left("End", 20) + Text.right("Duration (us)", 15) + Text.right("CPU", 5));
                for (List<Value> r : t.rows()) {
                    Value.Process p = (Value.Process) r.get(0);
                    out.println(Text.left(p.name() + " (" + p.tid() + ")", 28) + Text.left(r.get(1).text(), 12)
                            + Text.left(style.timestamp(((Value.Num) r.get(2)).longValue()), 20)
                            + Text.left(style.timestamp(((Value.Num) r.get(3)).longValue()), 20)
                            + Text.right(Text.fixed(((Value.Num) r.get(4)).longValue() / 1e3, 3), 15)
                            + Text.right(r.get(5).text(), 5));
                }
            }
        }
    }
}
