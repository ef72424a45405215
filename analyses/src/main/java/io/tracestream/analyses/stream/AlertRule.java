package io.tracestream.analyses.stream;

import java.io.Serializable;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One alert rule: {@code METRIC OP THRESHOLD [for N windows]}, e.g. {@code syscall.latency.p99 > 5ms for 3 windows}.
 *
 * <ul>
 *   <li>{@code METRIC}: a {@link Metric} name ({@code sched.latency.p99}, {@code cpu.usage}, ...);</li>
 *   <li>{@code OP}: {@code >}, {@code >=}, {@code <}, {@code <=}, {@code ==}, {@code !=};</li>
 *   <li>{@code THRESHOLD}: a number with the metric's unit: durations {@code ns}, {@code us} ({@code µs}),
 *       {@code ms}, {@code s} (required); percentages {@code 80} or {@code 80%}; rates {@code 1000}, {@code 1000/s},
 *       {@code 2k/s}, {@code 1.5M/s}; byte rates {@code 500}, {@code 500B/s}, {@code 10kB/s}, {@code 10MB/s},
 *       {@code 1GB/s} (powers of 1000) or {@code KiB/MiB/GiB} (powers of 1024), {@code /s} optional;</li>
 *   <li>{@code for N windows} (or {@code window}): the condition must hold in N consecutive windows to fire
 *       (default 1).</li>
 * </ul>
 * A window where the metric has no value (no system call in the window for a latency percentile) does not meet the
 * condition. Immutable and serializable.
 *
 * @param text      the rule as written (trimmed)
 * @param metric    the metric it watches
 * @param op        the comparison
 * @param threshold the threshold in the metric's base unit (ns, %, per second, bytes per second)
 * @param windows   consecutive windows needed to fire (at least 1)
 */
public record AlertRule(String text, Metric metric, Op op, double threshold, int windows) implements Serializable {

    /** A comparison of a metric's value with the threshold. */
    public enum Op {
        GT(">"), GE(">="), LT("<"), LE("<="), EQ("=="), NE("!=");

        private final String symbol;

        Op(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        /** {@code value OP threshold}. */
        public boolean test(double value, double threshold) {
            return switch (this) {
                case GT -> value > threshold;
                case GE -> value >= threshold;
                case LT -> value < threshold;
                case LE -> value <= threshold;
                case EQ -> value == threshold;
                case NE -> value != threshold;
            };
        }
    }

    private static final Pattern RULE = Pattern.compile(
            "\\s*([a-z0-9_.]+)\\s*(>=|<=|==|!=|>|<)\\s*([0-9]+(?:\\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)\\s*([^\\s]*)"
                    + "(?:\\s+for\\s+([0-9]+)\\s+windows?)?\\s*");

    public AlertRule {
        if (windows < 1) {
            throw new IllegalArgumentException("an alert rule needs at least 1 window");
        }
    }

    /**
     * Parses a rule.
     *
     * @throws IllegalArgumentException with a one-line message naming what is wrong (unknown metric, unit, syntax)
     */
    public static AlertRule parse(String rule) {
        Matcher m = RULE.matcher(rule);
        if (!m.matches()) {
            throw new IllegalArgumentException("alert rule '" + rule.trim() + "': expected METRIC OP VALUE[UNIT] "
                    + "[for N windows], e.g. 'syscall.latency.p99 > 5ms for 3 windows'");
        }
        Metric metric = Metric.byKey(m.group(1));
        if (metric == null) {
            throw new IllegalArgumentException("alert rule '" + rule.trim() + "': unknown metric '" + m.group(1)
                    + "' (known: " + String.join(", ", Metric.keys()) + ")");
        }
        Op op = null;
        for (Op o : Op.values()) {
            if (o.symbol.equals(m.group(2))) {
                op = o;
            }
        }
        double number = Double.parseDouble(m.group(3));
        double threshold = number * unitFactor(rule.trim(), metric, m.group(4));
        int windows = 1;
        if (m.group(5) != null) {
            try {
                windows = Integer.parseInt(m.group(5));
            } catch (NumberFormatException e) {
                windows = 0;
            }
            if (windows < 1 || windows > 1_000_000) {
                throw new IllegalArgumentException("alert rule '" + rule.trim() + "': 'for N windows' needs N from 1"
                        + " to 1000000");
            }
        }
        return new AlertRule(rule.trim(), metric, op, threshold, windows);
    }

    /** The factor from the written unit to the metric's base unit. */
    private static double unitFactor(String rule, Metric metric, String unit) {
        String u = unit; // case-sensitive: MB, not mb
        switch (metric.unit()) {
            case DURATION:
                switch (u) {
                    case "ns":
                        return 1;
                    case "us":
                    case "µs":
                        return 1e3;
                    case "ms":
                        return 1e6;
                    case "s":
                        return 1e9;
                    default:
                        throw badUnit(rule, metric, unit, "ns, us, ms or s");
                }
            case PERCENT:
                if (u.isEmpty() || u.equals("%")) {
                    return 1;
                }
                throw badUnit(rule, metric, unit, "% (or none)");
            case RATE: {
                String s = u.endsWith("/s") ? u.substring(0, u.length() - 2) : u;
                switch (s) {
                    case "":
                        return 1;
                    case "k":
                        return 1e3;
                    case "M":
                        return 1e6;
                    case "G":
                        return 1e9;
                    default:
                        throw badUnit(rule, metric, unit, "/s, k/s, M/s or none");
                }
            }
            case BYTE_RATE: {
                String s = u.endsWith("/s") ? u.substring(0, u.length() - 2) : u;
                switch (s) {
                    case "":
                    case "B":
                        return 1;
                    case "kB":
                    case "KB":
                        return 1e3;
                    case "MB":
                        return 1e6;
                    case "GB":
                        return 1e9;
                    case "KiB":
                        return 1024;
                    case "MiB":
                        return 1024 * 1024;
                    case "GiB":
                        return 1024 * 1024 * 1024;
                    default:
                        throw badUnit(rule, metric, unit, "B/s, kB/s, MB/s, GB/s, KiB/s, MiB/s, GiB/s or none");
                }
            }
            default:
                throw new IllegalStateException();
        }
    }

    private static IllegalArgumentException badUnit(String rule, Metric metric, String unit, String expected) {
        return new IllegalArgumentException("alert rule '" + rule + "': " + metric.key() + " takes " + expected
                + (unit.isEmpty() ? ", not a bare number" : ", not '" + unit + "'"));
    }

    /** True when {@code value} meets the condition (NaN never does). */
    public boolean test(double value) {
        return !Double.isNaN(value) && op.test(value, threshold);
    }

    @Override
    public String toString() {
        return text;
    }
}
