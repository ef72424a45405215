package io.tracestream.analyses.syscalls;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Test support: lttng-analyses 0.6.1's syscallstats output with its return value counts corrected. It counts each
 * distinct return value once too many (its dictionary starts a key at 1, then adds 1 for every call, the first
 * included); we print the true counts.
 */
public final class ReturnCounts {
    private static final Pattern DICT = Pattern.compile("\\{('[^']*': \\d+(, )?)+\\}");
    private static final Pattern ENTRY = Pattern.compile("('[^']*'): (\\d+)");

    private ReturnCounts() {
    }

    /** The output with every {@code 'KEY': N} of a return value dictionary made {@code 'KEY': N - 1}. */
    public static String corrected(String lttng) {
        Matcher m = DICT.matcher(lttng);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            Matcher e = ENTRY.matcher(m.group());
            StringBuilder d = new StringBuilder();
            while (e.find()) {
                e.appendReplacement(d, Matcher.quoteReplacement(e.group(1) + ": " + (Long.parseLong(e.group(2)) - 1)));
            }
            e.appendTail(d);
            m.appendReplacement(sb, Matcher.quoteReplacement(d.toString()));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
