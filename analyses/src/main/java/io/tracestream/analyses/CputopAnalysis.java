package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code cputop}: per-thread and per-CPU usage, migrations, priorities and total usage, computed as lttng-analyses
 * 0.6.1 computes them ({@code core/cputop.py}):
 * <ul>
 *   <li>a thread's time is counted from its switch-in to its switch-out; a thread first seen switching out is
 *       counted from the period start; one still running at the end is counted to the period end;</li>
 *   <li>a CPU is busy from the switch-in of a non-idle (and not filtered-out) thread to the next switch on it; the
 *       first switch seen on a CPU counts it busy since the period start, whatever ran before (see
 *       analyses-framework notes: this overstates an idle CPU);</li>
 *   <li>usage = time / (last event - first event); total = sum of per-CPU usages / number of CPUs the state model
 *       knows;</li>
 *   <li>priorities: every priority change of a thread from its first appearance in the period.</li>
 * </ul>
 */
public final class CputopAnalysis implements Analysis {

    /**
     * {@code AnalysisConfig.flags()} value: do not count a CPU as busy, nor the idle thread as running, from the
     * period start to the first sched_switch of a CPU that switches away from the idle thread (lttng-analyses does).
     */
    public static final String FLAG_CORRECTED = "corrected";

    static final TableClass PER_PROCESS = TableClass.of("per-process", "Per-TID top CPU usage",
            Column.of("process", "Process", "process"),
            Column.of("migrations", "Migration count", "number", "migrations"),
            Column.of("prio_list", "Chronological priorities", "string"),
            Column.of("usage", "CPU usage", "ratio"));
    static final TableClass PER_CPU = TableClass.of("per-cpu", "Per-CPU top CPU usage",
            Column.of("cpu", "CPU", "cpu"),
            Column.of("usage", "CPU usage", "ratio"));
    static final TableClass TOTAL = TableClass.of("total", "Total CPU usage",
            Column.of("usage", "CPU usage", "ratio"));

    @Override
    public String name() {
        return "cputop";
    }

    @Override
    public String title() {
        return "Top CPU usage";
    }

    @Override
    public String description() {
        return "Per-TID, per-CPU, and total top CPU usage";
    }

    @Override
    public List<String> tags() {
        return List.of("cpu", "top");
    }

    @Override
    public List<TableClass> tableClasses() {
        return List.of(PER_PROCESS, PER_CPU, TOTAL);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.TIME_ORDERED;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new Pass(config);
    }

    /** Kinds of the partials' keys ({@link PartialKey}): per CPU, per thread, and the CPU count of the period. */
    private static final int KIND_CPU = 0;
    private static final int KIND_TID = 1;
    private static final int KIND_CPU_COUNT = 2;
    private static final PartialKey CPU_COUNT_KEY = new PartialKey(KIND_CPU_COUNT);

    /** Busy time of one CPU. */
    static final class CpuUsage implements Mergeable<CpuUsage> {
        private static final long serialVersionUID = 1L;
        long busy;

        CpuUsage(long busy) {
            this.busy = busy;
        }

        @Override
        public CpuUsage merge(CpuUsage o) {
            busy += o.busy;
            return this;
        }
    }

    /** Number of CPUs known. */
    static final class MaxCount implements Mergeable<MaxCount> {
        private static final long serialVersionUID = 1L;
        long n;

        MaxCount(long n) {
            this.n = n;
        }

        @Override
        public MaxCount merge(MaxCount o) {
            n = Math.max(n, o.n);
            return this;
        }
    }

    /** One thread's CPU time, migrations and priority changes. */
    static final class ThreadUsage implements Mergeable<ThreadUsage> {
        private static final long serialVersionUID = 1L;
        /** Creation order (ties in sorting keep it, as Python's stable sort keeps dict order). */
        long order;
        String comm;
        long time;
        long migrations;
        /** (timestamp, priority) pairs, chronological. */
        final List<long[]> prios = new ArrayList<>();

        @Override
        public ThreadUsage merge(ThreadUsage o) {
            if (o.order < order) {
                order = o.order;
                comm = o.comm;
            }
            time += o.time;
            migrations += o.migrations;
            prios.addAll(o.prios);
            prios.sort(Comparator.comparingLong(p -> p[0]));
            return this;
        }
    }

    static final class Pass extends AnalysisPass {
        private static final long serialVersionUID = 1L;

        static final class Cpu implements java.io.Serializable {
            private static final long serialVersionUID = 1L;
            long busy;
            long start = ThreadInfo.NONE;
        }

