package io.tracestream.ctf.testing;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A known bug of babeltrace2 2.0.4 that TraceStream deliberately does not reproduce, and how to take it out of
 * babeltrace2's output before comparing. Described in the README ("Where babeltrace2 2.0.4 is wrong").
 *
 * <p><b>Stale empty strings.</b> babeltrace2 2.0.4 reuses event objects from a pool and, when a string field (or a
 * text sequence) is empty, sets its length to 0 without clearing its characters ({@code clear_string_field()}; fixed
 * in 2.0.5 by commit d321ba031, "Fix: clear_string_field(): set first character to 0"). Its text and details sinks
 * then print the text an earlier event of the same class held. TraceStream prints the empty string, which is what
 * the bytes say (checked on the raw bytes of the real traces by {@code EmptyStringTest}).
 *
 * <p>{@link #clearStaleEmptyStrings} accepts exactly that difference: a line where TraceStream prints one or more
 * empty strings and babeltrace2 prints, at the same places, some other text, the rest of the line being identical.
 * Any other difference is kept, so the comparison still fails on it.
 */
public final class Babeltrace2Bugs {
    private static final String EMPTY_QUOTED = "\"\"";
    private static final String ANY_QUOTED = "\"(?:[^\"\\\\]|\\\\.)*\"";

    private Babeltrace2Bugs() {
    }

    /** babeltrace2's output with each stale empty string replaced by TraceStream's line. */
    public static String clearStaleEmptyStrings(String babeltrace, String tracestream) {
        if (babeltrace.equals(tracestream)) {
            return babeltrace;
        }
        String[] bt = babeltrace.split("\n", -1);
        String[] ts = tracestream.split("\n", -1);
        if (bt.length != ts.length) {
            return babeltrace;
        }
        boolean changed = false;
        for (int i = 0; i < bt.length; i++) {
            if (!bt[i].equals(ts[i]) && isStaleEmptyString(bt[i], ts[i])) {
                bt[i] = ts[i];
                changed = true;
            }
        }
        return changed ? String.join("\n", bt) : babeltrace;
    }

    /** As {@link #clearStaleEmptyStrings(String, String)}, on UTF-8 bytes. */
    public static byte[] clearStaleEmptyStrings(byte[] babeltrace, byte[] tracestream) {
        return clearStaleEmptyStrings(new String(babeltrace, StandardCharsets.UTF_8),
                new String(tracestream, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
    }

    static boolean isStaleEmptyString(String babeltraceLine, String tracestreamLine) {
        // details: `    filename: ` (TraceStream) vs `    filename: /usr/lib/...` (babeltrace2)
        if (tracestreamLine.endsWith(": ") && babeltraceLine.startsWith(tracestreamLine)
                && babeltraceLine.length() > tracestreamLine.length()) {
            return true;
        }
        // text: `filename = ""` vs `filename = "/usr/lib/..."`, possibly several fields in one line
        if (!tracestreamLine.contains(" = " + EMPTY_QUOTED)) {
            return false;
        }
        StringBuilder re = new StringBuilder();
        int from = 0;
        String marker = " = " + EMPTY_QUOTED;
        for (int at = tracestreamLine.indexOf(marker); at >= 0; at = tracestreamLine.indexOf(marker, from)) {
            re.append(Pattern.quote(tracestreamLine.substring(from, at + 3))).append(ANY_QUOTED);
            from = at + marker.length();
        }
        re.append(Pattern.quote(tracestreamLine.substring(from)));
        return Pattern.matches(re.toString(), babeltraceLine);
    }
}
