package io.tracestream.analyses.memory;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisPass;
import io.tracestream.analyses.Column;
import io.tracestream.analyses.Emitter;
import io.tracestream.analyses.Mergeable;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.TableClass;
import io.tracestream.analyses.TextStyle;
import io.tracestream.analyses.Value;
import io.tracestream.analyses.BarGraph;
import io.tracestream.analyses.kstate.LttngPass;
import io.tracestream.analyses.kstate.Proc;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * {@code memtop}: pages allocated and freed per thread (the thread running on the CPU of each
 * {@code mm_page_alloc}/{@code mm_page_free}, or {@code kmem_mm_page_*}), top N of each and totals; lttng-analyses'
 * {@code lttng-memtop}.
 *
 * <p>As in lttng-analyses, a freed page counts only while the pages allocated since the start of the trace outnumber
 * those freed (a global counter that never goes below zero), and events on an idle CPU or before its first
 * {@code sched_switch} count for nobody.
 */
public final class MemTopAnalysis implements Analysis {
    static final TableClass ALLOCD = TableClass.of("allocd", "Per-TID top allocated memory",
            Column.of("process", "Process", "process"),
            Column.of("pages", "Allocated pages", "number", "pages"));
    static final TableClass FREED = TableClass.of("freed", "Per-TID top freed memory",
            Column.of("process", "Process", "process"),
            Column.of("pages", "Freed pages", "number", "pages"));
    static final TableClass TOTAL = TableClass.of("total", "Total allocated/freed memory",
            Column.of("allocd", "Total allocated pages", "number", "pages"),
            Column.of("freed", "Total freed pages", "number", "pages"));
    static final TableClass SUMMARY = TableClass.of("summary", "Memory usage - summary",
            Column.of("time_range", "Time range", "time-range"),
            Column.of("allocd", "Total allocated pages", "number", "pages"),
            Column.of("freed", "Total freed pages", "number", "pages"));

    /** Pages of one thread in one period (name as at its first page event of the period). */
    static final class ThreadPages implements Mergeable<ThreadPages> {
        private static final long serialVersionUID = 1L;
        final long tid;
        final String comm;
        long allocated;
        long freed;

        ThreadPages(long tid, String comm) {
            this.tid = tid;
            this.comm = comm;
        }

        @Override
        public ThreadPages merge(ThreadPages o) {
            allocated += o.allocated;
            freed += o.freed;
            return this;
        }
    }

    @Override
    public String name() {
        return "memtop";
    }

    @Override
    public String title() {
        return "Top memory usage";
    }

    @Override
    public String description() {
        return "Per-TID top allocated/freed memory";
    }

    @Override
    public List<String> tags() {
        return List.of("memory", "top");
    }

    @Override
    public List<TableClass> tableClasses() {
        return List.of(ALLOCD, FREED, TOTAL, SUMMARY);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.TIME_ORDERED;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new Pass(config);
    }

    static final class Pass extends LttngPass {
        private static final long serialVersionUID = 1L;
        private Map<Long, ThreadPages> threads = new LinkedHashMap<>();

        Pass(AnalysisConfig config) {
            super(config);
        }

        private ThreadPages of(Proc p, int cpu) {
            if (!acceptThread(p.tid, p.comm) || !acceptCpu(cpu)) {
                return null;
            }
            return threads.computeIfAbsent(p.tid, t -> new ThreadPages(p.tid, p.comm));
        }

        @Override
        public void pageAlloc(Proc proc, int cpu) {
            ThreadPages t = of(proc, cpu);
            if (t != null) {
                t.allocated++;
            }
        }

        @Override
        public void pageFree(Proc proc, int cpu) {
            ThreadPages t = of(proc, cpu);
            if (t != null) {
                t.freed++;
            }
        }

        @Override
        public void endPeriod(long ts, Emitter out) {
            for (Map.Entry<Long, ThreadPages> e : threads.entrySet()) {
                out.emit(e.getKey(), e.getValue());
            }
            threads = new LinkedHashMap<>();
        }
    }

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        List<ThreadPages> threads = new ArrayList<>();
        long allocd = 0;
        long freed = 0;
        for (Object o : partials.values()) {
            ThreadPages t = (ThreadPages) o;
            threads.add(t);
            allocd += t.allocated;
            freed += t.freed;
        }
        List<ResultTable> out = new ArrayList<>();
        ResultTable a = top(ALLOCD, threads, t -> t.allocated, begin, end, config.top());
        ResultTable f = top(FREED, threads, t -> t.freed, begin, end, config.top());
        if (!a.rows().isEmpty()) {
            out.add(a);
        }
        if (!f.rows().isEmpty()) {
            out.add(f);
        }
        out.add(new ResultTable(TOTAL, begin, end).add(Value.number(allocd), Value.number(freed)));
        return out;
    }

    private static ResultTable top(TableClass tc, List<ThreadPages> threads, ToLongFunction<ThreadPages> key,
            long begin, long end, int limit) {
        List<ThreadPages> sorted = new ArrayList<>(threads);
        sorted.sort(Comparator.comparingLong(key).reversed()); // stable, as Python's sorted(reverse=True)
        ResultTable t = new ResultTable(tc, begin, end);
        int n = 0;
        for (ThreadPages p : sorted) {
            t.add(new Value.Process(p.comm, -1, p.tid), Value.number(key.applyAsLong(p)));
            n++;
            if (limit > 0 && n >= limit) {
                break;
            }
        }
        return t;
    }

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        out.println(style.timerangeLine(begin, end));
        for (ResultTable t : tables) {
            String name = t.tableClass().name();
            if (name.equals(ALLOCD.name()) || name.equals(FREED.name())) {
                BarGraph g = new BarGraph(name.equals(ALLOCD.name()) ? "Per-TID Memory Allocations"
                        : "Per-TID Memory Deallocations", "Process");
                for (List<Value> row : t.rows()) {
                    Value.Process p = (Value.Process) row.get(0);
                    long pages = ((Value.Num) row.get(1)).longValue();
                    g.add(pages, pages + " pages", p.name() + " (" + p.tid() + ")");
                }
                g.print(out);
            }
        }
        for (ResultTable t : tables) {
            if (t.tableClass().name().equals(TOTAL.name())) {
                List<Value> row = t.rows().get(0);
                out.println();
                out.println("Total memory usage:");
                out.println("- " + ((Value.Num) row.get(0)).longValue() + " pages allocated");
                out.println("- " + ((Value.Num) row.get(1)).longValue() + " pages freed");
            }
        }
    }
}
