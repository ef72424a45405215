package io.tracestream.sparktrace;

import org.apache.spark.SparkConf;

import java.nio.file.Path;

/**
 * The plugin's settings, read from the Spark configuration ({@code spark.tracestream.*}).
 *
 * @param output           {@code spark.tracestream.output}: directory under which each process writes
 *                         {@code APP_ID/ROLE-HOST-PID/} (default {@code tracestream-traces}, relative to the process's
 *                         working directory)
 * @param enabled          {@code spark.tracestream.enabled} (default true)
 * @param bufferBytes      {@code spark.tracestream.bufferSize}: per-thread ring size, rounded up to a power of two
 *                         (default 256k)
 * @param packetBytes      {@code spark.tracestream.packetSize}: CTF packet size (default 64k)
 * @param flushIntervalMs  {@code spark.tracestream.flushIntervalMs}: how often the background thread drains the
 *                         rings into the trace files (default 200)
 * @param maxStringChars   {@code spark.tracestream.maxStringLength}: longer strings (plans, call sites, failure
 *                         reasons) are cut (default 16384)
 * @param gc               {@code spark.tracestream.gc}: record GC pauses (default true)
 * @param lttng            {@code spark.tracestream.lttng}: {@code auto} (default: also emit through the LTTng-UST
 *                         JUL agent when a session daemon runs and the agent is installed), {@code true}, {@code false}
 * @param lttngJars        {@code spark.tracestream.lttng.jars}: where the agent jars are (default the Debian paths)
 */
record TraceConfig(Path output, boolean enabled, int bufferBytes, int packetBytes, long flushIntervalMs,
                   int maxStringChars, boolean gc, String lttng, String lttngJars) {

    static final String PREFIX = "spark.tracestream.";
    static final String DEFAULT_LTTNG_JARS =
            "/usr/share/java/lttng-ust-agent-common.jar:/usr/share/java/lttng-ust-agent-jul.jar";

    static TraceConfig from(SparkConf c) {
        long buffer = c.getSizeAsBytes(PREFIX + "bufferSize", "256k");
        long packet = c.getSizeAsBytes(PREFIX + "packetSize", "64k");
        if (buffer < 4096 || buffer > (1 << 30)) {
            throw new IllegalArgumentException(PREFIX + "bufferSize must be between 4k and 1g, got " + buffer);
        }
        if (packet < 4096 || packet > (64 << 20) || packet % 8 != 0) {
            throw new IllegalArgumentException(PREFIX + "packetSize must be a multiple of 8 between 4k and 64m, got "
                    + packet);
        }
        long flush = c.getLong(PREFIX + "flushIntervalMs", 200);
        if (flush < 1) {
            throw new IllegalArgumentException(PREFIX + "flushIntervalMs must be positive, got " + flush);
        }
        int maxString = c.getInt(PREFIX + "maxStringLength", 16384);
        if (maxString < 16) {
            throw new IllegalArgumentException(PREFIX + "maxStringLength must be at least 16, got " + maxString);
        }
        String lttng = c.get(PREFIX + "lttng", "auto").trim().toLowerCase(java.util.Locale.ROOT);
        if (!lttng.equals("auto") && !lttng.equals("true") && !lttng.equals("false")) {
            throw new IllegalArgumentException(PREFIX + "lttng must be auto, true or false, got '" + lttng + "'");
        }
        return new TraceConfig(Path.of(c.get(PREFIX + "output", "tracestream-traces")),
                c.getBoolean(PREFIX + "enabled", true), Integer.highestOneBit((int) buffer - 1) << 1, (int) packet,
                flush, maxString, c.getBoolean(PREFIX + "gc", true), lttng,
                c.get(PREFIX + "lttng.jars", DEFAULT_LTTNG_JARS));
    }
}
