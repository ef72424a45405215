package io.tracestream.ctf.text;

import java.time.ZoneId;
import java.util.Locale;

/**
 * Options of {@link PrettyPrinter}, with the defaults of babeltrace2's {@code sink.text.pretty} component.
 *
 * <p>Field names ({@code -n}/{@code --names}): payload and context names shown, header and scope names hidden.
 * Header fields ({@code -f}/{@code --fields}): trace:hostname, trace:domain... as babeltrace2: hostname, procname
 * and vpid shown, the others hidden. Use {@link #names(String)} and {@link #fields(String)} to apply a
 * babeltrace2-style comma-separated list.
 */
public final class PrettyOptions {
    boolean noDelta;
    boolean clockCycles;
    boolean clockSeconds;
    boolean clockDate;
    boolean clockGmt;
    boolean color;

    boolean namePayload = true;
    boolean nameContext = true;
    boolean nameHeader;
    boolean nameScope;

    boolean fieldTrace;
    boolean fieldHostname = true;
    boolean fieldDomain;
    boolean fieldProcname = true;
    boolean fieldVpid = true;
    boolean fieldLoglevel;
    boolean fieldEmf;
    boolean fieldCallsite;

    ZoneId zone = ZoneId.systemDefault();
    /** Whether the discarded-items warnings carry terminal colour codes (babeltrace2: stdout and stderr are ttys). */
    boolean warningColors;

    public PrettyOptions() {
    }

    /** {@code --no-delta}: do not print the time since the previous event. */
    public PrettyOptions noDelta(boolean v) { noDelta = v; return this; }

    /** {@code --clock-cycles}: timestamps as raw cycle counts. */
    public PrettyOptions clockCycles(boolean v) { clockCycles = v; return this; }

    /** {@code --clock-seconds}: timestamps as {@code SEC.NS}. */
    public PrettyOptions clockSeconds(boolean v) { clockSeconds = v; return this; }

    /** {@code --clock-date}: prefix timestamps with {@code YYYY-MM-DD}. */
    public PrettyOptions clockDate(boolean v) { clockDate = v; return this; }

    /** {@code --clock-gmt}: times in UTC instead of the local time zone. */
    public PrettyOptions clockGmt(boolean v) { clockGmt = v; return this; }

    /** The local time zone (default: the JVM's, which follows {@code TZ}). */
    public PrettyOptions zone(ZoneId z) { zone = z; return this; }

    /** {@code --color=always}: babeltrace2's terminal colour codes in event lines. */
    public PrettyOptions color(boolean v) { color = v; return this; }

    /** Colour codes in the discarded events/packets warnings. */
    public PrettyOptions warningColors(boolean v) { warningColors = v; return this; }

    /**
     * Applies a babeltrace2 {@code --names} list: {@code all}, {@code none}, {@code payload}, {@code context},
     * {@code scope}, {@code header}. Naming some but not {@code all}/{@code none} hides the others.
     */
    public PrettyOptions names(String list) {
        Boolean dflt = null;
        boolean nonDefault = false;
        boolean payload = false, context = false, scope = false, header = false;
        for (String s : list.split(",")) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "all" -> dflt = true;
                case "none" -> dflt = false;
                case "payload" -> { payload = true; nonDefault = true; }
                case "context" -> { context = true; nonDefault = true; }
                case "scope" -> { scope = true; nonDefault = true; }
                case "header" -> { header = true; nonDefault = true; }
                default -> throw new IllegalArgumentException("unknown field name kind '" + s
                        + "' (expected all, none, payload, context, scope or header)");
            }
        }
        if (dflt == null && nonDefault) {
            dflt = false;
        }
        if (dflt != null) {
            namePayload = dflt;
            nameContext = dflt;
            nameHeader = dflt;
            nameScope = dflt;
        }
        namePayload |= payload;
        nameContext |= context;
        nameScope |= scope;
        nameHeader |= header;
        return this;
    }

    /**
     * Applies a babeltrace2 {@code --fields} list: {@code trace}, {@code trace:hostname}, {@code trace:domain},
     * {@code trace:procname}, {@code trace:vpid}, {@code loglevel}, {@code emf}, {@code callsite}, {@code all}.
     * Naming some but not {@code all} hides the others.
     */
    public PrettyOptions fields(String list) {
        Boolean dflt = null;
        boolean nonDefault = false;
        boolean[] set = new boolean[8];
        for (String s : list.split(",")) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "all" -> dflt = true;
                case "none" -> dflt = false;
                case "trace" -> { set[0] = true; nonDefault = true; }
                case "trace:hostname" -> { set[1] = true; nonDefault = true; }
                case "trace:domain" -> { set[2] = true; nonDefault = true; }
                case "trace:procname" -> { set[3] = true; nonDefault = true; }
                case "trace:vpid" -> { set[4] = true; nonDefault = true; }
                case "loglevel" -> { set[5] = true; nonDefault = true; }
                case "emf" -> { set[6] = true; nonDefault = true; }
                case "callsite" -> { set[7] = true; nonDefault = true; }
                default -> throw new IllegalArgumentException("unknown field '" + s + "' (expected trace, "
                        + "trace:hostname, trace:domain, trace:procname, trace:vpid, loglevel, emf, callsite or all)");
            }
        }
        if (dflt == null && nonDefault) {
            dflt = false;
        }
        if (dflt != null) {
            fieldTrace = fieldHostname = fieldDomain = fieldProcname = fieldVpid = dflt;
            fieldLoglevel = fieldEmf = fieldCallsite = dflt;
        }
        fieldTrace |= set[0];
        fieldHostname |= set[1];
        fieldDomain |= set[2];
        fieldProcname |= set[3];
        fieldVpid |= set[4];
        fieldLoglevel |= set[5];
        fieldEmf |= set[6];
        fieldCallsite |= set[7];
        return this;
    }
}
