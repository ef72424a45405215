package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code schedstats} and {@code schedtop}: scheduling latency, from a thread's first wakeup ({@code sched_wakeup},
 * {@code sched_waking} or {@code sched_wakeup_new}, ignored while it runs) to its switch-in, as lttng-analyses 0.6.1
 * computes it ({@code core/sched.py}, {@code cli/sched.py}).
 * <ul>
 *   <li>schedstats: per wakee thread (default), per priority ({@code --per-prio}) and in total ({@code --total}):
 *       count, min, avg, max, stdev, and the thread's chronological priorities; per-thread rows sorted by command
 *       name (case-insensitive);</li>
 *   <li>schedtop: the N longest latencies with wakeup and switch times, priority, CPU, wakee and waker (names and pids
 *       as known at the end of the period).</li>
 * </ul>
 */
public final class SchedAnalysis implements Analysis {

    /** Which command. */
    public enum Mode { STATS, TOP }

    static final TableClass TOP = TableClass.of("top", "Scheduling top",
            Column.of("wakeup_ts", "Wakeup timestamp", "timestamp"),
            Column.of("switch_ts", "Switch timestamp", "timestamp"),
            Column.of("latency", "Scheduling latency", "duration"),
            Column.of("prio", "Priority", "number"),
            Column.of("target_cpu", "Target CPU", "cpu"),
            Column.of("wakee_proc", "Wakee process", "process"),
            Column.of("waker_proc", "Waker process", "process"));
    static final TableClass TOTAL_STATS = TableClass.of("total_stats", "Scheduling latency stats (total)",
            Column.of("count", "Scheduling count", "number", "schedulings"),
            Column.of("min_latency", "Minimum latency", "duration"),
            Column.of("avg_latency", "Average latency", "duration"),
            Column.of("max_latency", "Maximum latency", "duration"),
            Column.of("stdev_latency", "Scheduling latency standard deviation", "duration"));
    static final TableClass PER_TID_STATS = TableClass.of("per_tid_stats", "Scheduling latency stats (per-TID)",
            Column.of("process", "Wakee process", "process"),
            Column.of("count", "Scheduling count", "number", "schedulings"),
            Column.of("min_latency", "Minimum latency", "duration"),
            Column.of("avg_latency", "Average latency", "duration"),
            Column.of("max_latency", "Maximum latency", "duration"),
            Column.of("stdev_latency", "Scheduling latency standard deviation", "duration"),
            Column.of("prio_list", "Chronological priorities", "string"));
    static final TableClass PER_PRIO_STATS = TableClass.of("per_prio_stats", "Scheduling latency stats (per-prio)",
            Column.of("prio", "Priority", "number"),
            Column.of("count", "Scheduling count", "number", "schedulings"),
            Column.of("min_latency", "Minimum latency", "duration"),
            Column.of("avg_latency", "Average latency", "duration"),
            Column.of("max_latency", "Maximum latency", "duration"),
            Column.of("stdev_latency", "Scheduling latency standard deviation", "duration"));

    /** {@code AnalysisConfig.flags()} values for schedstats groupings (default: per-TID only). */
    public static final String FLAG_TOTAL = "total";
    public static final String FLAG_PER_TID = "per-tid";
    public static final String FLAG_PER_PRIO = "per-prio";

    private final Mode mode;

    public SchedAnalysis(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode == Mode.STATS ? "schedstats" : "schedtop";
    }

    @Override
    public String title() {
        return "Scheduling latencies analysis";
    }

    @Override
    public String description() {
        return "Scheduling latencies frequency distribution, statistics, top, and log";
    }

    @Override
    public List<String> tags() {
        return List.of("sched", "stats", "freq", "top", "log");
    }

    @Override
    public List<TableClass> tableClasses() {
        return mode == Mode.TOP ? List.of(TOP) : List.of(TOTAL_STATS, PER_TID_STATS, PER_PRIO_STATS);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.TIME_ORDERED;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new Pass(config, mode);
    }

    /** Kinds of the partials' keys ({@link PartialKey}): per wakee thread, per priority, the total, the top list. */
    private static final int KIND_TID = 0;
    private static final int KIND_PRIO = 1;
    private static final int KIND_TOTAL = 2;
    private static final int KIND_TOP = 3;
    private static final PartialKey TOTAL_KEY = new PartialKey(KIND_TOTAL);
    private static final PartialKey TOP_KEY = new PartialKey(KIND_TOP);

