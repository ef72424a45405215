package io.tracestream.analyses.stream;

import io.tracestream.ctf.MessageCursor;
import java.time.Duration;

/**
 * An endless, time-ordered message stream with an event-time watermark: an LTTng live session, a trace directory
 * being written ({@link TraceDirectorySource}). The current message is read through the {@link MessageCursor}
 * methods after {@link #next(Duration)} returned {@link Status#MESSAGE}.
 */
public interface StreamSource extends MessageCursor {

    /** What {@link #next(Duration)} found. */
    enum Status {
        /** A message is current. */
        MESSAGE,
        /** Nothing within the wait; {@link #watermarkNanos()} may have advanced. */
        WAITING,
        /** The stream is over (session destroyed, source closed). */
        END
    }

    /** Moves to the next message, waiting at most {@code maxWait}. */
    Status next(Duration maxWait);

    /** A lower bound of the time (ns from the clock origin) of every message still to come. */
    long watermarkNanos();

    /** Waits as long as needed; false at the end. */
    @Override
    default boolean next() {
        Status s;
        do {
            s = next(Duration.ofSeconds(1));
        } while (s == Status.WAITING);
        return s == Status.MESSAGE;
    }
}
