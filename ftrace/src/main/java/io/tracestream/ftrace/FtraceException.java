package io.tracestream.ftrace;

/**
 * A failure of the kernel recorder, with a one-line message naming what failed (a tracefs file, a raw buffer file
 * and offset, a missing privilege).
 */
public class FtraceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public FtraceException(String message) {
        super(message);
    }

    public FtraceException(String message, Throwable cause) {
        super(message, cause);
    }
}
