package io.tracestream.analyses;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * Text output settings shared by the analyses' text layouts: time zone (lttng-analyses' {@code --gmt}) and whether
 * timestamps show the date (traces spanning several days).
 *
 * @param zone     time zone of printed timestamps
 * @param multiDay print dates in per-event timestamps
 */
public record TextStyle(ZoneId zone, boolean multiDay) {

    /** UTC, times of day only. */
    public static TextStyle utc() {
        return new TextStyle(ZoneOffset.UTC, false);
    }

    /** {@code HH:MM:SS.nnnnnnnnn}, with {@code YYYY-MM-DD } before it when {@code withDate}. */
    public String timestamp(long ns, boolean withDate) {
        long sec = Math.floorDiv(ns, 1_000_000_000L);
        long frac = Math.floorMod(ns, 1_000_000_000L);
        ZonedDateTime t = Instant.ofEpochSecond(sec).atZone(zone);
        // by hand, not String.format: a java.util.Formatter costs more than the rest of a small run's output
        StringBuilder sb = new StringBuilder(30);
        if (withDate) {
            int year = t.getYear();
            if (year < 0 || year > 9999) {
                sb.append(String.format("%04d", year));
            } else {
                pad(sb, year, 4);
            }
            pad(sb.append('-'), t.getMonthValue(), 2);
            pad(sb.append('-'), t.getDayOfMonth(), 2);
            sb.append(' ');
        }
        pad(sb, t.getHour(), 2);
        pad(sb.append(':'), t.getMinute(), 2);
        pad(sb.append(':'), t.getSecond(), 2);
        pad(sb.append('.'), frac, 9);
        return sb.toString();
    }

    /** Appends {@code v} (not negative) in at least {@code width} digits, zeros first. */
    private static void pad(StringBuilder sb, long v, int width) {
        String digits = Long.toString(v);
        for (int k = digits.length(); k < width; k++) {
            sb.append('0');
        }
        sb.append(digits);
    }

    /** A per-event timestamp (date only for multi-day traces). */
    public String timestamp(long ns) {
        return timestamp(ns, multiDay);
    }

    /** {@code Timerange: [BEGIN, END]} with dates, as lttng-analyses prints it before each period. */
    public String timerangeLine(long begin, long end) {
        return "Timerange: [" + timestamp(begin, true) + ", " + timestamp(end, true) + "]";
    }
}
