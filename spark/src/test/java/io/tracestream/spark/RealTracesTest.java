package io.tracestream.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The {@code ctf} source in local[2] mode on every real trace at hand (the project's recorded sample traces, Trace
 * Compass's LTTng traces, lttng-analyses' traces, babeltrace2's succeed traces, CTF 2 traces): row for row equal
 * to the core reader ({@link TraceSet}), per-event-name counts and discarded events equal to babeltrace2's, and a
 * trace the core reader refuses is refused with the same message.
 */
class RealTracesTest {

    static List<Path> traces() throws IOException {
        List<Path> out = new ArrayList<>();
        out.add(SampleTraces.sampleUst());
        out.add(SampleTraces.lossyUst());
        if (SharedTraces.isAvailable()) {
            Path t = SharedTraces.traces();
            for (String dir : new String[] {"tracecompass", "lttng-analyses/generated",
                "babeltrace/stable-2.0/ctf-traces/succeed", "tracecompass/ctf2"}) {
                Path d = t.resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(Files::isDirectory)
                            .filter(p -> !p.getFileName().toString().startsWith("_"))
                            .filter(p -> !p.getFileName().toString().equals("ctf2"))
                            .sorted()
                            .forEach(out::add);
                }
            }
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> equalToCoreReaderAndBabeltrace() throws IOException {
        return traces().stream().map(p -> DynamicTest.dynamicTest(label(p), () -> check(p)));
    }

    private static String label(Path p) {
        Path root = SharedTraces.traces();
        return p.startsWith(root) ? root.relativize(p).toString() : p.getFileName().toString();
    }

    private static void check(Path trace) {
        // the core reader
        long[] core;
        Map<String, Long> coreCounts = new TreeMap<>();
        List<Long> hashes = new ArrayList<>();
        boolean perStream = false;
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), trace)) {
            for (EventRecord e : ts.events()) {
                hashes.add(hash(Canonical.of(e, false)));
                coreCounts.merge(e.name(), 1L, Long::sum);
            }
        } catch (CtfException e) {
            if (!e.getMessage().contains("cannot merge streams in time order")) {
                // the source must refuse the trace too, with the core's message
                Exception ex = assertThrows(Exception.class,
                        () -> TestSpark.get().read().format("ctf").load(trace.toString()).count());
                assertTrue(messages(ex).contains(e.getMessage()), () -> "core: " + e.getMessage() + "\nspark: "
                        + messages(ex));
                return;
            }
            // Valid streams that babeltrace2 and the core cannot merge in time order: the source reads each stream
            // on its own and does not merge, so compare with the core's per-stream reads.
            hashes.clear();
            coreCounts.clear();
            perStream = true;
            CoreStreams.forEachEvent(trace, ev -> {
                hashes.add(hash(Canonical.of(ev, false)));
                coreCounts.merge(ev.name(), 1L, Long::sum);
            });
        }
        core = hashes.stream().mapToLong(Long::longValue).sorted().toArray();

        // one Spark job: a hash of each canonical row and its event name
        Dataset<Row> df = TestSpark.get().read().format("ctf").load(trace.toString());
        Dataset<String> mapped = df.map((MapFunction<Row, String>) r -> hash(Canonical.of(r, false)) + " "
                + r.getString(0), Encoders.STRING());
        List<String> out = mapped.collectAsList();
        long[] spark = new long[out.size()];
        Map<String, Long> groupCounts = new TreeMap<>();
        for (int i = 0; i < spark.length; i++) {
            String o = out.get(i);
            int sp = o.indexOf(' ');
            spark[i] = Long.parseLong(o.substring(0, sp));
            groupCounts.merge(o.substring(sp + 1), 1L, Long::sum);
        }
        Arrays.sort(spark);
        assertEquals(coreCounts, groupCounts, "events per name, core reader vs Spark");
        if (!Arrays.equals(core, spark)) {
            fail("rows differ from the core reader:\n" + diff(trace, df));
        }
        Map<String, Long> m = Metrics.of(mapped);
        if (Babeltrace.isInstalled() && !perStream) {
            BabeltraceCounts bt = BabeltraceCounts.of(trace);
            if (bt.ok()) {
                assertEquals(bt.events(), groupCounts, "events per name, babeltrace2 vs Spark");
                assertEquals(bt.discardedEvents(), m.getOrDefault("discardedEvents", 0L),
                        "discarded events vs babeltrace2");
                assertEquals(bt.discardedPackets(), m.getOrDefault("lostPackets", 0L),
                        "lost packets vs babeltrace2");
            }
        }
        Map<String, Long> stats = TraceCompassStats.of(trace);
        if (stats != null) {
            assertEquals(stats, groupCounts, "events per name vs babeltrace2's per-stream counts (_stats)");
        }
        long events = groupCounts.values().stream().mapToLong(Long::longValue).sum();
        assertEquals(events, m.getOrDefault("eventsDecoded", 0L), "eventsDecoded metric");
    }

    /** On a mismatch: the canonical rows one side has and the other lacks (first 5 each). */
    private static String diff(Path trace, Dataset<Row> df) {
        List<String> core = new ArrayList<>();
        CoreStreams.forEachEvent(trace, e -> core.add(Canonical.of(e, false)));
        List<String> spark = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            spark.add(Canonical.of(r, false));
        }
        List<String> onlyCore = new ArrayList<>(core);
        spark.forEach(onlyCore::remove);
        List<String> onlySpark = new ArrayList<>(spark);
        core.forEach(onlySpark::remove);
        return "only core (" + onlyCore.size() + "):\n  " + String.join("\n  ", onlyCore.subList(0,
                Math.min(5, onlyCore.size()))) + "\nonly Spark (" + onlySpark.size() + "):\n  "
                + String.join("\n  ", onlySpark.subList(0, Math.min(5, onlySpark.size())));
    }

    static String messages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            sb.append(c.getMessage()).append('\n');
        }
        return sb.toString();
    }

    /** A 64-bit hash of a string (two independent 32-bit hashes). */
    static long hash(String s) {
        long h = 1125899906842597L;
        for (int i = 0; i < s.length(); i++) {
            h = 31 * h + s.charAt(i);
        }
        return h ^ ((long) s.hashCode() << 32) * 0x9E3779B97F4A7C15L;
    }
}
