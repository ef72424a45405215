package io.tracestream.ctf;

import java.nio.file.Path;

/**
 * Told about what a {@link TraceSet} meets besides events: unusable index files and other warnings, packets skipped
 * in lenient mode, and lost data (discarded events and packets) while iterating {@link TraceSet#events()} or
 * {@link TraceSet#run()} (with {@link TraceSet#messages()} lost data arrives as messages instead). All methods have
 * empty defaults.
 */
public interface TraceListener {
    /** Something worth knowing that does not stop reading (e.g. an invalid LTTng index, scanned instead). */
    default void warning(String message) {
    }

    /** Lenient mode skipped a broken packet (or the rest of a file). */
    default void skipped(Path file, long offset, String reason) {
    }

    /** The tracer lost events or packets ({@link Discarded#count()} is -1 when unknown). */
    default void discarded(MessageType type, Discarded discarded) {
    }

    /** Ignores everything. */
    TraceListener SILENT = new TraceListener() {
    };

    /** Writes one line per warning, skipped packet and loss to standard error. */
    TraceListener STDERR = new TraceListener() {
        @Override
        public void warning(String message) {
            System.err.println("warning: " + message);
        }

        @Override
        public void skipped(Path file, long offset, String reason) {
            System.err.println("warning: skipped unreadable data in " + file + " at offset " + offset + ": "
                    + reason);
        }

        @Override
        public void discarded(MessageType type, Discarded d) {
            String what = type == MessageType.DISCARDED_EVENTS ? "events" : "packets";
            String count = d.count() >= 0 ? Long.toString(d.count()) : "an unknown number of";
            DataStream s = d.stream();
            String where = s == null ? "" : " in " + (s.file() != null ? s.file() : s.name());
            String when = d.beginNanos() != ClockValue.NONE
                    ? " between " + d.beginNanos() + " and " + d.endNanos() + " ns" : "";
            System.err.println("warning: tracer discarded " + count + " " + what + where + when);
        }
    };
}