    /** One wakee's latencies and priorities (name as when first seen in the period). */
    static final class TidStats implements Mergeable<TidStats> {
        private static final long serialVersionUID = 1L;
        long order;
        String comm;
        final DurationStats stats = new DurationStats();
        final List<long[]> prios = new ArrayList<>();

        @Override
        public TidStats merge(TidStats o) {
            if (o.order < order) {
                order = o.order;
                comm = o.comm;
            }
            stats.merge(o.stats);
            prios.addAll(o.prios);
            prios.sort(Comparator.comparingLong(p -> p[0]));
            return this;
        }
    }

    /** One wakeup-to-switch latency. */
    record Sched(long seq, long wakeup, long switchTs, int prio, long cpu, String wakeeComm, long wakeePid,
            long wakeeTid, String wakerComm, long wakerPid, long wakerTid) implements java.io.Serializable {
        long latency() {
            return switchTs - wakeup;
        }
    }

    /** The longest latencies (ties: chronological). */
    static final class Top implements Mergeable<Top> {
        private static final long serialVersionUID = 1L;
        static final Comparator<Sched> ORDER = Comparator.comparingLong(Sched::latency).reversed()
                .thenComparingLong(Sched::switchTs).thenComparingLong(Sched::seq);
        final int limit;
        final List<Sched> events = new ArrayList<>();

        Top(int limit) {
            this.limit = limit;
        }

        void addAll(List<Sched> more) {
            events.addAll(more);
            events.sort(ORDER);
            if (limit > 0 && events.size() > limit) {
                events.subList(limit, events.size()).clear();
            }
        }

        @Override
        public Top merge(Top o) {
            addAll(o.events);
            return this;
        }
    }

    static final class Pass extends AnalysisPass {
        private static final long serialVersionUID = 1L;
        private final Mode mode;
        long order;
        long seq;
        /** schedstats: per wakee (and waker) thread, in order of first appearance; per priority; in total. */
        LongMap<TidStats> tids = new LongMap<>(256);
        LongMap<DurationStats> prios = new LongMap<>();
        DurationStats total = new DurationStats();
        /** The last priority's statistics (consecutive latencies mostly share a priority). */
        private transient DurationStats lastPrioStats;
        private long lastPrio;
        /** schedtop: the candidates; the wakee/waker objects are resolved at the end of the period. */
        TopCandidates top;

        Pass(AnalysisConfig config, Mode mode) {
            super(config);
            this.mode = mode;
            this.top = mode == Mode.TOP ? new TopCandidates(config.top()) : null;
        }

        @Override
        public boolean readsEventFields() {
            return false;
        }

        @Override
        public void beginPeriod(long ts) {
            tids = new LongMap<>(256);
            prios = new LongMap<>();
            lastPrioStats = null;
            total = new DurationStats();
            top = mode == Mode.TOP ? new TopCandidates(config.top()) : null;
        }

        private TidStats tid(ThreadInfo t, long ts) {
            TidStats s = tids.get(t.tid());
            if (s == null) {
                s = new TidStats();
                s.order = order++;
                s.comm = t.comm();
                s.prios.add(new long[] {ts, t.prio()});
                tids.put(t.tid(), s);
            }
            return s;
        }

        private DurationStats prio(int prio) {
            DurationStats s = lastPrioStats;
            if (s != null && lastPrio == prio) {
                return s;
            }
            s = prios.get(prio);
            if (s == null) {
                s = new DurationStats();
                prios.put(prio, s);
            }
            lastPrioStats = s;
            lastPrio = prio;
            return s;
        }

        @Override
        public void schedSwitch(long ts, long cpu, long prevTid, String prevComm, long nextTid, String nextComm,
                ThreadInfo wakee, ThreadInfo waker) {
            long wakeup = wakee.lastWakeup();
            if (wakeup == ThreadInfo.NONE || !acceptThread(wakee) || !acceptCpu(cpu)) {
                return;
            }
            long latency = ts - wakeup;
            if (!config.acceptDuration(latency)) {
                return;
            }
            if (mode == Mode.STATS) {
                if (waker != null) {
                    tid(waker, ts);
                }
                tid(wakee, ts).stats.add(latency);
                total.add(latency);
                prio(wakee.prio()).add(latency);
            } else {
                top.add(seq++, wakeup, ts, wakee.prio(), cpu, wakee, waker);
            }
            if (histograms()) {
                sample("Scheduling latency", "all threads", latency);
                sample("Scheduling latency", "prio " + wakee.prio(), latency);
            }
        }

