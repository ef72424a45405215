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
        String time = String.format("%02d:%02d:%02d.%09d", t.getHour(), t.getMinute(), t.getSecond(), frac);
        if (withDate) {
            return String.format("%04d-%02d-%02d ", t.getYear(), t.getMonthValue(), t.getDayOfMonth()) + time;
        }
        return time;
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
