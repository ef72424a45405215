package io.tracestream.live;

import io.tracestream.ctf.CtfException;

/**
 * The LTTng live reader failed: the relay daemon cannot be reached, it closed the connection, it sent a reply that
 * breaks the protocol (a length or count out of bounds, an unknown status), it did not answer within the read
 * timeout, or the requested session does not exist. The message is one line naming the relay daemon and what went
 * wrong.
 */
public class LiveException extends CtfException {
    private static final long serialVersionUID = 1L;

    public LiveException(String message) {
        super(message);
    }

    public LiveException(String message, Throwable cause) {
        super(message, cause);
    }
}
