package io.tracestream.analyses.syscalls;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisPass;
import io.tracestream.analyses.Column;
import io.tracestream.analyses.Emitter;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.TableClass;
import io.tracestream.analyses.TextStyle;
import io.tracestream.analyses.Value;
import io.tracestream.analyses.kstate.LttngPass;
import io.tracestream.analyses.kstate.Proc;
import io.tracestream.analyses.Py;
import io.tracestream.analyses.kstate.SyscallEvent;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code syscallstats}: per thread and system call, the number of calls, minimum, average, maximum and standard
 * deviation of their durations, and their return values; lttng-analyses' {@code lttng-syscallstats}.
 *
 * <p>A call counts when its exit is seen in the analysed range after its entry was seen on the same thread (the
 * thread running on the CPU, from {@code sched_switch}); its duration is exit minus entry. Both naming schemes are
 * read: {@code syscall_entry_NAME}/{@code syscall_exit_NAME} and {@code sys_NAME}/{@code exit_syscall}.
 *
 * <p>One deliberate difference from lttng-analyses 0.6.1: it counts each distinct return value once too many (its
 * dictionary starts at 1 then adds 1); we print the true counts.
 */
public final class SyscallStatsAnalysis implements Analysis {
    static final TableClass PER_TID = TableClass.of("per-tid", "System call statistics",
            Column.of("syscall", "System call", "syscall"),
            Column.of("count", "Call count", "number", "calls"),
            Column.of("min_duration", "Minimum call duration", "duration"),
            Column.of("avg_duration", "Average call duration", "duration"),
            Column.of("max_duration", "Maximum call duration", "duration"),
            Column.of("stdev_duration", "Call duration standard deviation", "duration"),
            Column.of("return_values", "Return values count", "string"));
    static final TableClass TOTAL = TableClass.of("total", "Per-TID system call statistics",
            Column.of("process", "Process", "process"),
            Column.of("count", "Total system call count", "number", "calls"));
    static final TableClass SUMMARY = TableClass.of("summary", "System call statistics - summary",
            Column.of("time_range", "Time range", "time-range"),
            Column.of("process", "Process", "process"),
            Column.of("count", "Total system call count", "number", "calls"));

    @Override
    public String name() {
        return "syscallstats";
    }

    @Override
    public String title() {
        return "System call statistics";
    }

    @Override
    public String description() {
        return "Per-TID and global system call statistics";
    }

    @Override
    public List<String> tags() {
        return List.of("syscall", "stats");
    }

    @Override
    public List<TableClass> tableClasses() {
        return List.of(PER_TID, TOTAL, SUMMARY);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.TIME_ORDERED;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new Pass(config);
    }

    /** Counts system call exits per thread and name. */
    static final class Pass extends LttngPass {
        private static final long serialVersionUID = 1L;
        private Map<Long, ThreadSyscalls> threads = new LinkedHashMap<>();

        Pass(AnalysisConfig config) {
            super(config);
        }

        @Override
        public void syscallExit(Proc proc, SyscallEvent call, int cpu) {
            if (!acceptThread(proc.tid, proc.comm) || !acceptCpu(cpu)) {
                return;
            }
            threads.computeIfAbsent(proc.tid, t -> new ThreadSyscalls(proc.pid, proc.tid, proc.comm))
                    .add(call.name, call.duration, call.ret);
            sample("System call duration", call.name, call.duration);
        }

