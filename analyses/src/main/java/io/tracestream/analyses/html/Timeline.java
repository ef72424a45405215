package io.tracestream.analyses.html;

import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.ThreadState;
import io.tracestream.analyses.ThreadStatesAnalysis;
import io.tracestream.analyses.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-CPU timeline data: which thread ran on each CPU over time, from the {@code threadstates} intervals
 * (state running). Big traces stay responsive: the report gets aggregated levels (per CPU, a fixed number of buckets
 * over the whole range, each with its dominant thread and busy fraction, run-length encoded), and the raw intervals
 * only up to {@link HtmlReport#RAW_MAX}; the page draws the level that matches the zoom.
 */
final class Timeline {
    private Timeline() {
    }

    /** One thread seen running. */
    private static final class Thread {
        final long tid;
        long pid;
        String name;
        long run;
        int index;

        Thread(long tid) {
            this.tid = tid;
        }
    }

    static void write(Json j, List<AnalysisResult> results, long begin, long end) {
        TreeMap<Long, List<long[]>> byCpu = new TreeMap<>(); // cpu -> {begin, end, tid}
        Map<Long, Thread> threads = new LinkedHashMap<>();
        boolean found = false;
        String running = ThreadState.RUNNING.label();
        for (AnalysisResult r : results) {
            if (!(r.analysis() instanceof ThreadStatesAnalysis) || found) {
                continue;
            }
            found = true;
            for (AnalysisResult.Period p : r.periods()) {
                for (ResultTable t : p.tables()) {
                    if (!t.tableClass().name().equals("thread-state-intervals")) {
                        continue;
                    }
                    int cProc = t.tableClass().indexOf("process");
                    int cState = t.tableClass().indexOf("state");
                    int cBegin = t.tableClass().indexOf("begin");
                    int cEnd = t.tableClass().indexOf("end");
                    int cCpu = t.tableClass().indexOf("cpu");
                    for (List<Value> row : t.rows()) {
                        if (!running.equals(row.get(cState).text()) || !(row.get(cCpu) instanceof Value.Cpu cpu)
                                || cpu.id() < 0) {
                            continue;
                        }
                        Value.Process proc = (Value.Process) row.get(cProc);
                        long b = ((Value.Num) row.get(cBegin)).longValue();
                        long e = ((Value.Num) row.get(cEnd)).longValue();
                        Thread th = threads.computeIfAbsent(proc.tid(), Thread::new);
                        th.name = proc.name();
                        th.pid = proc.pid();
                        th.run += e - b;
                        byCpu.computeIfAbsent(cpu.id(), k -> new ArrayList<>()).add(new long[] {b, e, proc.tid()});
                    }
                }
            }
        }
        List<Thread> order = new ArrayList<>(threads.values());
        order.sort((a, b) -> a.run != b.run ? Long.compare(b.run, a.run) : Long.compare(a.tid, b.tid));
        for (int i = 0; i < order.size(); i++) {
            order.get(i).index = i;
        }
        long total = 0;
        for (List<long[]> l : byCpu.values()) {
            l.sort((a, b) -> Long.compare(a[0], b[0]));
            total += l.size();
        }
        j.begin().field("available", found).field("intervals", total);
        j.key("cpus").array();
        for (long c : byCpu.keySet()) {
            j.value(c);
        }
        j.endArray();
        j.key("threads").array();
        for (Thread t : order) {
            j.array().value(t.tid).value(t.pid).value(t.name).value(t.run).endArray();
        }
        j.endArray();
        j.key("raw");
        if (total <= HtmlReport.RAW_MAX) {
            j.array();
            for (List<long[]> l : byCpu.values()) {
                j.array();
                for (long[] iv : l) {
                    j.value(iv[0] - begin).value(iv[1] - begin).value(threads.get(iv[2]).index);
                }
                j.endArray();
            }
            j.endArray();
        } else {
            j.nul();
        }
        j.key("levels").array();
        long span = end - begin;
        int cpus = Math.max(1, byCpu.size());
        long maxPerCpu = 0;
        for (List<long[]> l : byCpu.values()) {
            maxPerCpu = Math.max(maxPerCpu, l.size());
        }
        for (int n = 512; (long) n * cpus <= HtmlReport.LEVEL_CELLS && span >= n; n *= 4) {
            j.begin().field("n", n);
            j.key("cpus").array();
            for (List<long[]> l : byCpu.values()) {
                level(j, l, threads, begin, span, n);
            }
            j.endArray();
            j.end();
            if (total <= HtmlReport.RAW_MAX && n >= 4 * maxPerCpu) {
                break; // the raw intervals are finer than any further level
            }
        }
        j.endArray();
        j.end();
    }

    /** One CPU at n buckets: run-length triples (repeat, dominant thread index or -1, busy percent). */
    private static void level(Json j, List<long[]> l, Map<Long, Thread> threads, long begin, long span, int n) {
        j.array();
        Map<Integer, Long> time = new HashMap<>();
        int lo = 0;
        int runT = Integer.MIN_VALUE;
        int runB = -1;
        int runN = 0;
        int m = l.size();
        for (int k = 0; k < n; k++) {
            long b = begin + (long) ((double) span * k / n);
            long e = begin + (long) ((double) span * (k + 1) / n);
            while (lo < m && l.get(lo)[1] <= b) {
                lo++;
            }
            time.clear();
            long busy = 0;
            for (int i = lo; i < m && l.get(i)[0] < e; i++) {
                long ov = Math.min(l.get(i)[1], e) - Math.max(l.get(i)[0], b);
                if (ov > 0) {
                    busy += ov;
                    time.merge(threads.get(l.get(i)[2]).index, ov, Long::sum);
                }
            }
            int dom = -1;
            long best = -1;
            for (Map.Entry<Integer, Long> te : time.entrySet()) {
                if (te.getValue() > best || (te.getValue() == best && te.getKey() < dom)) {
                    best = te.getValue();
                    dom = te.getKey();
                }
            }
            int pct = e > b ? (int) Math.min(100, Math.round(100.0 * busy / (e - b))) : 0;
            if (busy > 0 && pct == 0) {
                pct = 1;
            }
            if (dom == runT && pct == runB) {
                runN++;
            } else {
                if (runN > 0) {
                    j.value(runN).value(runT).value(runB);
                }
                runT = dom;
                runB = pct;
                runN = 1;
            }
        }
        if (runN > 0) {
            j.value(runN).value(runT).value(runB);
        }
        j.endArray();
    }

}
