package io.tracestream.ctf.write;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the installed babeltrace2 on a trace (the tests skip when it is not installed). */
final class Babeltrace {
    private Babeltrace() {
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "babeltrace2"))) {
                return true;
            }
        }
        return false;
    }

    static void assume() {
        Assumptions.assumeTrue(available(), "babeltrace2 is not installed: skipping the babeltrace2 check");
    }

    /** Runs {@code babeltrace2 ARGS... TRACE}, asserts it succeeds, returns its standard output. */
    static String run(Path trace, String... args) throws IOException, InterruptedException {
        Result r = exec(trace, args);
        if (r.exit != 0) {
            fail("babeltrace2 failed (" + r.exit + ") on " + trace + ":\n" + r.err);
        }
        return r.out;
    }

    /** Text output with UTC times. */
    static List<String> lines(Path trace, String... args) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of("--clock-gmt"));
        all.addAll(List.of(args));
        return List.of(run(trace, all.toArray(new String[0])).split("\n"));
    }

    static void dummy(Path trace) throws IOException, InterruptedException {
        assertEquals("", run(trace, "-o", "dummy"));
    }

    record Result(int exit, String out, String err) {
    }

    /** Runs {@code babeltrace2 ARGS...} (no trace argument), asserts it succeeds, returns its standard output. */
    static String query(String... args) throws IOException, InterruptedException {
        Result r = exec(null, args);
        if (r.exit != 0) {
            fail("babeltrace2 failed (" + r.exit + "):\n" + r.err);
        }
        return r.out;
    }

    static Result exec(Path trace, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("babeltrace2");
        cmd.addAll(List.of(args));
        if (trace != null) {
            cmd.add(trace.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("TZ", "UTC");
        Path err = Files.createTempFile("bt2", ".err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("babeltrace2 timed out on " + trace);
        }
        String e = Files.readString(err);
        Files.deleteIfExists(err);
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), e);
    }
}
