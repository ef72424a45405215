package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code irqstats}: hard IRQ handler durations per IRQ line, softirq handler durations and raise latencies per vector,
 * as lttng-analyses 0.6.1 computes them ({@code linuxautomaton/irq.py}, {@code core/irq.py}, {@code cli/irq.py}).
 * Per-CPU state only, so it runs one pass per stream, in parallel.
 * <ul>
 *   <li>a hard IRQ counts from {@code irq_handler_entry} to the {@code irq_handler_exit} of the same line on the same
 *       CPU; an exit of another line discards the pending entry;</li>
 *   <li>a softirq is raised ({@code softirq_raise}; raises while one is pending merge into it), entered and exited
 *       per CPU and vector; the raise latency is entry minus raise;</li>
 *   <li>an IRQ line's name is every name seen at its entries, in order (", "-separated), {@code unknown} when only
 *       its exit was seen.</li>
 * </ul>
 */
public final class IrqstatsAnalysis implements Analysis {

    static final TableClass HARD = TableClass.of("hard-stats", "Hardware interrupt statistics",
            Column.of("irq", "Interrupt", "irq"),
            Column.of("count", "Interrupt count", "number", "interrupts"),
            Column.of("min_duration", "Minimum duration", "duration"),
            Column.of("avg_duration", "Average duration", "duration"),
            Column.of("max_duration", "Maximum duration", "duration"),
            Column.of("stdev_duration", "Interrupt duration standard deviation", "duration"));
    static final TableClass SOFT = TableClass.of("soft-stats", "Software interrupt statistics",
            Column.of("irq", "Interrupt", "irq"),
            Column.of("count", "Interrupt count", "number", "interrupts"),
            Column.of("min_duration", "Minimum duration", "duration"),
            Column.of("avg_duration", "Average duration", "duration"),
            Column.of("max_duration", "Maximum duration", "duration"),
            Column.of("stdev_duration", "Interrupt duration standard deviation", "duration"),
            Column.of("raise_count", "Interrupt raise count", "number", "interrupt raises"),
            Column.of("min_latency", "Minimum raise latency", "duration"),
            Column.of("avg_latency", "Average raise latency", "duration"),
            Column.of("max_latency", "Maximum raise latency", "duration"),
            Column.of("stdev_latency", "Interrupt raise latency standard deviation", "duration"));

    /** Softirq vector names (include/linux/interrupt.h). */
    static final String[] SOFTIRQ_NAMES = {"HI_SOFTIRQ", "TIMER_SOFTIRQ", "NET_TX_SOFTIRQ", "NET_RX_SOFTIRQ",
        "BLOCK_SOFTIRQ", "BLOCK_IOPOLL_SOFTIRQ", "TASKLET_SOFTIRQ", "SCHED_SOFTIRQ", "HRTIMER_SOFTIRQ", "RCU_SOFTIRQ"};

    @Override
    public String name() {
        return "irqstats";
    }

    @Override
    public String title() {
        return "System interrupt analysis";
    }

    @Override
    public String description() {
        return "Interrupt frequency distribution, statistics, and log";
    }

    @Override
    public List<String> tags() {
        return List.of("interrupt", "stats", "freq", "log");
    }

    @Override
    public List<TableClass> tableClasses() {
        return List.of(HARD, SOFT);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.PER_STREAM;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new Pass(config);
    }

    /** Kinds of the partials' keys ({@link PartialKey}): per hard IRQ line, per softirq vector. */
    private static final int KIND_HARD = 0;
    private static final int KIND_SOFT = 1;

    /** One IRQ line: names (with the time each was first seen) and durations. */
    static final class Hard implements Mergeable<Hard> {
        private static final long serialVersionUID = 1L;
        /** (first seen, name), chronological. */
        final List<Object[]> names = new ArrayList<>();
        final DurationStats durations = new DurationStats();

        void name(long ts, String name) {
            for (Object[] n : names) {
                if (n[1].equals(name)) {
                    return;
                }
            }
            names.add(new Object[] {ts, name});
        }

        @Override
        public Hard merge(Hard o) {
            durations.merge(o.durations);
            List<Object[]> all = new ArrayList<>(names);
            all.addAll(o.names);
            all.sort(Comparator.comparingLong(n -> (long) n[0]));
            names.clear();
            for (Object[] n : all) {
                name((long) n[0], (String) n[1]);
            }
            return this;
        }

