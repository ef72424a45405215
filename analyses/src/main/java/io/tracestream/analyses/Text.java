package io.tracestream.analyses;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/** Text layout helpers reproducing lttng-analyses' formatting (Python format specs, bar graphs). */
public final class Text {
    static final int GRAPH_WIDTH = 80;
    static final String BAR = "\u2588";

    private Text() {
    }

    /** Python's {@code '{:.Nf}'.format(d)}: round half even on the exact binary value. */
    public static String fixed(double d, int decimals) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return Floats.repr(d);
        }
        String s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        if (s.startsWith("-") && new BigDecimal(s).signum() == 0) {
            return s; // Python keeps the sign of negative zero results ("-0.00")
        }
        return s;
    }

    /** Left-aligned in {@code width} (Python {@code '{:<W}'}). */
    public static String left(String s, int width) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < width) {
            sb.append(' ');
        }
        return sb.toString();
    }

    /** Right-aligned in {@code width} (Python {@code '{:>W}'}). */
    public static String right(String s, int width) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }

    /** Centered in {@code width} (Python {@code '{:^W}'}: extra space on the right). */
    public static String center(String s, int width) {
        int pad = width - s.length();
        if (pad <= 0) {
            return s;
        }
        int l = pad / 2;
        return " ".repeat(l) + s + " ".repeat(pad - l);
    }

    /** A bar of one row of a bar graph. */
    record Bar(double value, String valueStr, String label) {
    }

    /**
     * lttng-analyses' {@code termgraph.BarGraph}: title (and label header), a line of '#', one bar per row, an empty
     * line; nothing when there are no rows.
     */
    static void barGraph(PrintStream out, String title, String labelHeader, String unit, List<Bar> rows) {
        if (rows.isEmpty()) {
            return;
        }
        double max = 0;
        int maxLen = 0;
        List<Bar> data = new ArrayList<>();
        for (Bar b : rows) {
            String vs = b.valueStr() + (unit != null ? " " + unit : "");
            data.add(new Bar(b.value(), vs, b.label()));
            if (b.value() > max) {
                max = b.value();
            }
            maxLen = Math.max(maxLen, vs.length());
        }
        if (labelHeader == null) {
            out.println(title);
        } else {
            out.println(title + " ".repeat(GRAPH_WIDTH - title.length() + 1 + maxLen + 1) + labelHeader);
        }
        out.println("#".repeat(GRAPH_WIDTH));
        for (Bar b : data) {
            int w = max == 0 ? 0 : (int) (GRAPH_WIDTH * b.value() / max);
            String bar = BAR.repeat(w) + " ".repeat(GRAPH_WIDTH - w);
            out.println(bar + " " + " ".repeat(maxLen - b.valueStr().length()) + b.valueStr() + " " + b.label());
        }
        out.println();
    }

    /** lttng-analyses' {@code format_prio_list}: unique priorities, sorted, with counts when repeated. */
    static String prioList(List<Integer> prios) {
        java.util.TreeMap<Integer, Integer> counts = new java.util.TreeMap<>();
        for (Integer p : prios) {
            counts.merge(p, 1, Integer::sum);
        }
        StringBuilder sb = new StringBuilder("[");
        boolean first = true;
        for (var e : counts.entrySet()) {
            if (!first) {
                sb.append(", ");
            }
            first = false;
            sb.append(e.getKey());
            if (e.getValue() > 1) {
                sb.append(" (").append(e.getValue()).append(" times)");
            }
        }
        return sb.append("]").toString();
    }
}