        @Override
        public void prioChanged(long ts, long tid, int prio) {
            if (mode != Mode.STATS) {
                return;
            }
            TidStats s = tids.get(tid);
            if (s != null) {
                s.prios.add(new long[] {ts, prio});
            }
        }

        @Override
        public void endPeriod(long ts, KernelState state, Emitter out) {
            if (mode == Mode.STATS) {
                for (int i = 0; i < tids.size(); i++) {
                    out.emit(new PartialKey(KIND_TID, tids.keyAt(i)), tids.valueAt(i));
                }
                TreeMap<Long, DurationStats> byPrio = new TreeMap<>();
                for (int i = 0; i < prios.size(); i++) {
                    byPrio.put(prios.keyAt(i), prios.valueAt(i));
                }
                for (Map.Entry<Long, DurationStats> e : byPrio.entrySet()) {
                    out.emit(new PartialKey(KIND_PRIO, e.getKey()), e.getValue());
                }
                out.emit(TOTAL_KEY, total);
            } else {
                Top t = new Top(config.top());
                t.addAll(top.events());
                out.emit(TOP_KEY, t);
            }
        }
    }

    /**
     * schedtop's candidates in a period, in primitive arrays: with a limit N, the N best so far in a heap whose root
     * is the worst of them (a latency below the root's is rejected with one comparison); without one (0), all.
     */
    static final class TopCandidates implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final int limit;
        private int size;
        private long[] seq;
        private long[] wakeup;
        private long[] switchTs;
        private long[] cpu;
        private int[] prio;
        private ThreadInfo[] wakee;
        private ThreadInfo[] waker;
        /** With a limit: slot numbers, a binary heap with the worst candidate (per {@link Top#ORDER}) first. */
        private int[] heap;

        TopCandidates(int limit) {
            this.limit = Math.max(0, limit);
            int cap = limit > 0 ? limit : 64;
            seq = new long[cap];
            wakeup = new long[cap];
            switchTs = new long[cap];
            cpu = new long[cap];
            prio = new int[cap];
            wakee = new ThreadInfo[cap];
            waker = new ThreadInfo[cap];
            heap = limit > 0 ? new int[cap] : null;
        }

        /** True when slot a comes after slot b in {@link Top#ORDER} (longer latency first, then earlier switch). */
        private boolean worse(int a, int b) {
            long la = switchTs[a] - wakeup[a];
            long lb = switchTs[b] - wakeup[b];
            if (la != lb) {
                return la < lb;
            }
            if (switchTs[a] != switchTs[b]) {
                return switchTs[a] > switchTs[b];
            }
            return seq[a] > seq[b];
        }

        private void set(int slot, long sq, long wu, long sw, int pr, long c, ThreadInfo we, ThreadInfo wr) {
            seq[slot] = sq;
            wakeup[slot] = wu;
            switchTs[slot] = sw;
            prio[slot] = pr;
            cpu[slot] = c;
            wakee[slot] = we;
            waker[slot] = wr;
        }

        void add(long sq, long wu, long sw, int pr, long c, ThreadInfo we, ThreadInfo wr) {
            if (limit == 0) {
                if (size == seq.length) {
                    int n = size * 2;
                    seq = java.util.Arrays.copyOf(seq, n);
                    wakeup = java.util.Arrays.copyOf(wakeup, n);
                    switchTs = java.util.Arrays.copyOf(switchTs, n);
                    cpu = java.util.Arrays.copyOf(cpu, n);
                    prio = java.util.Arrays.copyOf(prio, n);
                    wakee = java.util.Arrays.copyOf(wakee, n);
                    waker = java.util.Arrays.copyOf(waker, n);
                }
                set(size++, sq, wu, sw, pr, c, we, wr);
                return;
            }
            if (size < limit) {
                int slot = size++;
                set(slot, sq, wu, sw, pr, c, we, wr);
                heap[slot] = slot;
                int i = slot;
                while (i > 0) { // sift up: the worst goes to the root
                    int parent = (i - 1) >>> 1;
                    if (!worse(heap[i], heap[parent])) {
                        break;
                    }
                    int t = heap[i];
                    heap[i] = heap[parent];
                    heap[parent] = t;
                    i = parent;
                }
                return;
            }
            int root = heap[0];
            long latency = sw - wu;
            long rootLatency = switchTs[root] - wakeup[root];
            if (latency < rootLatency
                    || latency == rootLatency && (sw > switchTs[root] || sw == switchTs[root] && sq > seq[root])) {
                return; // not better than the worst kept
            }
            set(root, sq, wu, sw, pr, c, we, wr);
            int i = 0;
            while (true) { // sift down
                int l = 2 * i + 1;
                if (l >= size) {
                    break;
                }
                int w = l;
                if (l + 1 < size && worse(heap[l + 1], heap[l])) {
                    w = l + 1;
                }
                if (!worse(heap[w], heap[i])) {
                    break;
                }
                int t = heap[i];
                heap[i] = heap[w];
                heap[w] = t;
                i = w;
            }
        }