        String joinedNames() {
            StringBuilder sb = new StringBuilder();
            for (Object[] n : names) {
                if (sb.length() > 0) {
                    sb.append(", ");
                }
                sb.append(n[1]);
            }
            return sb.toString();
        }
    }

    /** One softirq vector: durations and raise latencies. */
    static final class Soft implements Mergeable<Soft> {
        private static final long serialVersionUID = 1L;
        final DurationStats durations = new DurationStats();
        final DurationStats raises = new DurationStats();

        @Override
        public Soft merge(Soft o) {
            durations.merge(o.durations);
            raises.merge(o.raises);
            return this;
        }
    }

    static final class Pass extends AnalysisPass {
        private static final long serialVersionUID = 1L;
        LongMap<Hard> hard = new LongMap<>();
        LongMap<Soft> soft = new LongMap<>();

        Pass(AnalysisConfig config) {
            super(config);
        }

        @Override
        public boolean readsEventFields() {
            return false;
        }

        @Override
        public void beginPeriod(long ts) {
            hard = new LongMap<>();
            soft = new LongMap<>();
        }

        @Override
        public void irqEntry(long ts, long cpu, long irq, String name) {
            Hard h = hard.get(irq);
            if (h == null) {
                h = new Hard();
                hard.put(irq, h);
            }
            h.name(ts, name);
        }

        @Override
        public void irqExit(long cpu, long irq, long begin, long end, long ret) {
            long d = end - begin;
            if (!acceptCpu(cpu) || !config.acceptDuration(d)) {
                return;
            }
            Hard h = hard.get(irq);
            if (h == null) {
                h = new Hard();
                h.name(end, "unknown");
                hard.put(irq, h);
            }
            h.durations.add(d);
            if (histograms()) {
                sample("Hard IRQ duration", "IRQ " + irq, d);
            }
        }

        @Override
        public void softirqExit(long cpu, long vec, long raise, long begin, long end) {
            if (begin == ThreadInfo.NONE) {
                return; // raised, exited, entry not seen: lttng-analyses 0.6.1 fails on such a softirq
            }
            long d = end - begin;
            if (!acceptCpu(cpu) || !config.acceptDuration(d)) {
                return;
            }
            Soft s = soft.get(vec);
            if (s == null) {
                s = new Soft();
                soft.put(vec, s);
            }
            s.durations.add(d);
            if (histograms()) {
                sample("Softirq duration", vec + " <" + softirqName(vec) + ">", d);
            }
            if (raise != ThreadInfo.NONE) {
                s.raises.add(begin - raise);
                if (histograms()) {
                    sample("Softirq raise latency", vec + " <" + softirqName(vec) + ">", begin - raise);
                }
            }
        }

        @Override
        public void endPeriod(long ts, KernelState state, Emitter out) {
            for (int i : byKey(hard)) { // in key order
                out.emit(new PartialKey(KIND_HARD, hard.keyAt(i)), hard.valueAt(i));
            }
            for (int i : byKey(soft)) {
                out.emit(new PartialKey(KIND_SOFT, soft.keyAt(i)), soft.valueAt(i));
            }
        }

        /** The entry indexes of {@code m} in ascending key order. */
        private static int[] byKey(LongMap<?> m) {
            Integer[] idx = new Integer[m.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            java.util.Arrays.sort(idx, Comparator.comparingLong(m::keyAt));
            int[] out = new int[idx.length];
            for (int i = 0; i < idx.length; i++) {
                out[i] = idx[i];
            }
            return out;
        }
    }

