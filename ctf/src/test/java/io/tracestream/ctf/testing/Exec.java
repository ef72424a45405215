package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an external program with a timeout and captures what it writes.
 *
 * <pre>{@code
 * ProcessResult r = Exec.of("babeltrace2", trace.toString()).env("TZ", "UTC").timeout(Duration.ofSeconds(30)).run();
 * }</pre>
 *
 * <p>Output goes through temporary files, so a program writing a lot to both streams never blocks. A program still
 * running at the timeout is killed (with its children) and the test fails.
 */
public final class Exec {

    /** Timeout used unless {@link #timeout} says otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final List<String> command;
    private final Map<String, String> env = new LinkedHashMap<>();
    private Duration timeout = DEFAULT_TIMEOUT;
    private Path directory;
    private Path stdoutFile;

    private Exec(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** A command line: program, then arguments. */
    public static Exec of(String... command) {
        return new Exec(List.of(command));
    }

    /** A command line: program, then arguments. */
    public static Exec of(List<String> command) {
        return new Exec(command);
    }

    /** Sets an environment variable for the program (on top of this JVM's environment). */
    public Exec env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Sets several environment variables for the program. */
    public Exec env(Map<String, String> vars) {
        env.putAll(vars);
        return this;
    }

    /** The program's working directory (default: this JVM's). */
    public Exec directory(Path dir) {
        this.directory = dir;
        return this;
    }

    /** Longest the program may run; then it is killed and the test fails. */
    public Exec timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** Writes standard output to {@code file} instead of keeping it in memory (for large outputs). */
    public Exec stdoutTo(Path file) {
        this.stdoutFile = file;
        return this;
    }

    /** The command line. */
    public List<String> command() {
        return command;
    }

    /**
     * Runs the program to its end.
     *
     * @return its exit code and output; a non-zero exit code is returned, not failed (see
     *     {@link ProcessResult#requireSuccess()})
     */
    public ProcessResult run() {
        Path out = null;
        Path err = null;
        try {
            err = Files.createTempFile("tracestream-exec-", ".err");
            out = stdoutFile != null ? stdoutFile : Files.createTempFile("tracestream-exec-", ".out");
            ProcessBuilder pb = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (directory != null) {
                pb.directory(directory.toFile());
            }
            pb.environment().putAll(env);
            Process p;
            try {
                p = pb.start();
            } catch (IOException e) {
                return fail("cannot run " + String.join(" ", command) + ": " + e.getMessage());
            }
            boolean done;
            try {
                done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (!done) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                return fail(String.join(" ", command) + " did not finish within " + timeout.toSeconds()
                        + " s; stderr so far:\n" + ProcessResult.tail(Files.readString(err, StandardCharsets.UTF_8), 4000));
            }
            byte[] stdout = stdoutFile != null ? new byte[0] : Files.readAllBytes(out);
            String stderr = new String(Files.readAllBytes(err), StandardCharsets.UTF_8);
            return new ProcessResult(command, p.exitValue(), stdout, stderr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deleteQuietly(err);
            if (stdoutFile == null) {
                deleteQuietly(out);
            }
        }
    }

    /** Whether {@code program} is an executable found on the PATH (or is an existing executable path). */
    public static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