        static final class Tid implements java.io.Serializable {
            private static final long serialVersionUID = 1L;
            final ThreadUsage usage = new ThreadUsage();
            long lastSched = ThreadInfo.NONE;
        }

        long periodBegin;
        long order;
        LongMap<Cpu> cpus = new LongMap<>();
        LongMap<Tid> tids = new LongMap<>(256);
        private final boolean corrected;

        Pass(AnalysisConfig config) {
            super(config);
            corrected = config.flags().contains(FLAG_CORRECTED);
        }

        @Override
        public boolean readsEventFields() {
            return false;
        }

        @Override
        public void beginPeriod(long ts) {
            periodBegin = ts;
            cpus = new LongMap<>();
            tids = new LongMap<>(256);
        }

        private boolean accept(ThreadInfo t) {
            return t.tid() != 0 && acceptThread(t);
        }

        private Tid newTid(long tid, String comm) {
            Tid t = new Tid();
            t.usage.order = order++;
            t.usage.comm = comm;
            tids.put(tid, t);
            return t;
        }

        @Override
        public void schedSwitch(long ts, long cpuId, long prevTid, String prevComm, long nextTid, String nextComm,
                ThreadInfo wakee, ThreadInfo waker) {
            if (!acceptCpu(cpuId)) {
                return;
            }
            // per CPU
            boolean prevIdleOrFiltered = prevTid == 0 || !acceptThread(prevTid, prevComm);
            Cpu cpu = cpus.get(cpuId);
            if (cpu == null) {
                cpu = new Cpu();
                // lttng-analyses: busy since the period start, whatever ran; corrected: only if a counted thread ran
                cpu.start = corrected && prevIdleOrFiltered ? ThreadInfo.NONE : periodBegin;
                cpus.put(cpuId, cpu);
            }
            if (cpu.start != ThreadInfo.NONE) {
                cpu.busy += ts - cpu.start;
            }
            boolean accepted = accept(wakee);
            cpu.start = accepted ? ts : ThreadInfo.NONE;
            // per TID
            Tid prev = tids.get(prevTid);
            if (prev == null && !(corrected && prevTid == 0)) { // corrected: the idle thread is not reported
                prev = newTid(prevTid, prevComm);
                prev.lastSched = periodBegin; // its switch-in was before the period
            }
            if (prev != null && prev.lastSched != ThreadInfo.NONE) {
                prev.usage.time += ts - prev.lastSched;
                prev.lastSched = ThreadInfo.NONE;
            }
            if (!accepted) {
                return;
            }
            Tid next = tids.get(nextTid);
            if (next == null) {
                next = newTid(nextTid, nextComm);
                next.usage.prios.add(new long[] {ts, wakee.prio()});
            }
            next.lastSched = ts;
        }

        @Override
        public void migrate(long ts, long cpuId, ThreadInfo thread) {
            if (!accept(thread) || !acceptCpu(cpuId)) {
                return;
            }
            Tid t = tids.get(thread.tid());
            if (t == null) {
                t = newTid(thread.tid(), thread.comm());
            }
            t.usage.migrations++;
        }

        @Override
        public void prioChanged(long ts, long tid, int prio) {
            Tid t = tids.get(tid);
            if (t != null) {
                t.usage.prios.add(new long[] {ts, prio});
            }
        }

        @Override
        public void endPeriod(long ts, KernelState state, Emitter out) {
            for (int i = 0; i < cpus.size(); i++) {
                Cpu c = cpus.valueAt(i);
                if (c.start != ThreadInfo.NONE) {
                    c.busy += ts - c.start;
                }
                out.emit(new PartialKey(KIND_CPU, cpus.keyAt(i)), new CpuUsage(c.busy));
            }
            for (int i = 0; i < tids.size(); i++) {
                Tid t = tids.valueAt(i);
                if (t.lastSched != ThreadInfo.NONE) {
                    t.usage.time += ts - t.lastSched;
                }
                out.emit(new PartialKey(KIND_TID, tids.keyAt(i)), t.usage);
            }
            out.emit(CPU_COUNT_KEY, new MaxCount(state.cpuCount()));
        }
    }

