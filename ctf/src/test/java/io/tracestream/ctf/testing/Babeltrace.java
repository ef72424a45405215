package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;

/**
 * The reference tool, {@code babeltrace2} (2.0.x, CTF 1.8 only), run as an external program.
 *
 * <pre>{@code
 * Babeltrace.require();
 * String expected = Babeltrace.run(trace.toString(), "--clock-gmt").requireSuccess().stdout();
 * Babeltrace.command(trace.toString()).stdoutTo(file).timeout(Duration.ofMinutes(5)).run();
 * }</pre>
 *
 * <p>Tests that compare with babeltrace2 call {@link #require()} first: it <em>fails</em> (not skips) when the
 * tool is missing, because {@code scripts/setup.sh} installs it for the test suite. Runs use {@code TZ=UTC} unless
 * the caller sets another {@code TZ}, so wall-clock times print the same on every machine.
 */
public final class Babeltrace {
    /** The program name looked up on the PATH. */
    public static final String PROGRAM = "babeltrace2";

    private static volatile Boolean installed;

    private Babeltrace() {
    }

    /** Whether babeltrace2 is on the PATH. */
    public static boolean isInstalled() {
        Boolean b = installed;
        if (b == null) {
            b = Exec.onPath(PROGRAM);
            installed = b;
        }
        return b;
    }

    /** Fails the calling test, saying how to install it, when babeltrace2 is not on the PATH. */
    public static void require() {
        if (!isInstalled()) {
            fail(PROGRAM + " is not installed: run scripts/setup.sh (or apt-get install babeltrace2 python3-bt2)");
        }
    }

    /** A babeltrace2 run to configure further (environment, timeout, output file); {@code TZ=UTC} is preset. */
    public static Exec command(String... args) {
        return command(List.of(args));
    }

    /** A babeltrace2 run to configure further (environment, timeout, output file); {@code TZ=UTC} is preset. */
    public static Exec command(List<String> args) {
        require();
        return Exec.of(Exec.concat(PROGRAM, args)).env("TZ", "UTC");
    }

    /** Runs babeltrace2 with these arguments (default timeout, output in memory). */
    public static ProcessResult run(String... args) {
        return command(args).run();
    }

    /** Prints a trace with babeltrace2's default text output and returns it; fails the test if babeltrace2 fails. */
    public static String print(Path trace, String... options) {
        List<String> args = Exec.concat(trace.toString(), List.of(options));
        return command(args).run().requireSuccess().stdout();
    }
}
