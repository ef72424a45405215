package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The project's own small sample traces in {@code testdata/}, recorded by {@code scripts/record-sample-traces.sh}
 * with LTTng and the UST probe ({@code tools/ust-probe}), and the project root they live in.
 */
public final class SampleTraces {
    /** The system property naming the repository root (set by the parent pom's surefire configuration). */
    public static final String ROOT_PROPERTY = "tracestream.root";

    private static volatile Path root;

    private SampleTraces() {
    }

    /**
     * The repository root: the {@value #ROOT_PROPERTY} property, else the nearest folder above the working
     * directory that holds {@code testdata/} and {@code ctf/pom.xml}.
     */
    public static Path projectRoot() {
        Path r = root;
        if (r == null) {
            r = findRoot();
            root = r;
        }
        return r;
    }

    private static Path findRoot() {
        String p = System.getProperty(ROOT_PROPERTY);
        if (p != null && !p.isBlank() && Files.isDirectory(Path.of(p, "testdata"))) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            if (Files.isDirectory(d.resolve("testdata")) && Files.isRegularFile(d.resolve("ctf/pom.xml"))) {
                return d;
            }
        }
        return fail("cannot find the TraceStream repository root (set -D" + ROOT_PROPERTY + "=DIR)");
    }

    /** A path under {@code testdata/}; fails the test when it does not exist. */
    public static Path path(String relative) {
        Path p = projectRoot().resolve("testdata").resolve(relative).normalize();
        if (!Files.exists(p)) {
            fail("no testdata/" + relative + " (" + p + "); re-record with scripts/record-sample-traces.sh");
        }
        return p;
    }

    /**
     * {@code testdata/sample-ust}: a lossless LTTng 2.13 UST trace (CTF 1.8) of 3,842 events from the tsprobe
     * provider, every field type lttng-ust writes, 2 threads pinned to 2 CPUs; channel {@code chan0} (all events,
     * contexts vpid/vtid/procname) and {@code chan1} (tsprobe:tick/tock only, plus pthread_id): 2 stream classes,
     * 4 data streams, several packets each.
     */
    public static Path sampleUst() {
        return path("sample-ust");
    }

    /**
     * {@code testdata/lossy-ust}: a small LTTng UST trace whose packets report discarded events (tsprobe:burst
     * into 2 sub-buffers of 4 KiB per CPU, discard mode).
     */
    public static Path lossyUst() {
        return path("lossy-ust");
    }
}
