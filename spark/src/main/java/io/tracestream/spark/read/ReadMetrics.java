package io.tracestream.spark.read;

import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomSumMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;

/**
 * The scan's custom metrics (shown in the Spark UI's SQL tab and readable from the executed plan): what the read
 * actually touched and what it lost.
 */
public final class ReadMetrics {
    public static final String PACKETS_READ = "packetsRead";
    public static final String BYTES_READ = "bytesRead";
    public static final String EVENTS_DECODED = "eventsDecoded";
    public static final String DISCARDED_EVENTS = "discardedEvents";
    public static final String LOST_PACKETS = "lostPackets";
    public static final String CORRUPT_PACKETS = "corruptPackets";
    public static final String ROWS_OUTPUT = "rowsOutput";

    static final String[] NAMES = {PACKETS_READ, BYTES_READ, EVENTS_DECODED, DISCARDED_EVENTS, LOST_PACKETS,
        CORRUPT_PACKETS, ROWS_OUTPUT};
    private static final String[] DESCRIPTIONS = {"CTF packets read", "CTF bytes read (packet sizes)",
        "CTF events decoded", "events discarded by the tracer", "packets lost (sequence number gaps)",
        "corrupt packets skipped (lenient)", "events materialised as rows"};

    private ReadMetrics() {
    }

    /** The metrics a scan declares. */
    public static CustomMetric[] supported() {
        CustomMetric[] out = new CustomMetric[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            out[i] = new Sum(NAMES[i], DESCRIPTIONS[i]);
        }
        return out;
    }

    /** A summed metric. Spark instantiates it by class name with a no-arg constructor on the driver. */
    public static class Sum extends CustomSumMetric {
        private final String name;
        private final String description;

        public Sum() {
            this("unknown", "unknown");
        }

        Sum(String name, String description) {
            this.name = name;
            this.description = description;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return description;
        }
    }

    /** One task's value of one metric. */
    record Value(String name, long value) implements CustomTaskMetric {
    }

    /** The task-side values, in {@link #NAMES} order. */
    static CustomTaskMetric[] values(long[] v) {
        CustomTaskMetric[] out = new CustomTaskMetric[NAMES.length];
        for (int i = 0; i < NAMES.length; i++) {
            out[i] = new Value(NAMES[i], v[i]);
        }
        return out;
    }
}
