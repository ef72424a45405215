package io.tracestream.analyses.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * The scalar metrics of one window ({@link WindowMetrics#values()}), the names alert rules use. Values are in base
 * units: durations in nanoseconds, usages in percent, rates per second of window.
 */
public enum Metric {
    CPU_USAGE("cpu.usage", Unit.PERCENT, "cputop", "total CPU usage (mean over the CPUs, lttng-cputop's total)"),
    CPU_USAGE_THREAD_MAX("cpu.usage.thread.max", Unit.PERCENT, "cputop",
            "highest per-thread CPU usage (100 % = one CPU)"),
    SCHED_LATENCY_P50("sched.latency.p50", Unit.DURATION, "schedstats", "median wakeup → switch-in latency"),
    SCHED_LATENCY_P90("sched.latency.p90", Unit.DURATION, "schedstats", "90th percentile scheduling latency"),
    SCHED_LATENCY_P99("sched.latency.p99", Unit.DURATION, "schedstats", "99th percentile scheduling latency"),
    SCHED_LATENCY_MAX("sched.latency.max", Unit.DURATION, "schedstats", "maximum scheduling latency (exact)"),
    SCHED_RATE("sched.rate", Unit.RATE, "schedstats", "wakeups followed by a switch-in, per second"),
    SYSCALL_LATENCY_P50("syscall.latency.p50", Unit.DURATION, "syscallstats", "median system call duration"),
    SYSCALL_LATENCY_P90("syscall.latency.p90", Unit.DURATION, "syscallstats", "90th percentile system call duration"),
    SYSCALL_LATENCY_P99("syscall.latency.p99", Unit.DURATION, "syscallstats", "99th percentile system call duration"),
    SYSCALL_LATENCY_MAX("syscall.latency.max", Unit.DURATION, "syscallstats", "longest system call (exact)"),
    SYSCALL_RATE("syscall.rate", Unit.RATE, "syscallstats", "system calls completed per second"),
    IRQ_RATE("irq.rate", Unit.RATE, "irqstats", "hardware interrupts handled per second"),
    SOFTIRQ_RATE("softirq.rate", Unit.RATE, "irqstats", "software interrupts handled per second"),
    IRQ_DURATION_MAX("irq.duration.max", Unit.DURATION, "irqstats", "longest hardware interrupt handler (exact)"),
    IO_READ_RATE("io.read.rate", Unit.BYTE_RATE, "iousagetop", "bytes read per second by processes (system calls)"),
    IO_WRITE_RATE("io.write.rate", Unit.BYTE_RATE, "iousagetop",
            "bytes written per second by processes (system calls)"),
    EVENTS_RATE("events.rate", Unit.RATE, "(any)", "events per second in the window");

    /** How a metric's values are measured, and which units a rule may write its threshold in. */
    public enum Unit {
        /** Nanoseconds; thresholds in ns, us (µs), ms, s. */
        DURATION,
        /** Percent; thresholds as {@code 80%} or {@code 80}. */
        PERCENT,
        /** Per second; thresholds as {@code 1000}, {@code 1000/s}, {@code 2k/s}. */
        RATE,
        /** Bytes per second; thresholds as {@code 10MB/s}, {@code 512KiB/s}, {@code 1000B/s}, or a plain number. */
        BYTE_RATE
    }

    private final String key;
    private final Unit unit;
    private final String analysis;
    private final String description;

    Metric(String key, Unit unit, String analysis, String description) {
        this.key = key;
        this.unit = unit;
        this.analysis = analysis;
        this.description = description;
    }

    /** The name rules use ({@code syscall.latency.p99}). */
    public String key() {
        return key;
    }

    public Unit unit() {
        return unit;
    }

    /** The analysis that gives it ({@code syscallstats}), as {@code tracestream watch} names it. */
    public String analysis() {
        return analysis;
    }

    public String description() {
        return description;
    }

    /** The metric of that name, or null. */
    public static Metric byKey(String key) {
        for (Metric m : values()) {
            if (m.key.equals(key)) {
                return m;
            }
        }
        return null;
    }

    /** Every metric name, in declaration order. */
    public static List<String> keys() {
        List<String> k = new ArrayList<>();
        for (Metric m : values()) {
            k.add(m.key);
        }
        return k;
    }

    /** A value in this metric's unit, for people: {@code 1.25 ms}, {@code 37.5 %}, {@code 1.2 k/s}, {@code 3 MB/s}. */
    public String format(double v) {
        return switch (unit) {
            case DURATION -> formatDuration(v);
            case PERCENT -> String.format(java.util.Locale.ROOT, "%.1f %%", v);
            case RATE -> formatScaled(v, 1000, new String[] {"", "k", "M", "G"}) + "/s";
            case BYTE_RATE -> formatScaled(v, 1000, new String[] {"B", "kB", "MB", "GB"}) + "/s";
        };
    }

    /** A duration in ns for people ({@code 850 ns}, {@code 12.3 us}, {@code 4.56 ms}, {@code 1.20 s}). */
    public static String formatDuration(double ns) {
        if (Double.isNaN(ns)) {
            return "-";
        }
        if (ns < 1_000) {
            return String.format(java.util.Locale.ROOT, "%.0f ns", ns);
        }
        if (ns < 1_000_000) {
            return String.format(java.util.Locale.ROOT, "%.1f us", ns / 1e3);
        }
        if (ns < 1_000_000_000) {
            return String.format(java.util.Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(java.util.Locale.ROOT, "%.2f s", ns / 1e9);
    }

    private static String formatScaled(double v, double base, String[] units) {
        int i = 0;
        while (Math.abs(v) >= base && i < units.length - 1) {
            v /= base;
            i++;
        }
        String sep = units[i].isEmpty() ? "" : " ";
        return (i == 0 && v == Math.rint(v) ? String.format(java.util.Locale.ROOT, "%.0f", v)
                : String.format(java.util.Locale.ROOT, "%.1f", v)) + sep + units[i];
    }
}
