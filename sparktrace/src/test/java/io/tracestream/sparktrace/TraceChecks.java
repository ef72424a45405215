package io.tracestream.sparktrace;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading recorded traces in tests: events, and the text comparison with babeltrace2. */
public final class TraceChecks {
    private TraceChecks() {
    }

    /** Trace directories (those holding a metadata file) under {@code root}. */
    public static List<Path> traceDirs(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.getFileName().toString().equals("metadata")).map(Path::getParent).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** All events of the traces, in time order, copied; reading fails the test on any error or warning. */
    static List<EventRecord> events(Path... traces) {
        List<String> warnings = new ArrayList<>();
        List<EventRecord> out = new ArrayList<>();
        TraceListener l = new TraceListener() {
            @Override
            public void warning(String message) {
                warnings.add(message);
            }
        };
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(l), traces)) {
            for (EventRecord e : ts.events()) {
                out.add(e.copy());
            }
        }
        assertEquals(List.of(), warnings, "warnings while reading");
        return out;
    }

    /** TraceStream's text output of the traces (babeltrace2's default format, UTC). */
    public static String print(Path... traces) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults(), traces); MessageCursor c = ts.messages()) {
            new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC), out, err).print(c);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8), "errors while printing");
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Asserts that babeltrace2 reads the traces without error and prints exactly what TraceStream prints. */
    public static String assertSameAsBabeltrace(Path... traces) {
        String ours = print(traces);
        if (!Babeltrace.isInstalled()) {
            return ours;
        }
        List<String> args = new ArrayList<>();
        for (Path t : traces) {
            args.add(t.toString());
        }
        String bt = Babeltrace.command(args).run().requireSuccess().stdout();
        assertTrue(!ours.isEmpty(), "no events");
        assertEquals(Babeltrace2Bugs.clearStaleEmptyStrings(bt, ours), ours, "babeltrace2 vs tracestream print");
        return ours;
    }

    /**
     * As {@link #assertSameAsBabeltrace}, for traces too large to hold their text in memory (kernel traces): both
     * readers print to files under {@code scratch}, compared line by line; returns the number of lines.
     */
    public static long assertSameAsBabeltraceStreaming(Path scratch, Path... traces) throws IOException {
        Path ours = scratch.resolve("tracestream-print.txt");
        Path theirs = scratch.resolve("babeltrace2.txt");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults(), traces); MessageCursor c = ts.messages();
             java.io.OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(ours), 1 << 16)) {
            new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC), out, err).print(c);
        }
        assertEquals("", err.toString(StandardCharsets.UTF_8), "errors while printing");
        try {
            if (!Babeltrace.isInstalled()) {
                return Files.size(ours);
            }
            List<String> args = new ArrayList<>();
            for (Path t : traces) {
                args.add(t.toString());
            }
            Babeltrace.command(args).timeout(java.time.Duration.ofMinutes(5)).stdoutTo(theirs).run().requireSuccess();
            long n = 0;
            try (var a = Files.newBufferedReader(ours, StandardCharsets.UTF_8);
                 var b = Files.newBufferedReader(theirs, StandardCharsets.UTF_8)) {
                while (true) {
                    String x = a.readLine();
                    String y = b.readLine();
                    if (x == null || y == null) {
                        assertTrue(x == null && y == null, "line " + (n + 1) + ": tracestream print: " + x
                                + "\nbabeltrace2: " + y);
                        break;
                    }
                    n++;
                    if (!x.equals(y)) {
                        assertEquals(Babeltrace2Bugs.clearStaleEmptyStrings(y, x), x, "line " + n);
                    }
                }
            }
            assertTrue(n > 0, "no events");
            return n;
        } finally {
            Files.deleteIfExists(ours);
            Files.deleteIfExists(theirs);
        }
    }

    /** An integer member of the event's packet context, or null. */
    static Long packetContext(EventRecord e, String name) {
        Long[] v = new Long[1];
        e.packet().accept(io.tracestream.ctf.meta.Scope.PACKET_CONTEXT, new io.tracestream.ctf.FieldVisitor() {
            @Override
            public void integer(String n, io.tracestream.ctf.meta.IntegerClass type, long value) {
                if (name.equals(n)) {
                    v[0] = value;
                }
            }
        });
        return v[0];
    }

    static List<EventRecord> named(List<EventRecord> events, String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }
}
