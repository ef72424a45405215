package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.List;

/** Text layout helpers reproducing lttng-analyses' formatting (Python format specs, bar graphs). */
public final class Text {

    private Text() {
    }

    /** Python's {@code '{:.Nf}'.format(d)}: round half even on the exact binary value. */
    public static String fixed(double d, int decimals) {
        return Py.fixed(d, decimals);
    }

    /** Left-aligned in {@code width} (Python {@code '{:<W}'}). */
    public static String left(String s, int width) {
        return Py.left(s, width);
    }

    /** Right-aligned in {@code width} (Python {@code '{:>W}'}). */
    public static String right(String s, int width) {
        return Py.right(s, width);
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
        BarGraph g = new BarGraph(title, labelHeader);
        for (Bar b : rows) {
            g.add(b.value(), b.valueStr() + (unit != null ? " " + unit : ""), b.label());
        }
        g.print(out);
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
