package io.tracestream.ctf.text;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code --begin}/{@code --end} time as babeltrace2's trimmer reads it: {@code YYYY-MM-DD hh:mm[:ss[.ns]]},
 * {@code YYYY-MM-DD}, {@code hh:mm[:ss[.ns]]} (on the date of the first message), or {@code [-]s[.ns]} (seconds from
 * the clock origin). Dates and times of day are local unless {@code gmt}.
 */
public final class TimeBound {
    private static final String DATE = "([0-9]{4})-([0-9]{2})-([0-9]{2})";
    private static final String TIME = "([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\\.([0-9]{1,9}))?)?";
    private static final Pattern DATE_TIME = Pattern.compile(DATE + " " + TIME);
    private static final Pattern DATE_ONLY = Pattern.compile(DATE);
    private static final Pattern TIME_ONLY = Pattern.compile(TIME);
    private static final Pattern SECONDS = Pattern.compile("(-?)([0-9]+)(?:\\.([0-9]{1,9}))?");

    private final ZoneId zone;
    private long nanos;
    private boolean resolved;
    private final int hour;
    private final int minute;
    private final int second;
    private final int nano;

    private TimeBound(ZoneId zone, long nanos, boolean resolved, int hour, int minute, int second, int nano) {
        this.zone = zone;
        this.nanos = nanos;
        this.resolved = resolved;
        this.hour = hour;
        this.minute = minute;
        this.second = second;
        this.nano = nano;
    }

    /**
     * Parses a bound.
     *
     * @param zone the local time zone (ignored when {@code gmt})
     * @throws IllegalArgumentException with babeltrace2's message for a malformed value
     */
    public static TimeBound parse(String s, boolean gmt, ZoneId zone) {
        ZoneId z = gmt ? ZoneOffset.UTC : zone;
        Matcher m = DATE_TIME.matcher(s);
        if (m.matches()) {
            return new TimeBound(z, epochNanos(z, LocalDate.of(num(m, 1), num(m, 2), num(m, 3)), num(m, 4),
                    num(m, 5), num(m, 6), ns(m, 7)), true, 0, 0, 0, 0);
        }
        m = DATE_ONLY.matcher(s);
        if (m.matches()) {
            return new TimeBound(z, epochNanos(z, LocalDate.of(num(m, 1), num(m, 2), num(m, 3)), 0, 0, 0, 0), true,
                    0, 0, 0, 0);
        }
        m = TIME_ONLY.matcher(s);
        if (m.matches()) {
            return new TimeBound(z, 0, false, num(m, 1), num(m, 2), num(m, 3), ns(m, 4));
        }
        m = SECONDS.matcher(s);
        if (m.matches()) {
            long v = Long.parseLong(m.group(2)) * 1_000_000_000L + ns(m, 3);
            return new TimeBound(z, m.group(1).isEmpty() ? v : -v, true, 0, 0, 0, 0);
        }
        throw new IllegalArgumentException("Invalid date/time format: param=\"" + s + "\"");
    }

    private static int num(Matcher m, int g) {
        String v = m.group(g);
        return v == null ? 0 : Integer.parseInt(v);
    }

    /** Fractional digits as nanoseconds: "5" is 500000000. */
    private static int ns(Matcher m, int g) {
        String v = m.group(g);
        if (v == null) {
            return 0;
        }
        StringBuilder sb = new StringBuilder(v);
        while (sb.length() < 9) {
            sb.append('0');
        }
        return Integer.parseInt(sb.toString());
    }

    private static long epochNanos(ZoneId z, LocalDate d, int h, int mi, int s, int ns) {
        long sec = LocalDateTime.of(d, java.time.LocalTime.MIN).plusHours(h).plusMinutes(mi).plusSeconds(s)
                .atZone(z).toEpochSecond();
        return sec * 1_000_000_000L + ns;
    }

    /** Whether the bound still needs the first message's date ({@code hh:mm:ss} form). */
    public boolean needsDate() {
        return !resolved;
    }

    /** Fixes a time-of-day bound on the date of {@code firstMessageNanos} (in the bound's zone). */
    public void resolve(long firstMessageNanos) {
        if (resolved) {
            return;
        }
        long sec = Math.floorDiv(firstMessageNanos, 1_000_000_000L);
        LocalDate d = LocalDateTime.ofEpochSecond(sec, 0, zone.getRules().getOffset(
                java.time.Instant.ofEpochSecond(sec))).toLocalDate();
        nanos = epochNanos(zone, d, hour, minute, second, nano);
        resolved = true;
    }

    /** The bound in nanoseconds from the clock origin (valid once resolved). */
    public long nanos() {
        return nanos;
    }
}
