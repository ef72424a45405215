package io.tracestream.analyses.stream;

import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Histogram;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.Value;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The metrics of one window, derived from the window's analysis results (the batch analyses' tables, so the numbers
 * are theirs): scalar {@link Metric}s ({@link #values()}) and ranked lists ({@link #ranked()}, e.g. the CPU usage of
 * each thread). Latency percentiles come from the analyses' log-linear {@link Histogram}s (within 6.25 %, see
 * {@link Histogram#quantile}; capped at the exact maximum); maxima, counts and usages are exact.
 *
 * <p>Ranked lists: {@value #THREAD_CPU} (percent of one CPU per thread, the idle thread left out), {@value #CPU}
 * (percent per CPU), {@value #IRQ} and {@value #SOFTIRQ} (handled per second per IRQ line / softirq vector),
 * {@value #SYSCALL} (calls per second per system call name), {@value #IO_READ} and {@value #IO_WRITE} (bytes per
 * second per process). Each is sorted by decreasing value, zeros left out; I/O and CPU totals cover the rows of the
 * analyses' tables, so run them with {@code top} 0 (all rows) for exact totals, as {@code tracestream watch} does.
 */
public final class WindowMetrics implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String THREAD_CPU = "cpu.usage.thread";
    public static final String CPU = "cpu.usage.cpu";
    public static final String IRQ = "irq.rate.line";
    public static final String SOFTIRQ = "softirq.rate.vector";
    public static final String SYSCALL = "syscall.rate.name";
    public static final String IO_READ = "io.read.process";
    public static final String IO_WRITE = "io.write.process";

    /** One entry of a ranked list: a label ({@code "bash (1234)"}) and its value in the list's unit. */
    public record Ranked(String label, double value) implements Serializable {
    }

    private final long index;
    private final long begin;
    private final long end;
    private final Map<String, Double> values;
    private final Map<String, List<Ranked>> ranked;

    public WindowMetrics(long index, long begin, long end, Map<String, Double> values,
            Map<String, List<Ranked>> ranked) {
        this.index = index;
        this.begin = begin;
        this.end = end;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.ranked = Collections.unmodifiableMap(new LinkedHashMap<>(ranked));
    }

    /** The window number (0 for the first window). */
    public long index() {
        return index;
    }

    /** The window's beginning (ns from the clock origin). */
    public long begin() {
        return begin;
    }

    /** Its end (ns): the next window's beginning, or the last event's time for the last, partial window. */
    public long end() {
        return end;
    }

    /** Metric name ({@link Metric#key()}) to value in base units; a metric without a value is absent. */
    public Map<String, Double> values() {
        return values;
    }

    /** The value of a metric, or NaN. */
    public double get(Metric m) {
        Double v = values.get(m.key());
        return v == null ? Double.NaN : v;
    }

    /** List name to entries, by decreasing value. */
    public Map<String, List<Ranked>> ranked() {
        return ranked;
    }

    /** A ranked list, empty when absent. */
    public List<Ranked> ranked(String name) {
        return ranked.getOrDefault(name, List.of());
    }

    /**
     * Derives the metrics from the window's results (one period each, as {@link WindowedRunner} gives them).
     *
     * @param events the number of events in the window
     */
    public static WindowMetrics of(long index, long begin, long end, List<AnalysisResult> results, long events) {
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, List<Ranked>> r = new LinkedHashMap<>();
        double seconds = Math.max(1, end - begin) / 1e9;
        Histogram sched = null;
        Histogram syscalls = null;
        Map<String, Double> perSyscall = new LinkedHashMap<>();
        for (AnalysisResult res : results) {
            if (res.periods().isEmpty()) {
                continue;
            }
            String name = res.analysis().name();
            for (ResultTable t : res.periods().get(0).tables()) {
                String cls = t.tableClass().name();
                if (cls.equals(Histogram.TABLE.name())) {
                    for (int i = 0; i < t.rows().size(); i++) {
                        String group = text(t, i, "group");
                        long lower = (long) num(t, i, "lower");
                        long count = (long) num(t, i, "count");
                        if (group.equals("Scheduling latency") && text(t, i, "series").equals("all threads")) {
                            sched = sched == null ? new Histogram() : sched;
                            sched.addBucket(lower, count);
                        } else if (group.equals("System call duration")) {
                            syscalls = syscalls == null ? new Histogram() : syscalls;
                            syscalls.addBucket(lower, count);
                            perSyscall.merge(text(t, i, "series"), (double) count, Double::sum);
                        }
                    }
                    continue;
                }
                switch (name) {
                    case "cputop" -> cputop(t, cls, v, r);
                    case "schedstats" -> {
                        if (cls.endsWith("stats")) {
                            max(v, Metric.SCHED_LATENCY_MAX, t, "max_latency");
                        }
                    }
                    case "syscallstats" -> {
                        if (cls.equals("per-tid")) {
                            max(v, Metric.SYSCALL_LATENCY_MAX, t, "max_duration");
                        }
                    }
                    case "irqstats" -> irqstats(t, cls, seconds, v, r);
                    case "iousagetop" -> iousage(t, cls, seconds, v, r);
                    default -> {
                    }
                }
            }
        }
        if (sched != null) {
            percentiles(v, sched, Metric.SCHED_LATENCY_P50, Metric.SCHED_LATENCY_P90, Metric.SCHED_LATENCY_P99,
                    Metric.SCHED_LATENCY_MAX);
            v.put(Metric.SCHED_RATE.key(), sched.count() / seconds);
        }
        if (syscalls != null) {
            percentiles(v, syscalls, Metric.SYSCALL_LATENCY_P50, Metric.SYSCALL_LATENCY_P90,
                    Metric.SYSCALL_LATENCY_P99, Metric.SYSCALL_LATENCY_MAX);
            v.put(Metric.SYSCALL_RATE.key(), syscalls.count() / seconds);
            List<Ranked> calls = new ArrayList<>();
            perSyscall.forEach((k, n) -> calls.add(new Ranked(k, n / seconds)));
            r.put(SYSCALL, sorted(calls));
        }
        v.put(Metric.EVENTS_RATE.key(), events / seconds);
        // keep the declaration order of the metrics
        Map<String, Double> ordered = new LinkedHashMap<>();
        for (Metric m : Metric.values()) {
            Double x = v.get(m.key());
            if (x != null && !x.isNaN()) {
                ordered.put(m.key(), x);
            }
        }
        return new WindowMetrics(index, begin, end, ordered, r);
    }

    /** p50, p90, p99 from the histogram, never above the exact maximum (a bucket's middle may be). */
    private static void percentiles(Map<String, Double> v, Histogram h, Metric p50, Metric p90, Metric p99,
            Metric max) {
        Double m = v.get(max.key());
        double cap = m == null ? Double.MAX_VALUE : m;
        v.put(p50.key(), Math.min(cap, h.quantile(0.50)));
        v.put(p90.key(), Math.min(cap, h.quantile(0.90)));
        v.put(p99.key(), Math.min(cap, h.quantile(0.99)));
    }

    private static void cputop(ResultTable t, String cls, Map<String, Double> v, Map<String, List<Ranked>> r) {
        switch (cls) {
            case "total" -> {
                if (!t.rows().isEmpty()) {
                    v.put(Metric.CPU_USAGE.key(), num(t, 0, "usage") * 100);
                }
            }
            case "per-process" -> {
                List<Ranked> threads = new ArrayList<>();
                for (int i = 0; i < t.rows().size(); i++) {
                    double u = num(t, i, "usage") * 100;
                    if (t.get(i, "process") instanceof Value.Process p && p.tid() != 0 && u > 0) {
                        threads.add(new Ranked(p.text(), u));
                    }
                }
                r.put(THREAD_CPU, sorted(threads));
                v.put(Metric.CPU_USAGE_THREAD_MAX.key(), threads.isEmpty() ? 0.0 : r.get(THREAD_CPU).get(0).value());
            }
            case "per-cpu" -> {
                List<Ranked> cpus = new ArrayList<>();
                for (int i = 0; i < t.rows().size(); i++) {
                    cpus.add(new Ranked("CPU " + t.get(i, "cpu").text(), num(t, i, "usage") * 100));
                }
                r.put(CPU, cpus);
            }
            default -> {
            }
        }
    }

    private static void irqstats(ResultTable t, String cls, double seconds, Map<String, Double> v,
            Map<String, List<Ranked>> r) {
        boolean hard = cls.equals("hard-stats");
        if (!hard && !cls.equals("soft-stats")) {
            return;
        }
        double total = 0;
        List<Ranked> lines = new ArrayList<>();
        for (int i = 0; i < t.rows().size(); i++) {
            double n = num(t, i, "count");
            total += n;
            lines.add(new Ranked(t.get(i, "irq").text(), n / seconds));
        }
        v.put((hard ? Metric.IRQ_RATE : Metric.SOFTIRQ_RATE).key(), total / seconds);
        r.put(hard ? IRQ : SOFTIRQ, sorted(lines));
        if (hard) {
            max(v, Metric.IRQ_DURATION_MAX, t, "max_duration");
        }
    }

    private static void iousage(ResultTable t, String cls, double seconds, Map<String, Double> v,
            Map<String, List<Ranked>> r) {
        if (!cls.equals("per-process-top") || t.subtitle() == null) {
            return;
        }
        boolean read = t.subtitle().equals("read");
        double total = 0;
        List<Ranked> procs = new ArrayList<>();
        for (int i = 0; i < t.rows().size(); i++) {
            double n = num(t, i, "size");
            total += n;
            if (n > 0) {
                procs.add(new Ranked(t.get(i, "process").text(), n / seconds));
            }
        }
        v.put((read ? Metric.IO_READ_RATE : Metric.IO_WRITE_RATE).key(), total / seconds);
        r.put(read ? IO_READ : IO_WRITE, sorted(procs));
    }

    private static void max(Map<String, Double> v, Metric m, ResultTable t, String column) {
        for (int i = 0; i < t.rows().size(); i++) {
            double x = num(t, i, column);
            if (!Double.isNaN(x)) {
                v.merge(m.key(), x, Math::max);
            }
        }
    }

    private static List<Ranked> sorted(List<Ranked> l) {
        l.sort((a, b) -> Double.compare(b.value(), a.value()));
        return List.copyOf(l);
    }

    private static double num(ResultTable t, int row, String column) {
        return t.get(row, column) instanceof Value.Num n ? n.asDouble() : Double.NaN;
    }

    private static String text(ResultTable t, int row, String column) {
        return t.get(row, column).text();
    }

    /**
     * The metrics as one JSON object: {@code {"index":..,"begin":..,"end":..,"values":{name:value},
     * "ranked":{name:[[label,value],...]}}} (ranked lists cut to {@code top} entries, 0 = all).
     */
    public String toJson(int top) {
        StringBuilder sb = new StringBuilder();
        sb.append("{\"index\":").append(index).append(",\"begin\":").append(begin).append(",\"end\":").append(end)
                .append(",\"values\":{");
        boolean first = true;
        for (Map.Entry<String, Double> e : values.entrySet()) {
            sb.append(first ? "" : ",");
            jsonString(sb, e.getKey());
            sb.append(':').append(jsonNumber(e.getValue()));
            first = false;
        }
        sb.append("},\"ranked\":{");
        first = true;
        for (Map.Entry<String, List<Ranked>> e : ranked.entrySet()) {
            sb.append(first ? "" : ",");
            jsonString(sb, e.getKey());
            sb.append(":[");
            List<Ranked> l = e.getValue();
            int n = top > 0 ? Math.min(top, l.size()) : l.size();
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "[" : ",[");
                jsonString(sb, l.get(i).label());
                sb.append(',').append(jsonNumber(l.get(i).value())).append(']');
            }
            sb.append(']');
            first = false;
        }
        return sb.append("}}").toString();
    }

    static String jsonNumber(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return "null";
        }
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d)
                : String.format(Locale.ROOT, "%.6g", d);
    }

    /** Appends {@code s} as a JSON string ({@code <} escaped, so it is safe inside an HTML script). */
    public static void jsonString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '<' -> sb.append("\\u003c");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
