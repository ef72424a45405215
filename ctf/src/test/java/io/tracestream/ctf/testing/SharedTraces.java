package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The shared test traces written by others (babeltrace2's CTF test traces, Trace Compass's LTTng traces, yactfr's
 * cases, lttng-analyses' traces), used in place, never copied into the project.
 *
 * <p>Their folder is {@code SHARED/traces}, where {@code SHARED} is the system property {@code tracestream.shared}
 * (the parent pom sets it to {@code <repository>/../shared}). When the folder is absent the tests that need it
 * skip, with a message saying where it was looked for.
 *
 * <pre>{@code
 * Path trace = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/succeed/wk-heartbeat-u");
 * }</pre>
 */
public final class SharedTraces {
    /** The system property naming the shared folder (the one holding {@code traces/}). */
    public static final String PROPERTY = "tracestream.shared";

    private SharedTraces() {
    }

    /** The shared folder (may not exist): the {@value #PROPERTY} property, else {@code <repository>/../shared}. */
    public static Path root() {
        String p = System.getProperty(PROPERTY);
        if (p != null && !p.isBlank()) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        return SampleTraces.projectRoot().resolve("../shared").normalize();
    }

    /** The shared traces folder, {@code root()/traces} (may not exist). */
    public static Path traces() {
        return root().resolve("traces");
    }

    /** Whether the shared traces are there. */
    public static boolean isAvailable() {
        return Files.isDirectory(traces());
    }

    /**
     * Skips the calling test (JUnit assumption) when the shared traces are absent.
     *
     * @return the shared traces folder
     */
    public static Path assumeAvailable() {
        Path t = traces();
        assumeTrue(Files.isDirectory(t), () -> "shared test traces not found at " + t + " (set -D" + PROPERTY
                + "=DIR, the folder holding traces/); skipping");
        return t;
    }

    /**
     * A file or folder under the shared traces folder: skips when the shared traces are absent, and fails when they
     * are there but this path is not (a wrong path in the test).
     *
     * @param relative a path relative to the traces folder, e.g. {@code tracecompass/ust/...}
     */
    public static Path path(String relative) {
        Path p = assumeAvailable().resolve(relative).normalize();
        if (!Files.exists(p)) {
            fail("no " + relative + " in the shared traces (" + p + ")");
        }
        return p;
    }
}
