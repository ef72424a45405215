package io.tracestream.sparktrace.report;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.ThreadStatesAnalysis;
import io.tracestream.analyses.Value;
import io.tracestream.sparktrace.report.SparkApp.Task;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where each task's time went according to the kernel: the task's interval (its thread's own start and end) joined on
 * its TID with the scheduling-state intervals of that thread ({@code threadstates} analysis of the kernel trace:
 * {@code sched_switch} states, wakeups, forks, exits). Per task: time on a CPU, runnable (waiting for a CPU), blocked
 * on I/O (uninterruptible sleep, D) and blocked on other waits (interruptible sleep, S: locks, futexes, sockets), and
 * the part no kernel interval covers (the thread's state was not known yet, or the kernel trace does not cover it).
 */
public final class KernelBreakdown {
    /** Time of one task per kernel state (ns). */
    public record Times(long running, long runnable, long blockedIo, long blocked, long other, long unknown) {
        public long total() {
            return running + runnable + blockedIo + blocked + other + unknown;
        }

        /** The state that took most of the task's known time: running, runnable, blocked-io or blocked. */
        public String dominant() {
            long[] v = {running, runnable, blockedIo, blocked};
            String[] n = {"running", "runnable", "blocked-io", "blocked"};
            int best = 0;
            for (int i = 1; i < v.length; i++) {
                if (v[i] > v[best]) {
                    best = i;
                }
            }
            return n[best];
        }

        /**
         * The states that took at least {@code minShare} of the task's time, largest first, as phrases
         * ({@code "62% waiting for a CPU"}); {@code withRunning} includes time on a CPU.
         */
        public java.util.List<String> phrases(double minShare, boolean withRunning) {
            long[] v = {running, runnable, blockedIo, blocked};
            String[] n = {"on a CPU", "waiting for a CPU", "blocked on I/O", "blocked on other waits"};
            Integer[] order = {0, 1, 2, 3};
            java.util.Arrays.sort(order, (a, b) -> Long.compare(v[b], v[a]));
            java.util.List<String> out = new java.util.ArrayList<>();
            for (int i : order) {
                if ((withRunning || i > 0) && v[i] > 0 && share(v[i]) >= minShare) {
                    out.add(String.format(java.util.Locale.ROOT, "%.0f%% %s", 100 * share(v[i]), n[i]));
                }
            }
            return out;
        }

        public double share(long part) {
            long t = total();
            return t == 0 ? 0 : (double) part / t;
        }
    }

    private final Map<Long, Times> byTask;
    private final List<Path> traces;
    private final long discardedEvents;

    private KernelBreakdown(Map<Long, Times> byTask, List<Path> traces, long discardedEvents) {
        this.byTask = byTask;
        this.traces = traces;
        this.discardedEvents = discardedEvents;
    }

    /** Events the kernel tracer lost (the breakdown of tasks running then may be wrong). */
    public long discardedEvents() {
        return discardedEvents;
    }

    /** The kernel traces used (empty: no kernel data, every lookup gives null). */
    public List<Path> traces() {
        return traces;
    }

    public boolean available() {
        return !traces.isEmpty();
    }

    /** The breakdown of a task, or null when no kernel data covers its thread. */
    public Times of(Task t) {
        return byTask.get(t.id);
    }

    /** No kernel data. */
    public static KernelBreakdown none() {
        return new KernelBreakdown(Map.of(), List.of(), 0);
    }

    /** Runs the thread-state model over the kernel traces of the application for the threads that ran tasks. */
    public static KernelBreakdown compute(SparkApp app) {
        if (app.kernelTraces().isEmpty()) {
            return none();
        }
        Set<Long> tids = new HashSet<>();
        for (Task t : app.tasks()) {
            if (t.threadInterval && t.tid > 0) {
                tids.add(t.tid);
            }
        }
        if (tids.isEmpty()) {
            return new KernelBreakdown(Map.of(), app.kernelTraces(), 0);
        }
        AnalysisConfig cfg = AnalysisConfig.defaults().withTids(tids).withIntersection(false)
                .withFlags(Set.of(ThreadStatesAnalysis.FLAG_INTERVALS));
        List<AnalysisResult> results = new LocalEngine().run(app.kernelTraces(), List.of(new ThreadStatesAnalysis()),
                cfg);
        // tid -> intervals {state, begin, end}
        Map<Long, List<long[]>> byTid = new HashMap<>();
        long lost = 0;
        for (AnalysisResult r : results) {
            lost = Math.max(lost, r.discardedEvents());
        }
        List<String> states = List.of("running", "runnable", "blocked-io", "blocked");
        for (AnalysisResult r : results) {
            for (AnalysisResult.Period p : r.periods()) {
                for (ResultTable table : p.tables()) {
                    if (!table.tableClass().name().equals("thread-state-intervals")) {
                        continue;
                    }
                    for (List<Value> row : table.rows()) {
                        long tid = ((Value.Process) row.get(0)).tid();
                        int state = states.indexOf(row.get(1).text());
                        long b = ((Value.Num) row.get(2)).longValue();
                        long e = ((Value.Num) row.get(3)).longValue();
                        byTid.computeIfAbsent(tid, k -> new ArrayList<>()).add(new long[] {state, b, e});
                    }
                }
            }
        }
        Map<Long, Times> out = new HashMap<>();
        for (Task t : app.tasks()) {
            List<long[]> iv = byTid.get(t.tid);
            if (!t.threadInterval || iv == null || t.durationNs() <= 0) {
                continue;
            }
            long[] sum = new long[5];
            long covered = 0;
            for (long[] i : iv) {
                long lo = Math.max(i[1], t.startNs);
                long hi = Math.min(i[2], t.endNs);
                if (hi > lo) {
                    sum[i[0] < 0 ? 4 : (int) i[0]] += hi - lo;
                    covered += hi - lo;
                }
            }
            out.put(t.id, new Times(sum[0], sum[1], sum[2], sum[3], sum[4], Math.max(0, t.durationNs() - covered)));
        }
        return new KernelBreakdown(out, app.kernelTraces(), lost);
    }
}
