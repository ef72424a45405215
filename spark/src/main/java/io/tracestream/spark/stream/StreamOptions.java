package io.tracestream.spark.stream;

import io.tracestream.ctf.CtfException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options the streaming source adds to the batch ones:
 *
 * <ul>
 * <li>{@code maxPacketsPerTrigger}: at most this many packets per micro-batch (default: no limit)</li>
 * <li>{@code maxBytesPerTrigger}: at most this many bytes of packets per micro-batch, {@code k}/{@code m}/{@code g}
 *     suffixes (default: no limit); a batch always takes at least one packet</li>
 * </ul>
 *
 * <p>With a limit, a micro-batch takes the oldest packets first (by packet begin time, over all streams), so the
 * streams advance together in time.
 *
 * @param maxPackets the packet limit, {@link Long#MAX_VALUE} for none
 * @param maxBytes   the byte limit, {@link Long#MAX_VALUE} for none
 */
record StreamOptions(long maxPackets, long maxBytes) {
    static final Set<String> NAMES = Set.of("maxpacketspertrigger", "maxbytespertrigger");

    static StreamOptions parse(Map<String, String> options) {
        long packets = Long.MAX_VALUE;
        long bytes = Long.MAX_VALUE;
        for (Map.Entry<String, String> e : options.entrySet()) {
            String k = e.getKey().toLowerCase(Locale.ROOT);
            if (k.equals("maxpacketspertrigger")) {
                try {
                    packets = Long.parseLong(e.getValue().trim());
                } catch (NumberFormatException ex) {
                    packets = -1;
                }
                if (packets <= 0) {
                    throw new CtfException("ctf stream: option 'maxPacketsPerTrigger' must be a positive number of "
                            + "packets, not '" + e.getValue() + "'");
                }
            } else if (k.equals("maxbytespertrigger")) {
                bytes = parseSize(e.getValue());
            }
        }
        return new StreamOptions(packets, bytes);
    }

    boolean limited() {
        return maxPackets != Long.MAX_VALUE || maxBytes != Long.MAX_VALUE;
    }

    private static long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long mult = 1;
        if (!v.isEmpty()) {
            switch (v.charAt(v.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> mult = 1;
            }
            if (mult != 1) {
                v = v.substring(0, v.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n > 0 && n <= Long.MAX_VALUE / mult) {
                return n * mult;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new CtfException("ctf stream: option 'maxBytesPerTrigger' must be a positive size such as 67108864 "
                + "or 64m, not '" + value + "'");
    }
}
