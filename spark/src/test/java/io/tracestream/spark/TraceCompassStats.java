package io.tracestream.spark;

import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The per-event-name counts of the Trace Compass traces that babeltrace2 2.0.4 gave, stream by stream without the
 * muxer ({@code tracecompass/_stats/NAME.txt}); null for other traces.
 */
final class TraceCompassStats {
    private TraceCompassStats() {
    }

    static Map<String, Long> of(Path trace) {
        if (!SharedTraces.isAvailable()) {
            return null;
        }
        Path tc = SharedTraces.traces().resolve("tracecompass");
        if (!trace.startsWith(tc) || trace.getNameCount() != tc.getNameCount() + 1) {
            return null;
        }
        Path f = tc.resolve("_stats").resolve(trace.getFileName() + ".txt");
        if (!Files.isRegularFile(f)) {
            return null;
        }
        Map<String, Long> out = new TreeMap<>();
        try {
            for (String line : Files.readAllLines(f)) {
                int sp = line.indexOf(' ');
                if (sp < 0 || line.startsWith("TOTAL") || line.substring(sp + 1).startsWith("<")) {
                    continue;
                }
                out.merge(line.substring(sp + 1).trim(), Long.parseLong(line.substring(0, sp)), Long::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }
}