        /** The candidates, wakee and waker resolved now (names and pids as known at the end of the period). */
        List<Sched> events() {
            List<Sched> events = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                ThreadInfo we = wakee[i];
                ThreadInfo wr = waker[i];
                events.add(new Sched(seq[i], wakeup[i], switchTs[i], prio[i], cpu[i], we.comm(), we.pid(), we.tid(),
                        wr == null ? null : wr.comm(), wr == null ? ThreadInfo.NONE : wr.pid(),
                        wr == null ? ThreadInfo.NONE : wr.tid()));
            }
            return events;
        }
    }

    private static Value.Process process(String comm, long pid, long tid) {
        return new Value.Process(comm, pid, tid);
    }

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        List<ResultTable> out = new ArrayList<>();
        if (mode == Mode.TOP) {
            ResultTable t = new ResultTable(TOP, begin, end);
            Top top = (Top) partials.get(TOP_KEY);
            if (top != null) {
                for (Sched s : top.events) {
                    t.add(Value.timestamp(s.wakeup()), Value.timestamp(s.switchTs()), Value.duration(s.latency()),
                            Value.number(s.prio()), new Value.Cpu(s.cpu()),
                            process(s.wakeeComm(), s.wakeePid(), s.wakeeTid()),
                            s.wakerTid() == ThreadInfo.NONE ? Value.EMPTY
                                    : process(s.wakerComm(), s.wakerPid(), s.wakerTid()));
                }
            }
            out.add(t);
            return out;
        }
        boolean total = config.flags().contains(FLAG_TOTAL);
        boolean perPrio = config.flags().contains(FLAG_PER_PRIO);
        boolean perTid = config.flags().contains(FLAG_PER_TID) || !(total || perPrio);
        if (total) {
            ResultTable t = new ResultTable(TOTAL_STATS, begin, end);
            DurationStats s = (DurationStats) partials.get(TOTAL_KEY);
            if (s == null) {
                s = new DurationStats();
            }
            t.add(Value.number(s.count()), Value.duration(s.count() == 0 ? 0 : s.min()),
                    s.count() == 0 ? Value.duration(0L) : s.averageValue(),
                    Value.duration(s.count() == 0 ? 0 : s.max()), s.stdevValue());
            out.add(t);
        }
        if (perTid) {
            List<Map.Entry<Long, TidStats>> rows = new ArrayList<>();
            for (Map.Entry<Object, Object> e : partials.entrySet()) {
                if (e.getKey() instanceof PartialKey k && k.kind == KIND_TID) {
                    rows.add(Map.entry(k.id, (TidStats) e.getValue()));
                }
            }
            rows.sort(Comparator.comparingLong(e -> e.getValue().order));
            rows.sort(Comparator.comparing(e -> e.getValue().comm.toLowerCase(Locale.ROOT)));
            ResultTable t = new ResultTable(PER_TID_STATS, begin, end);
            for (Map.Entry<Long, TidStats> e : rows) {
                DurationStats s = e.getValue().stats;
                if (s.count() == 0) {
                    continue;
                }
                List<Integer> prios = new ArrayList<>();
                for (long[] p : e.getValue().prios) {
                    prios.add((int) p[1]);
                }
                t.add(process(e.getValue().comm, ThreadInfo.NONE, e.getKey()), Value.number(s.count()),
                        Value.duration(s.min()), s.averageValue(), Value.duration(s.max()), s.stdevValue(),
                        Value.string(Text.prioList(prios)));
            }
            out.add(t);
        }
        if (perPrio) {
            ResultTable t = new ResultTable(PER_PRIO_STATS, begin, end);
            TreeMap<Long, DurationStats> byPrio = new TreeMap<>();
            for (Map.Entry<Object, Object> e : partials.entrySet()) {
                if (e.getKey() instanceof PartialKey k && k.kind == KIND_PRIO) {
                    byPrio.put(k.id, (DurationStats) e.getValue());
                }
            }
            for (Map.Entry<Long, DurationStats> e : byPrio.entrySet()) {
                DurationStats s = e.getValue();
                t.add(Value.number(e.getKey()), Value.number(s.count()), Value.duration(s.min()), s.averageValue(),
                        Value.duration(s.max()), s.stdevValue());
            }
            out.add(t);
        }
        return out;
    }

    private static String us(Value v) {
        return Text.fixed(((Value.Num) v).asDouble() / 1000, 3);
    }

    private static String stdevUs(Value v) {
        return v instanceof Value.Unknown ? "?" : us(v);
    }

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        out.println(style.timerangeLine(begin, end));
        for (ResultTable t : tables) {
            if (t.rows().isEmpty() && t.tableClass() != TOP) {
                continue;
            }
            if (t.tableClass() == TOTAL_STATS) {
                out.println();
                out.println(t.tableClass().title() + " (us)");
                out.println(Text.left("Count", 12) + " " + Text.left("Min", 12) + " " + Text.left("Avg", 12) + " "
                        + Text.left("Max", 12) + " " + Text.left("Stdev", 12));
                for (List<Value> r : t.rows()) {
                    out.println(Text.left(r.get(0).text(), 12) + " " + Text.left(us(r.get(1)), 12) + " "
                            + Text.left(us(r.get(2)), 12) + " " + Text.left(us(r.get(3)), 12) + " "
                            + Text.left(stdevUs(r.get(4)), 12));
                }
            } else if (t.tableClass() == PER_TID_STATS) {
                out.println();
                out.println(t.tableClass().title() + " (us)");
                out.println(Text.left("Process", 25) + " " + Text.right("Count", 8) + "  " + Text.right("Min", 12)
                        + "  " + Text.right("Avg", 12) + "  " + Text.right("Max", 12) + "  "
                        + Text.right("Stdev", 12) + "   " + "Priorities");
                for (List<Value> r : t.rows()) {
                    Value.Process p = (Value.Process) r.get(0);
                    out.println(Text.left(p.name() + " (" + p.tid() + ")", 25) + " " + Text.right(r.get(1).text(), 8)
                            + "  " + Text.right(us(r.get(2)), 12) + "  " + Text.right(us(r.get(3)), 12) + "  "
                            + Text.right(us(r.get(4)), 12) + "  " + Text.right(stdevUs(r.get(5)), 12) + "   "
                            + r.get(6).text());
                }
            } else if (t.tableClass() == PER_PRIO_STATS) {
                out.println();
                out.println(t.tableClass().title() + " (us)");
                out.println(Text.right("Prio", 4) + " " + Text.right("Count", 8) + "  " + Text.right("Min", 12) + "  "
                        + Text.right("Avg", 12) + "  " + Text.right("Max", 12) + "  " + Text.right("Stdev", 12));
                for (List<Value> r : t.rows()) {
                    out.println(Text.right(r.get(0).text(), 4) + " " + Text.right(r.get(1).text(), 8) + "  "
                            + Text.right(us(r.get(2)), 12) + "  " + Text.right(us(r.get(3)), 12) + "  "
                            + Text.right(us(r.get(4)), 12) + "  " + Text.right(stdevUs(r.get(5)), 12));
                }
            } else if (t.tableClass() == TOP) {
                out.println();
                out.println(t.tableClass().title());
                out.println(Text.left("Wakeup", 20) + " " + Text.left("Switch", 19) + " "
                        + Text.right("Latency (us)", 15) + " " + Text.right("Priority", 10) + "  "
                        + Text.right("CPU", 3) + "   " + Text.left("Wakee", 25) + "  " + Text.left("Waker", 25));
                for (List<Value> r : t.rows()) {
                    Value.Process wakee = (Value.Process) r.get(5);
                    String waker = r.get(6) instanceof Value.Process w ? w.name() + " (" + w.tid() + ")"
                            : "Unknown (N/A)";
                    out.println("[" + Text.left(style.timestamp(((Value.Num) r.get(0)).longValue()), 18) + ", "
                            + Text.left(style.timestamp(((Value.Num) r.get(1)).longValue()), 18) + "] "
                            + Text.right(Text.fixed(Floats.div(((Value.Num) r.get(2)).longValue(), 1000), 3), 15)
                            + " " + Text.right(r.get(3).text(), 10) + "  " + Text.right(r.get(4).text(), 3) + "   "
                            + Text.left(wakee.name() + " (" + wakee.tid() + ")", 25) + "  " + Text.left(waker, 25));
                }
            }
        }
    }
}
