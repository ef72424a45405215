package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What a finished external program left: exit code, standard output (bytes, as written) and standard error.
 *
 * @param command the command line that ran
 * @param exitCode the exit code
 * @param stdoutBytes standard output, or an empty array when it went to a file ({@link Exec#stdoutTo})
 * @param stderr standard error, decoded as UTF-8
 */
public record ProcessResult(List<String> command, int exitCode, byte[] stdoutBytes, String stderr) {

    /** Standard output decoded as UTF-8. */
    public String stdout() {
        return new String(stdoutBytes, StandardCharsets.UTF_8);
    }

    /** Fails the test, showing the command and the end of its standard error, unless the exit code is 0. */
    public ProcessResult requireSuccess() {
        if (exitCode != 0) {
            fail(String.join(" ", command) + " exited with " + exitCode + "; stderr:\n" + tail(stderr, 4000));
        }
        return this;
    }

    static String tail(String s, int max) {
        return s.length() <= max ? s : "..." + s.substring(s.length() - max);
    }
}
