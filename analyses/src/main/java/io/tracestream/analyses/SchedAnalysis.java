package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
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

    record TidKey(long tid) implements java.io.Serializable {
    }

    record PrioKey(long prio) implements java.io.Serializable {
    }

    record TotalKey() implements java.io.Serializable {
    }

    record TopKey() implements java.io.Serializable {
    }

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
        Map<Long, TidStats> tids = new LinkedHashMap<>();
        Map<Long, DurationStats> prios = new TreeMap<>();
        DurationStats total = new DurationStats();
        /** Pending top candidates; the wakee/waker objects are resolved at the end of the period. */
        List<Object[]> top = new ArrayList<>();
        long minTop = Long.MIN_VALUE;

        Pass(AnalysisConfig config, Mode mode) {
            super(config);
            this.mode = mode;
        }

        @Override
        public void beginPeriod(long ts) {
            tids = new LinkedHashMap<>();
            prios = new TreeMap<>();
            total = new DurationStats();
            top = new ArrayList<>();
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

        @Override
        public void schedSwitch(long ts, long cpu, long prevTid, String prevComm, long nextTid, String nextComm,
                ThreadInfo wakee, ThreadInfo waker) {
            if (!acceptThread(wakee) || !acceptCpu(cpu)) {
                return;
            }
            long wakeup = wakee.lastWakeup();
            if (wakeup == ThreadInfo.NONE) {
                return;
            }
            long latency = ts - wakeup;
            if (!config.acceptDuration(latency)) {
                return;
            }
            if (waker != null) {
                tid(waker, ts);
            }
            TidStats s = tid(wakee, ts);
            s.stats.add(latency);
            total.add(latency);
            prios.computeIfAbsent((long) wakee.prio(), k -> new DurationStats()).add(latency);
            sample("Scheduling latency", "all threads", latency);
            sample("Scheduling latency", "prio " + wakee.prio(), latency);
            if (mode == Mode.TOP) {
                top.add(new Object[] {seq++, wakeup, ts, wakee.prio(), cpu, wakee, waker});
                if (config.top() > 0 && top.size() > 4 * config.top() + 1024) {
                    trimTop();
                }
            }
        }

        /** Keeps the candidates that can still be in the top N (the thread objects stay live). */
        private void trimTop() {
            top.sort(Comparator.<Object[]>comparingLong(o -> (long) o[2] - (long) o[1]).reversed()
                    .thenComparingLong(o -> (long) o[2]).thenComparingLong(o -> (long) o[0]));
            top.subList(config.top(), top.size()).clear();
        }

        @Override
        public void prioChanged(long ts, long tid, int prio) {
            TidStats s = tids.get(tid);
            if (s != null) {
                s.prios.add(new long[] {ts, prio});
            }
        }

        @Override
        public void endPeriod(long ts, KernelState state, Emitter out) {
            if (mode == Mode.STATS) {
                for (Map.Entry<Long, TidStats> e : tids.entrySet()) {
                    out.emit(new TidKey(e.getKey()), e.getValue());
                }
                for (Map.Entry<Long, DurationStats> e : prios.entrySet()) {
                    out.emit(new PrioKey(e.getKey()), e.getValue());
                }
                out.emit(new TotalKey(), total);
            } else {
                List<Sched> events = new ArrayList<>();
                for (Object[] o : top) {
                    ThreadInfo wakee = (ThreadInfo) o[5];
                    ThreadInfo waker = (ThreadInfo) o[6];
                    events.add(new Sched((long) o[0], (long) o[1], (long) o[2], (int) o[3], (long) o[4],
                            wakee.comm(), wakee.pid(), wakee.tid(),
                            waker == null ? null : waker.comm(), waker == null ? ThreadInfo.NONE : waker.pid(),
                            waker == null ? ThreadInfo.NONE : waker.tid()));
                }
                Top t = new Top(config.top());
                t.addAll(events);
                out.emit(new TopKey(), t);
            }
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
            Top top = (Top) partials.get(new TopKey());
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
            DurationStats s = (DurationStats) partials.get(new TotalKey());
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
                if (e.getKey() instanceof TidKey k) {
                    rows.add(Map.entry(k.tid(), (TidStats) e.getValue()));
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
                if (e.getKey() instanceof PrioKey k) {
                    byPrio.put(k.prio(), (DurationStats) e.getValue());
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
