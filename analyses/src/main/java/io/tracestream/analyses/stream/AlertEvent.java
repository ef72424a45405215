package io.tracestream.analyses.stream;

import java.io.Serializable;

/**
 * An alert that fired or resolved at the end of a window.
 *
 * @param rule        the rule
 * @param kind        fired or resolved
 * @param windowBegin the window's beginning (ns from the clock origin)
 * @param windowEnd   its end (ns)
 * @param value       the metric's value in that window (base unit; NaN when the window had none)
 * @param windows     for {@link Kind#FIRED}: consecutive windows the condition held; for {@link Kind#RESOLVED}: how
 *                    many windows the alert was firing
 */
public record AlertEvent(AlertRule rule, Kind kind, long windowBegin, long windowEnd, double value, int windows)
        implements Serializable {

    /** What happened to the alert. */
    public enum Kind { FIRED, RESOLVED }

    /**
     * One line for people, e.g. {@code ALERT FIRED syscall.latency.p99 > 5ms for 3 windows (value 7.21 ms, 3
     * windows) at WINDOW-END}, without the time (the caller adds it in its own format).
     */
    public String describe() {
        String v = rule.metric().format(value);
        return kind == Kind.FIRED
                ? "ALERT FIRED    " + rule.text() + " (value " + v + ", " + windows + " window"
                        + (windows == 1 ? "" : "s") + ")"
                : "ALERT RESOLVED " + rule.text() + " (value " + v + ", fired for " + windows + " window"
                        + (windows == 1 ? "" : "s") + ")";
    }
}
