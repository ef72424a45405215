package io.tracestream.cli;

/**
 * The command line is wrong: unknown option, missing value, bad number, missing trace path. {@link Main} prints
 * {@code tracestream: error: MESSAGE} with a pointer to {@code --help} and exits with code 2.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
