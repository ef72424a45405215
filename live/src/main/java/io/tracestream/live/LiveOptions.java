package io.tracestream.live;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LiveSession} reads. Immutable; each {@code with...} method returns a copy.
 *
 * <ul>
 * <li>{@link #fromBeginning}: attach from the oldest data the relay still holds (default: from now, as
 * babeltrace2). Implied by {@link #resumeFrom}.</li>
 * <li>{@link #sessionNotFound}: what to do when the relay has no such session (default {@code CONTINUE}: wait for it,
 * as babeltrace2).</li>
 * <li>{@link #pollInterval}: the wait before asking again for data that is not there yet (default 100 ms).</li>
 * <li>{@link #readTimeout}: the longest wait for a reply of the relay (default 10 s); {@link #connectTimeout}
 * (default 5 s).</li>
 * <li>{@link #reconnectFor}: after the connection is lost, how long to keep reconnecting (default 30 s; zero: fail at
 * once). Packets already delivered are not delivered again.</li>
 * <li>{@link #resumeFrom}: the stream positions of an earlier reader (a checkpoint): packets it delivered are
 * skipped.</li>
 * </ul>
 */
public final class LiveOptions {
    /** babeltrace2's {@code session-not-found-action}. */
    public enum SessionNotFound {
        /** Keep looking for the session until it appears. */
        CONTINUE,
        /** Fail with an error naming the session and the sessions the relay has. */
        FAIL,
        /** End at once, without messages. */
        END
    }

    private final boolean fromBeginning;
    private final SessionNotFound sessionNotFound;
    private final Duration pollInterval;
    private final Duration readTimeout;
    private final Duration connectTimeout;
    private final Duration reconnectFor;
    private final LivePositions resumeFrom;

    private LiveOptions(boolean fromBeginning, SessionNotFound sessionNotFound, Duration pollInterval,
                        Duration readTimeout, Duration connectTimeout, Duration reconnectFor,
                        LivePositions resumeFrom) {
        this.fromBeginning = fromBeginning;
        this.sessionNotFound = Objects.requireNonNull(sessionNotFound);
        this.pollInterval = positive(pollInterval, "poll interval");
        this.readTimeout = positive(readTimeout, "read timeout");
        this.connectTimeout = positive(connectTimeout, "connect timeout");
        this.reconnectFor = Objects.requireNonNull(reconnectFor);
        this.resumeFrom = resumeFrom;
    }

    private static Duration positive(Duration d, String what) {
        if (d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be between 1 ms and " + Integer.MAX_VALUE + " ms");
        }
        return d;
    }

    /** The defaults (see the class comment). */
    public static LiveOptions defaults() {
        return new LiveOptions(false, SessionNotFound.CONTINUE, Duration.ofMillis(100), Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(30), null);
    }

    public LiveOptions fromBeginning(boolean b) {
        return new LiveOptions(b, sessionNotFound, pollInterval, readTimeout, connectTimeout, reconnectFor,
                resumeFrom);
    }

    public LiveOptions sessionNotFound(SessionNotFound a) {
        return new LiveOptions(fromBeginning, a, pollInterval, readTimeout, connectTimeout, reconnectFor, resumeFrom);
    }

    public LiveOptions pollInterval(Duration d) {
        return new LiveOptions(fromBeginning, sessionNotFound, d, readTimeout, connectTimeout, reconnectFor,
                resumeFrom);
    }

    public LiveOptions readTimeout(Duration d) {
        return new LiveOptions(fromBeginning, sessionNotFound, pollInterval, d, connectTimeout, reconnectFor,
                resumeFrom);
    }

    public LiveOptions connectTimeout(Duration d) {
        return new LiveOptions(fromBeginning, sessionNotFound, pollInterval, readTimeout, d, reconnectFor,
                resumeFrom);
    }

    public LiveOptions reconnectFor(Duration d) {
        return new LiveOptions(fromBeginning, sessionNotFound, pollInterval, readTimeout, connectTimeout, d,
                resumeFrom);
    }

    /** Resumes after the packets {@code positions} say were delivered (null: no resume). */
    public LiveOptions resumeFrom(LivePositions positions) {
        return new LiveOptions(fromBeginning, sessionNotFound, pollInterval, readTimeout, connectTimeout,
                reconnectFor, positions);
    }

    public boolean fromBeginning() {
        return fromBeginning || resumeFrom != null;
    }

    public SessionNotFound sessionNotFound() {
        return sessionNotFound;
    }

    public Duration pollInterval() {
        return pollInterval;
    }

    public Duration readTimeout() {
        return readTimeout;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    public Duration reconnectFor() {
        return reconnectFor;
    }

    public LivePositions resumeFrom() {
        return resumeFrom;
    }
}
