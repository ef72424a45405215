package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * lttng-analyses' text bar graph ({@code termgraph.BarGraph}): a title line with the label header, a line of
 * {@code #}, then one 80-column bar per datum followed by its value and label, then an empty line. Nothing is printed
 * without data. Internal: the one implementation for all the analyses' packages ({@link Text#barGraph} uses it);
 * public only so that sub-packages can use it, not a stable API.
 */
public final class BarGraph {
    private static final int WIDTH = 80;

    private record Datum(double value, String valueText, String label) {
    }

    private final String title;
    private final String labelHeader;
    private final List<Datum> data = new ArrayList<>();

    /** A graph titled {@code title}, with {@code labelHeader} (or null) above the labels. */
    public BarGraph(String title, String labelHeader) {
        this.title = title;
        this.labelHeader = labelHeader;
    }

    /** Adds a bar: its value, the value as printed (unit included) and its label. */
    public BarGraph add(double value, String valueText, String label) {
        data.add(new Datum(value, valueText, label));
        return this;
    }

    /** The default value text of lttng-analyses: {@code '{:0.02f}'} for floats, {@code str} for integers. */
    public static String valueText(double value, boolean integral, String unit) {
        String s = integral ? Long.toString((long) value) : Py.fixed(value, 2);
        return unit == null ? s : s + " " + unit;
    }

    /** Prints the graph (nothing without data). */
    public void print(PrintStream out) {
        if (data.isEmpty()) {
            return;
        }
        double max = 0;
        int maxLen = 0;
        for (Datum d : data) {
            if (d.value > max) {
                max = d.value;
            }
            maxLen = Math.max(maxLen, d.valueText.length());
        }
        if (labelHeader == null) {
            out.println(title);
        } else {
            out.println(title + " ".repeat(Math.max(0, WIDTH - title.length() + 1 + maxLen + 1)) + labelHeader);
        }
        out.println("#".repeat(WIDTH));
        for (Datum d : data) {
            int bar = max == 0 ? 0 : (int) (WIDTH * d.value / max);
            String barText = "\u2588".repeat(bar) + " ".repeat(WIDTH - bar);
            out.println(barText + " " + " ".repeat(maxLen - d.valueText.length()) + d.valueText + " " + d.label);
        }
        out.println();
    }
}
