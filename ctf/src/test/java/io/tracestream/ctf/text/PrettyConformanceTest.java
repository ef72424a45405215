package io.tracestream.ctf.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link PrettyPrinter} over {@link TraceSet} against {@code babeltrace2 TRACE} on every shared trace babeltrace2
 * reads: stdout byte for byte, and the discarded events/packets warnings of stderr, in UTC and in a time zone with
 * daylight saving time; plus option variants on a few traces. A trace babeltrace2 refuses is skipped (with its
 * error); a trace whose difference is a known reader issue (not a printer one) is skipped with that reason when it
 * still differs.
 */
class PrettyConformanceTest {
    private static final String BT = "babeltrace/stable-2.0/ctf-traces/";
    private static final String OTHER_ZONE = "America/New_York";

    /** Differences known to come from the reader, not from the printer. */
    private static final Map<String, String> KNOWN = Map.of();

    /** Traces babeltrace2 2.0.4 does not finish on (it grows without bound): not run at all. */
    private static final Map<String, String> BABELTRACE_HANGS = Map.of(
            "yactfr/iter-data/ctf-1/pass-dl-arrays", "babeltrace2 2.0.4 runs out of memory on it");

    private static List<String> traces() {
        Path root = SharedTraces.traces();
        List<String> out = new ArrayList<>();
        for (String group : List.of("succeed", "intersection", "packet_seq_num")) {
            children(root.resolve(BT + group)).forEach(p -> out.add(BT + group + "/" + p.getFileName()));
        }
        for (String d : List.of("a-corrupted", "b-not-corrupted", "c-corrupted")) {
            out.add(BT + "deterministic-ordering/" + d);
        }
        children(root.resolve("tracecompass")).stream()
                .filter(p -> !p.getFileName().toString().startsWith("_") && !p.getFileName().toString().equals("ctf2"))
                .forEach(p -> out.add("tracecompass/" + p.getFileName()));
        children(root.resolve("yactfr/iter-data/ctf-1")).stream()
                .filter(p -> p.getFileName().toString().startsWith("pass-"))
                .forEach(p -> out.add("yactfr/iter-data/ctf-1/" + p.getFileName()));
        return out;
    }

    private static List<Path> children(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyTraceUtcAndLocal() {
        SharedTraces.assumeAvailable();
        Babeltrace.require();
        return traces().stream().flatMap(t -> Stream.of(
                DynamicTest.dynamicTest(t + " (UTC)", () -> compare(t, "UTC")),
                DynamicTest.dynamicTest(t + " (" + OTHER_ZONE + ")", () -> compare(t, OTHER_ZONE))));
    }

    @TestFactory
    Stream<DynamicTest> optionVariants() {
        SharedTraces.assumeAvailable();
        Babeltrace.require();
        List<String[]> options = List.of(new String[] {"--clock-seconds"}, new String[] {"--clock-cycles"},
                new String[] {"--no-delta"}, new String[] {"-n", "all"}, new String[] {"-n", "none"},
                new String[] {"-n", "payload,scope"}, new String[] {"-f", "all"},
                new String[] {"-f", "trace:domain,loglevel"}, new String[] {"--clock-gmt"},
                new String[] {"--clock-date"}, new String[] {"--clock-date", "--clock-gmt", "-n", "header"});
        List<String> some = List.of(BT + "succeed/multi-domains", BT + "succeed/sequence",
                BT + "packet_seq_num/2_streams_lost_in_1", BT + "succeed/wk-heartbeat-u",
                "tracecompass/ctf-sequence-empty");
        return options.stream().flatMap(o -> some.stream().map(t -> DynamicTest.dynamicTest(
                t + " " + String.join(" ", o), () -> compare(t, OTHER_ZONE, o))));
    }

    private static void compare(String relative, String zone, String... options) {
        Path trace = SharedTraces.path(relative);
        List<String> args = new ArrayList<>(Arrays.asList(options));
        args.add(trace.toString());
        String hangs = BABELTRACE_HANGS.get(relative);
        Assumptions.assumeTrue(hangs == null, () -> "skipped: " + hangs);
        ProcessResult bt;
        try {
            bt = Babeltrace.command(args).env("TZ", zone).timeout(Duration.ofSeconds(60)).run();
        } catch (AssertionError e) {
            Assumptions.abort("babeltrace2 does not finish on " + relative + ": " + e.getMessage());
            return;
        }
        Assumptions.assumeTrue(bt.exitCode() == 0, () -> "babeltrace2 does not read " + relative + ": "
                + lastLine(bt.stderr()));

        PrettyOptions o = new PrettyOptions().zone(ZoneId.of(zone));
        for (int i = 0; i < options.length; i++) {
            switch (options[i]) {
                case "--clock-seconds" -> o.clockSeconds(true);
                case "--clock-cycles" -> o.clockCycles(true);
                case "--clock-gmt" -> o.clockGmt(true);
                case "--clock-date" -> o.clockDate(true);
                case "--no-delta" -> o.noDelta(true);
                case "-n" -> o.names(options[++i]);
                case "-f" -> o.fields(options[++i]);
                default -> fail("option not mapped: " + options[i]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String error = null;
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), trace);
             MessageCursor c = ts.messages()) {
            new PrettyPrinter(o, out, err).print(c);
        } catch (RuntimeException e) {
            error = e.toString();
        }
        String actual = out.toString(StandardCharsets.UTF_8);
        String expected = Babeltrace2Bugs.clearStaleEmptyStrings(bt.stdout(), actual);
        String expectedWarnings = warnings(bt.stderr());
        String actualWarnings = warnings(err.toString(StandardCharsets.UTF_8));
        boolean same = error == null && expected.equals(actual) && expectedWarnings.equals(actualWarnings);
        String known = KNOWN.get(relative);
        if (!same && known != null) {
            Assumptions.abort("known reader difference on " + relative + ": " + known);
        }
        if (error != null) {
            fail("babeltrace2 reads " + relative + " but we fail: " + error);
        }
        if (!expected.equals(actual)) {
            fail("stdout differs from babeltrace2 on " + relative + " TZ=" + zone + " " + String.join(" ", options)
                    + ": " + firstDifference(expected, actual));
        }
        assertEquals(expectedWarnings, actualWarnings, "discarded-items warnings differ on " + relative);
    }

    /** The discarded events/packets warnings of a stderr text (babeltrace2 also logs other things there). */
    private static String warnings(String stderr) {
        return stderr.lines().filter(l -> l.startsWith("WARNING: ") || l.startsWith("[warning] "))
                .collect(Collectors.joining("\n"));
    }

    private static String lastLine(String s) {
        List<String> l = s.lines().filter(x -> !x.isBlank()).collect(Collectors.toList());
        return l.isEmpty() ? "(no message)" : l.get(l.size() - 1).trim();
    }

    private static String firstDifference(String expected, String actual) {
        String[] x = expected.split("\n", -1);
        String[] y = actual.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return "line " + (i + 1) + "\n  babeltrace2: " + x[i] + "\n  ours:        " + y[i];
            }
        }
        return "babeltrace2 has " + x.length + " lines, ours " + y.length;
    }
}
