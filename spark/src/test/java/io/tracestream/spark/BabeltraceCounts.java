package io.tracestream.spark;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.ProcessResult;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What babeltrace2 reads from a trace, from its compact {@code sink.text.details} output: events per event class
 * name, discarded events and discarded packets.
 *
 * @param ok               babeltrace2 read the trace without error
 * @param events           events per name
 * @param discardedEvents  sum of the known discarded event counts
 * @param discardedPackets sum of the known discarded packet counts
 * @param error            babeltrace2's error output when not ok
 */
record BabeltraceCounts(boolean ok, Map<String, Long> events, long discardedEvents, long discardedPackets,
                        String error) {
    private static final Pattern EVENT = Pattern.compile("\\} Event `(.*)` \\(\\d+\\)$");
    private static final Pattern DISC = Pattern.compile("\\} Discarded (events|packets) \\((\\d+) (events|packets)\\)");

    static BabeltraceCounts of(Path trace) {
        ProcessResult r = Babeltrace.run("-c", "sink.text.details",
                "--params=with-metadata=false,compact=true,color=\"never\"", trace.toString());
        if (r.exitCode() != 0) {
            return new BabeltraceCounts(false, Map.of(), 0, 0, r.stderr());
        }
        Map<String, Long> counts = new TreeMap<>();
        long de = 0;
        long dp = 0;
        for (String line : r.stdout().split("\n")) {
            Matcher m = EVENT.matcher(line);
            if (m.find()) {
                counts.merge(m.group(1), 1L, Long::sum);
                continue;
            }
            Matcher d = DISC.matcher(line);
            if (d.find()) {
                if (d.group(1).equals("events")) {
                    de += Long.parseLong(d.group(2));
                } else {
                    dp += Long.parseLong(d.group(2));
                }
            }
        }
        return new BabeltraceCounts(true, counts, de, dp, null);
    }
}
