package io.tracestream.cli;

import io.tracestream.analyses.stream.AlertRule;
import io.tracestream.analyses.stream.Metric;
import io.tracestream.analyses.stream.WindowMetrics;
import io.tracestream.analyses.stream.WindowResult;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * The terminal view of {@code tracestream watch}: one block of text per window — a header, the metrics of the
 * analyses asked for, their top lists and the alerts firing. On a terminal the block is redrawn in place (ANSI: cursor
 * home, clear screen); otherwise blocks are appended, separated by a blank line.
 */
final class WatchView {
    private static final String CLEAR = "\033[H\033[2J";
    private final String name;
    private final List<String> analyses;
    private final int top;
    private final long window;
    private final DateTimeFormatter clock;
    private final boolean redraw;

    WatchView(String name, List<String> analyses, int top, long window, ZoneId zone, boolean redraw) {
        this.name = name;
        this.analyses = analyses;
        this.top = top;
        this.window = window;
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
        this.redraw = redraw;
    }

    String render(WindowResult w, List<AlertRule> firing) {
        WindowMetrics m = w.metrics();
        StringBuilder b = new StringBuilder();
        if (redraw) {
            b.append(CLEAR);
        }
        b.append(String.format(Locale.ROOT, "tracestream watch %s  window %d of %s  [%s, %s]%s  %,d events%n",
                name, w.index(), Metric.formatDuration(window), time(w.begin()), time(w.end()),
                w.partial() ? " (partial)" : "", w.events()));
        for (String a : analyses) {
            switch (a) {
                case "cputop" -> {
                    line(b, "CPU usage", m, Metric.CPU_USAGE, Metric.CPU_USAGE_THREAD_MAX);
                    list(b, "Top threads (% of one CPU)", m.ranked(WindowMetrics.THREAD_CPU), Metric.CPU_USAGE);
                    list(b, "Per CPU", m.ranked(WindowMetrics.CPU), Metric.CPU_USAGE);
                }
                case "schedstats" -> line(b, "Scheduling latency", m, Metric.SCHED_LATENCY_P50,
                        Metric.SCHED_LATENCY_P90, Metric.SCHED_LATENCY_P99, Metric.SCHED_LATENCY_MAX,
                        Metric.SCHED_RATE);
                case "syscallstats" -> {
                    line(b, "System call latency", m, Metric.SYSCALL_LATENCY_P50, Metric.SYSCALL_LATENCY_P90,
                            Metric.SYSCALL_LATENCY_P99, Metric.SYSCALL_LATENCY_MAX, Metric.SYSCALL_RATE);
                    list(b, "Top system calls", m.ranked(WindowMetrics.SYSCALL), Metric.SYSCALL_RATE);
                }
                case "irqstats" -> {
                    line(b, "Interrupts", m, Metric.IRQ_RATE, Metric.SOFTIRQ_RATE, Metric.IRQ_DURATION_MAX);
                    list(b, "Top IRQ lines", m.ranked(WindowMetrics.IRQ), Metric.IRQ_RATE);
                    list(b, "Top softirqs", m.ranked(WindowMetrics.SOFTIRQ), Metric.SOFTIRQ_RATE);
                }
                case "iousagetop" -> {
                    line(b, "I/O", m, Metric.IO_READ_RATE, Metric.IO_WRITE_RATE);
                    list(b, "Top readers", m.ranked(WindowMetrics.IO_READ), Metric.IO_READ_RATE);
                    list(b, "Top writers", m.ranked(WindowMetrics.IO_WRITE), Metric.IO_WRITE_RATE);
                }
                default -> {
                }
            }
        }
        if (!firing.isEmpty()) {
            b.append("Alerts firing:\n");
            for (AlertRule r : firing) {
                b.append("  ! ").append(r.text()).append(" (now ").append(r.metric().format(m.get(r.metric())))
                        .append(")\n");
            }
        }
        if (!redraw) {
            b.append('\n');
        }
        return b.toString();
    }

    private String time(long ns) {
        return clock.format(Instant.ofEpochSecond(0, ns));
    }

    /** One line of metrics, each labelled with its name less the dotted prefix all of them share. */
    private static void line(StringBuilder b, String title, WindowMetrics m, Metric... metrics) {
        b.append(String.format(Locale.ROOT, "%-22s", title));
        String prefix = metrics[0].key().substring(0, metrics[0].key().lastIndexOf('.') + 1);
        for (Metric x : metrics) {
            while (!prefix.isEmpty() && !x.key().startsWith(prefix)) {
                int dot = prefix.lastIndexOf('.', prefix.length() - 2);
                prefix = dot < 0 ? "" : prefix.substring(0, dot + 1);
            }
        }
        for (Metric x : metrics) {
            String key = x.key().startsWith(prefix) ? x.key().substring(prefix.length()) : x.key();
            b.append("  ").append(key).append(' ').append(x.format(m.get(x)));
        }
        b.append('\n');
    }

    private void list(StringBuilder b, String title, List<WindowMetrics.Ranked> rows, Metric unit) {
        if (rows.isEmpty()) {
            return;
        }
        b.append("  ").append(title).append('\n');
        int n = top > 0 ? Math.min(top, rows.size()) : rows.size();
        for (int i = 0; i < n; i++) {
            b.append(String.format(Locale.ROOT, "    %12s  %s%n", unit.format(rows.get(i).value()),
                    rows.get(i).label()));
        }
    }
}