    static String softirqName(long vec) {
        return vec >= 0 && vec < SOFTIRQ_NAMES.length ? SOFTIRQ_NAMES[(int) vec] : "vec" + vec;
    }

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        TreeMap<Long, Hard> hard = new TreeMap<>();
        TreeMap<Long, Soft> soft = new TreeMap<>();
        for (Map.Entry<Object, Object> e : partials.entrySet()) {
            if (!(e.getKey() instanceof PartialKey k)) {
                continue;
            }
            if (k.kind == KIND_HARD) {
                hard.put(k.id, (Hard) e.getValue());
            } else if (k.kind == KIND_SOFT) {
                soft.put(k.id, (Soft) e.getValue());
            }
        }
        ResultTable h = new ResultTable(HARD, begin, end);
        for (Map.Entry<Long, Hard> e : hard.entrySet()) {
            DurationStats d = e.getValue().durations;
            if (d.count() == 0) {
                continue;
            }
            h.add(new Value.Irq(true, e.getKey(), e.getValue().joinedNames()), Value.number(d.count()),
                    Value.duration(d.min()), d.averageValue(), Value.duration(d.max()), d.stdevValue());
        }
        ResultTable s = new ResultTable(SOFT, begin, end);
        for (Map.Entry<Long, Soft> e : soft.entrySet()) {
            DurationStats d = e.getValue().durations;
            DurationStats r = e.getValue().raises;
            if (d.count() == 0) {
                continue;
            }
            boolean raised = r.count() > 0;
            s.add(new Value.Irq(false, e.getKey(), softirqName(e.getKey())), Value.number(d.count()),
                    Value.duration(d.min()), d.averageValue(), Value.duration(d.max()), d.stdevValue(),
                    Value.number(r.count()), raised ? Value.duration(r.min()) : Value.UNKNOWN,
                    raised ? r.averageValue() : Value.UNKNOWN, raised ? Value.duration(r.max()) : Value.UNKNOWN,
                    raised ? r.stdevValue() : Value.UNKNOWN);
        }
        return List.of(h, s);
    }

    private static String us(Value v) {
        return v instanceof Value.Unknown ? "?" : Text.fixed(((Value.Num) v).asDouble() / 1000, 3);
    }

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        out.println(style.timerangeLine(begin, end));
        String hardHeader = Text.left("Hard IRQ", 52) + " " + Text.left("Duration (us)", 12) + "\n"
                + Text.left("", 22) + " " + Text.left("count", 14) + " " + Text.left("min", 12) + " "
                + Text.left("avg", 12) + " " + Text.left("max", 10) + " " + Text.left("stdev", 12) + "\n"
                + "-".repeat(82) + "|";
        String softHeader = Text.left("Soft IRQ", 52) + " " + Text.left("Duration (us)", 52) + " "
                + Text.left("Raise latency (us)", 12) + "\n"
                + Text.left("", 22) + " " + Text.left("count", 14) + " " + Text.left("min", 12) + " "
                + Text.left("avg", 12) + " " + Text.left("max", 10) + " " + Text.left("stdev", 4) + " "
                + Text.left(" |", 3) + " " + Text.left("count", 14) + " " + Text.left("min", 12) + " "
                + Text.left("avg", 12) + " " + Text.left("max", 10) + " " + Text.left("stdev", 12) + "\n"
                + "-".repeat(82) + "|" + "-".repeat(60);
        boolean hardPrinted = false;
        boolean softPrinted = false;
        for (ResultTable t : tables) {
            for (List<Value> r : t.rows()) {
                Value.Irq irq = (Value.Irq) r.get(0);
                String line = Text.left(irq.nr() + ":", 3) + " " + Text.left("<" + irq.name() + ">", 18) + " "
                        + Text.right(r.get(1).text(), 5) + " " + Text.right(us(r.get(2)), 12) + " "
                        + Text.right(us(r.get(3)), 12) + " " + Text.right(us(r.get(4)), 12) + " "
                        + Text.right(us(r.get(5)), 12) + " " + Text.left(" |", 2);
                if (irq.hard()) {
                    if (!hardPrinted) {
                        out.println(hardHeader);
                        hardPrinted = true;
                    }
                    out.println(line);
                } else {
                    if (!softPrinted) {
                        if (hardPrinted) {
                            out.println();
                        }
                        out.println(softHeader);
                        softPrinted = true;
                    }
                    if (((Value.Num) r.get(6)).longValue() != 0) {
                        line += " " + Text.right(r.get(6).text(), 6) + " " + Text.right(us(r.get(7)), 12) + " "
                                + Text.right(us(r.get(8)), 12) + " " + Text.right(us(r.get(9)), 12) + " "
                                + Text.right(us(r.get(10)), 12);
                    }
                    out.println(line);
                }
            }
        }
    }
}
