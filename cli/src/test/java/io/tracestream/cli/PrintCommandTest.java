package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code tracestream print} through {@link Main}, against babeltrace2 on shared traces. */
class PrintCommandTest {
    private static final String ZONE = "Europe/Paris";

    record Run(int code, String out, String err) {
    }

    private static Run tracestream(String... args) {
        return tracestream(Map.of("TZ", ZONE), args);
    }

    private static Run tracestream(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), env);
        int code = Main.run(args, t);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static ProcessResult babeltrace(String... args) {
        return Babeltrace.command(args).env("TZ", ZONE).run().requireSuccess();
    }

    private static Path trace(String name) {
        return SharedTraces.path("babeltrace/stable-2.0/ctf-traces/" + name);
    }

    /** Runs both with the same arguments (the trace path last) and checks stdout and the loss warnings. */
    private static void same(String... args) {
        ProcessResult bt = babeltrace(args);
        List<String> a = new ArrayList<>(List.of("print"));
        a.addAll(Arrays.asList(args));
        Run ts = tracestream(a.toArray(new String[0]));
        assertEquals(0, ts.code(), ts.err());
        assertEquals(bt.stdout(), ts.out(), "print " + String.join(" ", args));
        assertEquals(warnings(bt.stderr()), warnings(ts.err()), "warnings of print " + String.join(" ", args));
    }

    private static String warnings(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("WARNING: ")).collect(Collectors.joining("\n"));
    }

    @Test
    void defaultOutputAndLossWarnings() {
        same(trace("packet_seq_num/2_streams_lost_in_1").toString());
        same(trace("succeed/multi-domains").toString());
        same(trace("succeed/2packets").toString(), trace("succeed/wk-heartbeat-u").toString());
    }

    @Test
    void formattingOptions() {
        String t = trace("succeed/wk-heartbeat-u").toString();
        same("--clock-date", "-n", "all", t);
        same("--clock-gmt", "--clock-seconds", "-f", "all", t);
        same("--clock-cycles", "--no-delta", "--names", "none", "--fields", "trace,trace:vpid", t);
        same("--color", "never", t);
    }

    @Test
    void timeRanges() {
        String t = trace("succeed/wk-heartbeat-u").toString();
        same("-b", "18:48:17.587", "-e", "18:48:17.59", t);
        same("--clock-gmt", "--begin", "17:48:17.587", t);
        same("-e", "2012-10-29 18:48:17.5867", t);
        same("-b", "1351532897.5866", "-e", "1351532897.589", t);
        same("--stream-intersection", trace("intersection/3eventsintersect").toString());
    }

    /** With BABELTRACE_TERM_COLOR=always both tools colour the lines and warnings and reset at the end. */
    @Test
    void forcedColors() {
        for (String[] args : List.of(new String[] {trace("packet_seq_num/2_streams_lost_in_1").toString()},
                new String[] {"-n", "all", "-f", "all", trace("succeed/multi-domains").toString()})) {
            ProcessResult bt = Babeltrace.command(args).env("TZ", ZONE).env("BABELTRACE_TERM_COLOR", "always").run()
                    .requireSuccess();
            List<String> a = new ArrayList<>(List.of("print"));
            a.addAll(Arrays.asList(args));
            Run ts = tracestream(Map.of("TZ", ZONE, "BABELTRACE_TERM_COLOR", "always"), a.toArray(new String[0]));
            assertTrue(bt.stdout().contains("\033[1m"));
            assertEquals(bt.stdout(), ts.out());
            assertEquals(bt.stderr().lines().filter(l -> l.contains("WARNING")).collect(Collectors.toList()),
                    ts.err().lines().filter(l -> l.contains("WARNING")).collect(Collectors.toList()));
        }
    }

    @Test
    void eventFilter() {
        String t = trace("succeed/multi-domains").toString();
        String all = babeltrace("--no-delta", t).stdout();
        String name = "lttng_test_filter_event";
        String expected = all.lines().filter(l -> l.contains(" " + name + ": "))
                .map(l -> l + "\n").collect(Collectors.joining());
        Run ts = tracestream("print", "--no-delta", "--event", name + ",no_such_event", t);
        assertEquals(0, ts.code(), ts.err());
        assertTrue(!expected.isEmpty());
        assertEquals(expected, ts.out());
    }

    @Test
    void dummyAndMetadata() {
        Run dummy = tracestream("print", "-o", "dummy", trace("succeed/multi-domains").toString());
        assertEquals(new Run(0, "", ""), dummy);
        for (String t : List.of("succeed/2packets", "succeed/smalltrace")) {
            String path = trace(t).toString();
            Run md = tracestream("print", "--output-format=ctf-metadata", path);
            assertEquals(0, md.code(), md.err());
            assertEquals(babeltrace("-o", "ctf-metadata", path).stdout(), md.out(), t);
        }
    }

    @Test
    void badUsage() {
        String t = trace("succeed/smalltrace").toString();
        assertEquals(2, tracestream("print").code());
        assertEquals(2, tracestream("print", "-o", "json", t).code());
        assertEquals(2, tracestream("print", "-n", "bogus", t).code());
        assertEquals(2, tracestream("print", "-f", "bogus", t).code());
        assertEquals(2, tracestream("print", "--color", "sometimes", t).code());
        assertEquals(2, tracestream("print", "-b", "yesterday", t).code());
        assertEquals(2, tracestream("print", "-o", "ctf-metadata", t, t).code());
        Run missing = tracestream("print", t + "/does-not-exist");
        assertEquals(1, missing.code());
        assertTrue(missing.err().startsWith("tracestream: error: "), missing.err());
    }
}
