package io.tracestream.spark.live;

import io.tracestream.ctf.CtfException;
import io.tracestream.live.LiveUrl;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of {@code format("lttng-live")}, parsed and checked (an unknown or bad option is a one-line error).
 * {@code pollIntervalMs} (default 20): how soon the source asks the relay again for data that is not there yet; a
 * new packet reaches a batch at most this long after the relay has it (the tracer's live timer sets how often the
 * relay gets one). {@code maxBytesPerTrigger} (default 256 MiB): a trigger stops reading once its batch holds that many
 * bytes of packets (with {@code maxPacketsPerTrigger} and {@code maxReadMsPerTrigger}, the bound of a batch taken
 * from a backlog).
 */
record LiveSourceOptions(LiveUrl url, List<String> events, long maxPacketsPerTrigger, long maxBytesPerTrigger,
                         Duration maxReadPerTrigger, Duration schemaTimeout, Path spillDir, boolean lenient,
                         Duration pollInterval) {

    static final Set<String> NAMES = Set.of("url", "path", "events", "maxpacketspertrigger", "maxbytespertrigger",
            "maxreadmspertrigger", "schematimeoutms", "spilldir", "lenient", "pollintervalms");

    /** Default of {@code maxBytesPerTrigger}: 256 MiB of packets per micro-batch. */
    static final long DEFAULT_MAX_BYTES = 256L << 20;

    static LiveSourceOptions parse(Map<String, String> options) {
        String url = null;
        List<String> events = null;
        long maxPackets = Long.MAX_VALUE;
        long maxBytes = DEFAULT_MAX_BYTES;
        long maxReadMs = 2000;
        long schemaMs = 30_000;
        Path spill = null;
        boolean lenient = false;
        long pollMs = 20;
        for (Map.Entry<String, String> e : options.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            String v = e.getValue();
            switch (k) {
                case "url", "path" -> url = v;
                case "events" -> {
                    events = new ArrayList<>();
                    for (String s : v.split(",")) {
                        if (!s.isBlank()) {
                            events.add(s.trim());
                        }
                    }
                }
                case "maxpacketspertrigger" -> maxPackets = positive(k, v);
                case "maxbytespertrigger" -> maxBytes = positive(k, v);
                case "maxreadmspertrigger" -> maxReadMs = positive(k, v);
                case "schematimeoutms" -> schemaMs = positive(k, v);
                case "spilldir" -> spill = Path.of(v);
                case "lenient" -> lenient = bool(k, v);
                case "pollintervalms" -> pollMs = positive(k, v);
                default -> {
                    if (!k.startsWith("__") && !k.equals("checkpointlocation")) {
                        throw new CtfException("lttng-live: unknown option '" + e.getKey() + "' (known: url, events, "
                                + "maxPacketsPerTrigger, maxBytesPerTrigger, maxReadMsPerTrigger, schemaTimeoutMs, spillDir, lenient, "
                                + "pollIntervalMs)");
                    }
                }
            }
        }
        if (url == null) {
            throw new CtfException("lttng-live: option 'url' is missing (net://HOST[:PORT]/host/HOSTNAME/SESSION)");
        }
        LiveUrl u;
        try {
            u = LiveUrl.parse(url);
        } catch (RuntimeException ex) {
            throw new CtfException("lttng-live: option 'url': " + ex.getMessage(), ex);
        }
        if (!u.hasSession()) {
            throw new CtfException("lttng-live: option 'url': " + url + " names no session (expected "
                    + "net://HOST[:PORT]/host/HOSTNAME/SESSION)");
        }
        return new LiveSourceOptions(u, events, maxPackets, maxBytes, Duration.ofMillis(maxReadMs),
                Duration.ofMillis(schemaMs), spill, lenient, Duration.ofMillis(pollMs));
    }

    private static long positive(String k, String v) {
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CtfException("lttng-live: option '" + k + "' must be a positive integer, not '" + v + "'");
    }

    private static boolean bool(String k, String v) {
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new CtfException("lttng-live: option '" + k + "' must be true or false, not '" + v + "'");
    }
}
