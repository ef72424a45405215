package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracestream convert}: the output traces, read back by babeltrace2, print the kept events exactly as
 * babeltrace2 prints them from the input (trimmed with its own {@code --begin}/{@code --end}).
 */
class ConvertCommandTest {

    @TempDir
    Path tmp;

    private static String bt(Path trace, String... options) {
        return Babeltrace.print(trace, options);
    }

    @Test
    void wholeTraceReadsBackIdentically() {
        Path in = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/succeed/wk-heartbeat-u");
        Path out = tmp.resolve("out");
        StatsCommandTest.Run r = StatsCommandTest.run("convert", in.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("metadata")));
        assertEquals(bt(in), bt(out));
    }

    /** A name filter and a time range: the kept events print as babeltrace2's trimmed and filtered input. */
    @Test
    void trimmedAndFilteredReadsBackIdentically() {
        Path in = SharedTraces.path("tracecompass/context-switches-ust");
        List<String> lines = bt(in, "--clock-seconds", "--no-delta").lines().toList();
        String begin = time(lines.get(lines.size() / 4));
        String end = time(lines.get(lines.size() * 3 / 4));
        Set<String> names = Set.of("lttng_ust_cyg_profile:func_exit", "lttng_ust_tracef:event");
        String expected = bt(in, "--clock-seconds", "--no-delta", "--begin", begin, "--end", end).lines()
                .filter(l -> names.stream().anyMatch(n -> l.contains(" " + n + ": ")))
                .map(l -> l + "\n").collect(Collectors.joining());
        assertTrue(expected.lines().count() > 100, "too few events in the range to be a useful test");

        Path out = tmp.resolve("out");
        StatsCommandTest.Run r = StatsCommandTest.run("convert", in.toString(), "--output", out.toString(),
                "--begin", begin, "--end", end, "--events", String.join(",", names));
        assertEquals(0, r.code(), r.err());
        assertEquals(expected, bt(out, "--clock-seconds", "--no-delta"));
    }

    /** The {@code [s.ns]} time of a {@code --clock-seconds} line. */
    private static String time(String line) {
        return line.substring(1, line.indexOf(']'));
    }

    /** Several traces (kernel and user space): one output trace each, below the output directory. */
    @Test
    void oneOutputTracePerInputTrace() throws IOException {
        Path in = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/succeed/multi-domains");
        Path out = tmp.resolve("out");
        StatsCommandTest.Run r = StatsCommandTest.run("convert", in.toString(), "--output", out.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(out.resolve("kernel/metadata")), r.out());
        assertTrue(Files.isRegularFile(out.resolve("ust/metadata")), r.out());
        assertEquals(bt(in.resolve("kernel")), bt(out.resolve("kernel")));
        assertEquals(bt(in.resolve("ust")), bt(out.resolve("ust")));
        assertEquals(bt(in), bt(out));
    }

    @Test
    void usageErrors() throws IOException {
        Path in = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/succeed/wk-heartbeat-u");
        assertEquals(2, StatsCommandTest.run("convert", in.toString()).code());
        Files.writeString(tmp.resolve("x"), "x");
        StatsCommandTest.Run r = StatsCommandTest.run("convert", in.toString(), "--output", tmp.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("not empty"), r.err());
        r = StatsCommandTest.run("convert", in.toString(), "--output", tmp.resolve("o").toString(), "--begin",
                "yesterday");
        assertEquals(2, r.code(), r.err());
        assertFalse(Files.exists(tmp.resolve("o")));
    }
}