    /** usage_percent as lttng-analyses computes it: time * 100 / duration (0 for an empty period). */
    static double percent(long time, long duration) {
        return duration != 0 ? Floats.div(time * 100, duration) : 0;
    }

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        long duration = end - begin;
        List<Map.Entry<Long, ThreadUsage>> threads = new ArrayList<>();
        List<long[]> cpus = new ArrayList<>();
        long cpuCount = 0;
        for (Map.Entry<Object, Object> e : partials.entrySet()) {
            if (!(e.getKey() instanceof PartialKey k)) {
                continue;
            }
            if (k.kind == KIND_TID) {
                threads.add(Map.entry(k.id, (ThreadUsage) e.getValue()));
            } else if (k.kind == KIND_CPU) {
                cpus.add(new long[] {k.id, ((CpuUsage) e.getValue()).busy});
            } else if (k.kind == KIND_CPU_COUNT) {
                cpuCount = ((MaxCount) e.getValue()).n;
            }
        }
        // by decreasing usage; ties keep creation order (Python's stable sort of an insertion-ordered dict)
        threads.sort((a, b) -> {
            int c = Double.compare(percent(b.getValue().time, duration), percent(a.getValue().time, duration));
            return c != 0 ? c : Long.compare(a.getValue().order, b.getValue().order);
        });
        ResultTable perTid = new ResultTable(PER_PROCESS, begin, end);
        int count = 0;
        for (Map.Entry<Long, ThreadUsage> e : threads) {
            ThreadUsage u = e.getValue();
            List<Integer> prios = new ArrayList<>();
            for (long[] p : u.prios) {
                prios.add((int) p[1]);
            }
            perTid.add(new Value.Process(u.comm, ThreadInfo.NONE, e.getKey()), Value.number(u.migrations),
                    Value.string(Text.prioList(prios)), Value.ratio(percent(u.time, duration) / 100));
            count++;
            if (config.top() > 0 && count >= config.top()) {
                break;
            }
        }
        cpus.sort(Comparator.comparingLong(c -> c[0]));
        ResultTable perCpu = new ResultTable(PER_CPU, begin, end);
        for (long[] c : cpus) {
            perCpu.add(new Value.Cpu(c[0]), Value.ratio(percent(c[1], duration) / 100));
        }
        List<ResultTable> out = new ArrayList<>(List.of(perTid, perCpu));
        if (cpuCount > 0) {
            // lttng-analyses sums the per-CPU percentages in decreasing order (creation order for ties)
            List<long[]> byUsage = new ArrayList<>();
            for (Map.Entry<Object, Object> e : partials.entrySet()) {
                if (e.getKey() instanceof PartialKey k && k.kind == KIND_CPU) {
                    byUsage.add(new long[] {k.id, ((CpuUsage) e.getValue()).busy});
                }
            }
            byUsage.sort((a, b) -> Double.compare(percent(b[1], duration), percent(a[1], duration)));
            double sum = 0;
            for (long[] c : byUsage) {
                sum += percent(c[1], duration);
            }
            sum /= cpuCount;
            out.add(new ResultTable(TOTAL, begin, end).add(Value.ratio(sum / 100)));
        }
        return out;
    }

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        out.println(style.timerangeLine(begin, end));
        for (ResultTable t : tables) {
            if (t.tableClass() == PER_PROCESS) {
                List<Text.Bar> bars = new ArrayList<>();
                for (List<Value> row : t.rows()) {
                    Value.Process p = (Value.Process) row.get(0);
                    double pct = ((Value.Num) row.get(3)).asDouble() * 100;
                    String label = "  " + Text.left(p.name() + " (" + p.tid() + ")", 25) + " "
                            + Text.right(row.get(1).text(), 10) + "   " + row.get(2).text();
                    bars.add(new Text.Bar(pct, Text.fixed(pct, 2), label));
                }
                String header = "  " + Text.left("Process", 25) + " " + Text.right("Migrations", 10) + "   "
                        + "Priorities";
                Text.barGraph(out, "Per-TID Usage", header, "%", bars);
            } else if (t.tableClass() == PER_CPU) {
                List<Text.Bar> bars = new ArrayList<>();
                for (List<Value> row : t.rows()) {
                    double pct = ((Value.Num) row.get(1)).asDouble() * 100;
                    bars.add(new Text.Bar(pct, Text.fixed(pct, 2), "CPU " + ((Value.Cpu) row.get(0)).id()));
                }
                Text.barGraph(out, "Per-CPU Usage", null, "%", bars);
            } else if (t.tableClass() == TOTAL) {
                double pct = ((Value.Num) t.rows().get(0).get(0)).asDouble() * 100;
                out.println();
                out.println("Total CPU Usage: " + Text.fixed(pct, 2) + "%");
                out.println();
            }
        }
    }
}