        @Override
        public void endPeriod(long ts, Emitter out) {
            for (Map.Entry<Long, ThreadSyscalls> e : threads.entrySet()) {
                out.emit(e.getKey(), e.getValue());
            }
            threads = new LinkedHashMap<>();
        }
    }

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        List<ThreadSyscalls> threads = new ArrayList<>();
        for (Object o : partials.values()) {
            threads.add((ThreadSyscalls) o);
        }
        threads.sort(Comparator.comparingLong((ThreadSyscalls t) -> t.total).reversed()); // stable, as Python's
        List<ResultTable> out = new ArrayList<>();
        ResultTable total = new ResultTable(TOTAL, begin, end);
        for (ThreadSyscalls t : threads) {
            if (t.total == 0) {
                continue;
            }
            String subtitle = t.comm + " (" + (t.pid == null ? "?" : t.pid) + ", TID: " + t.tid + ")";
            ResultTable table = new ResultTable(PER_TID, begin, end, subtitle);
            List<ThreadSyscalls.Call> calls = new ArrayList<>(t.calls.values());
            calls.sort(Comparator.comparingLong((ThreadSyscalls.Call c) -> c.durations.count()).reversed());
            for (ThreadSyscalls.Call c : calls) {
                long n = c.durations.count();
                // lttng-analyses shows a deviation only from 3 calls on
                Value stdev = n > 2 ? Value.duration(c.durations.stdev()) : Value.UNKNOWN;
                table.add(new Value.Named("syscall", c.name), Value.number(n), Value.duration(c.durations.min()),
                        Value.duration(c.durations.average()), Value.duration(c.durations.max()), stdev,
                        Value.string(c.returnsText()));
            }
            out.add(table);
            total.add(new Value.Process(t.comm, t.pid == null ? -1 : t.pid, t.tid), Value.number(t.total));
        }
        if (!total.rows().isEmpty()) {
            out.add(total);
        }
        return out;
    }

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        StringBuilder b = new StringBuilder(1 << 16);
        b.append(style.timerangeLine(begin, end)).append('\n');
        b.append("Per-TID syscalls statistics (usec)\n");
        List<ResultTable> perTid = new ArrayList<>();
        ResultTable total = null;
        for (ResultTable t : tables) {
            if (t.tableClass().name().equals(PER_TID.name())) {
                perTid.add(t);
            } else if (t.tableClass().name().equals(TOTAL.name())) {
                total = t;
            }
        }
        long totalCalls = 0;
        for (int i = 0; i < perTid.size(); i++) {
            ResultTable t = perTid.get(i);
            line(b, t.subtitle(), "Count", "Min", "Average", "Max", "Stdev", "Return values");
            for (List<Value> row : t.rows()) {
                Value stdev = row.get(5);
                String stdevText = stdev instanceof Value.Num s ? us(s) : "?";
                line(b, " - " + ((Value.Named) row.get(0)).name(), Long.toString(((Value.Num) row.get(1)).longValue()),
                        us((Value.Num) row.get(2)), us((Value.Num) row.get(3)), us((Value.Num) row.get(4)), stdevText,
                        ((Value.Str) row.get(6)).value());
            }
            long procTotal = ((Value.Num) total.rows().get(i).get(1)).longValue();
            line(b, "Total:", Long.toString(procTotal), "", "", "", "", "");
            b.append("-".repeat(113)).append('\n');
            totalCalls += procTotal;
            if (b.length() > (1 << 16)) {
                out.print(b);
                b.setLength(0);
            }
        }
        b.append("\nTotal syscalls: ").append(totalCalls).append('\n');
        out.print(b);
    }

    /** {@code '{:<38} {:>14} {:>14} {:>14} {:>12} {:>10}  {:<14}'.format(...)}. */
    private static void line(StringBuilder b, String name, String count, String min, String avg, String max,
            String stdev, String returns) {
        b.append(Py.left(name, 38)).append(' ').append(Py.right(count, 14)).append(' ').append(Py.right(min, 14))
                .append(' ').append(Py.right(avg, 14)).append(' ').append(Py.right(max, 12)).append(' ')
                .append(Py.right(stdev, 10)).append("  ").append(Py.left(returns, 14)).append('\n');
    }

    /** {@code str(round(ns / 1000, 3))}, as lttng-analyses prints durations here. */
    private static String us(Value.Num ns) {
        return Py.microsRounded(ns.asDouble());
    }
}
