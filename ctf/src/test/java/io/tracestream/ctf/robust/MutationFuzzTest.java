package io.tracestream.ctf.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.testing.SharedTraces;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic mutation fuzzing of real stream files: bit flips, byte overwrites, interesting values in packet
 * context fields, truncation, duplicated and deleted ranges, zeroed ranges. Each mutated trace is read in full (every
 * message, every field walked, every event printed as text); the read must either succeed or throw a
 * {@link CtfException} whose message is one line naming a file of the trace. Any other exception, a hang (per-case
 * timeout) or an out-of-memory error fails the test, with the seed and mutation to reproduce it.
 *
 * <p>Also checks the lenient mode: a broken packet in the middle of a stream is skipped and reported (file and
 * offset) and every event of the other packets is still read.
 */
class MutationFuzzTest {
    /** Base seed: change it to explore other mutations; failures print the per-case seed. */
    static final long SEED = 0x7ace_5eedL;
    /** Mutations per base trace. */
    static final int CASES_PER_TRACE = 220;
    /** Upper bound for one read of a mutated trace. */
    static final long CASE_TIMEOUT_MS = 5_000;
    /** Upper bound for the whole fuzzing run (cases beyond it are not run; the count is reported). */
    static final long TOTAL_BUDGET_MS = 30_000;

    /** Small shared traces fuzzed besides the sample trace (skipped when the shared traces are absent). */
    static final List<String> SHARED = List.of(
            "babeltrace/stable-2.0/ctf-traces/succeed/wk-heartbeat-u",
            "babeltrace/stable-2.0/ctf-traces/succeed/sequence",
            "babeltrace/stable-2.0/ctf-traces/succeed/array-align-elem",
            "babeltrace/stable-2.0/ctf-traces/succeed/meta-variant-reserved-keywords",
            "babeltrace/stable-2.0/ctf-traces/succeed/barectf-event-before-packet",
            "babeltrace/stable-2.0/ctf-traces/succeed/no-packet-context",
            "babeltrace/stable-2.0/ctf-traces/succeed/lttng-crash",
            "babeltrace/stable-2.0/ctf-traces/succeed/meta-ctx-sequence",
            // CTF 2 (JSON metadata)
            "babeltrace/ctf-traces-master/2/succeed/sequence",
            "babeltrace/ctf-traces-master/2/succeed/meta-variant-reserved-keywords",
            "babeltrace/ctf-traces-master/2/succeed/2packets",
            "babeltrace/ctf-traces-master/2/succeed/debug-info");

    /**
     * Problems (a substring of the message) of known open bugs, each with a disabled regression test in
     * {@link FuzzRegressionTest}: counted and printed, but not failing this test.
     */
    static final List<String> KNOWN = List.of();

    @TempDir
    Path tmp;

    /** A case that broke the contract. */
    record Finding(String trace, long seed, String mutation, String problem) {
    }

    @Test
    void mutatedTracesFailCleanly() throws Exception {
        Map<String, Path> bases = new LinkedHashMap<>();
        Path sample = BrokenTraces.copySample(tmp.resolve("sample-indexed"));
        bases.put("sample-ust (indexed)", sample);
        Path sampleScan = BrokenTraces.copySample(tmp.resolve("sample-scanned"));
        BrokenTraces.dropIndex(sampleScan);
        bases.put("sample-ust (scanned)", sampleScan);
        // the LTTng index files mutated instead of the stream files
        bases.put("sample-ust (index files)", BrokenTraces.copySample(tmp.resolve("sample-index-fuzz")));
        if (SharedTraces.isAvailable()) {
            for (String rel : SHARED) {
                Path from = SharedTraces.traces().resolve(rel);
                if (Files.isDirectory(from)) {
                    bases.put(rel, BrokenTraces.copyTree(from, tmp.resolve(rel.replace('/', '_'))));
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        List<Finding> known = new ArrayList<>();
        int run = 0;
        int failedCleanly = 0;
        int lenientRuns = 0;
        long start = System.nanoTime();
        ExecutorService exec = newExecutor();
        try {
            int t = 0;
            outer:
            for (Map.Entry<String, Path> base : bases.entrySet()) {
                Path dir = base.getValue();
                List<Path> files = base.getKey().endsWith("(index files)")
                        ? BrokenTraces.streamFiles(dir.resolve("index")) : dataFiles(dir);
                Map<Path, byte[]> originals = new LinkedHashMap<>();
                for (Path f : files) {
                    originals.put(f, BrokenTraces.read(f));
                }
                // the unmutated trace reads fine
                assertEquals(null, readAll(dir, exec).problem, base.getKey() + " does not read before mutation");
                for (int i = 0; i < CASES_PER_TRACE; i++) {
                    if ((System.nanoTime() - start) / 1_000_000 > TOTAL_BUDGET_MS) {
                        break outer;
                    }
                    long seed = SEED * 31 + t * 100_003L + i;
                    Random rnd = new Random(seed);
                    Path f = files.get(rnd.nextInt(files.size()));
                    byte[] orig = originals.get(f);
                    StringBuilder what = new StringBuilder(dir.relativize(f).toString()).append(": ");
                    BrokenTraces.write(f, Mutator.mutate(orig, rnd, what));
                    Outcome o = readAll(dir, exec);
                    run++;
                    if (o.problem == null && o.failedCleanly) {
                        failedCleanly++;
                        // the lenient reading of a trace that fails strictly
                        o = readAllLeniently(dir, exec);
                        lenientRuns++;
                    }
                    if (o.problem != null) {
                        String p = o.problem;
                        boolean isKnown = KNOWN.stream().anyMatch(p::contains);
                        (isKnown ? known : findings).add(new Finding(base.getKey(), seed, what.toString(), p));
                        if (o.timedOut) {
                            exec.shutdownNow();
                            exec = newExecutor();
                        }
                    }
                    BrokenTraces.write(f, orig);
                }
                t++;
            }
        } finally {
            exec.shutdownNow();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("MutationFuzzTest: " + run + " mutated traces read in " + ms + " ms, " + failedCleanly
                + " failed with a clean CtfException (then read leniently: " + lenientRuns + "), " + findings.size()
                + " broke the contract" + (known.isEmpty() ? "" : ", " + known.size() + " showed known open bugs "
                + KNOWN + " (first: " + known.get(0) + ")"));
        assertTrue(run >= 500, "too few cases ran within the budget: " + run);
        if (!findings.isEmpty()) {
            // one line per distinct problem (first line of the problem), with the first case that shows it
            Map<String, Finding> distinct = new LinkedHashMap<>();
            for (Finding f : findings) {
                String first = f.problem().lines().findFirst().orElse("");
                distinct.putIfAbsent(first.replaceAll("/\\S*/", "/").replaceAll("\\d+", "#"), f);
            }
            StringBuilder sb = new StringBuilder(findings.size() + " of " + run
                    + " mutated traces broke the contract; " + distinct.size() + " distinct problems:\n");
            for (Finding f : distinct.values()) {
                sb.append("- ").append(f.trace()).append(", seed ").append(f.seed()).append(", ")
                        .append(f.mutation()).append("\n  ").append(f.problem().replace("\n", "\n  ")).append('\n');
            }
            fail(sb.toString());
        }
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread th = new Thread(r, "fuzz-case");
            th.setDaemon(true);
            return th;
        });
    }

    /** The data stream files of a trace directory (not metadata, not the index, not hidden files). */
    static List<Path> dataFiles(Path dir) {
        return BrokenTraces.streamFiles(dir);
    }

    // ---- reading -----------------------------------------------------------------------------------------

    /** What one read of a trace gave: {@code problem} is null when the contract held. */
    record Outcome(String problem, boolean failedCleanly, boolean timedOut) {
    }

    /** Reads everything, bounded by {@link #CASE_TIMEOUT_MS}, and checks the contract. */
    static Outcome readAll(Path dir, ExecutorService exec) {
        return readAll(dir, exec, () -> decodeEverything(dir,
                ReadOptions.defaults().listener(TraceListener.SILENT)));
    }

    /**
     * Reads everything in lenient mode: besides the contract of {@link #readAll(Path, ExecutorService)}, every
     * skipped packet is reported with a file of the trace, an offset within it and a one-line reason.
     */
    static Outcome readAllLeniently(Path dir, ExecutorService exec) {
        List<String> bad = new ArrayList<>();
        TraceListener l = new TraceListener() {
            @Override
            public void skipped(Path file, long offset, String reason) {
                long size = file.toFile().length();
                if (!file.startsWith(dir) || offset < 0 || offset >= Math.max(size, 1) || reason == null
                        || reason.contains("\n")) {
                    bad.add(file + " @ " + offset + " (file size " + size + "): " + reason);
                }
            }
        };
        Outcome o = readAll(dir, exec, () -> decodeEverything(dir, ReadOptions.defaults().lenient(true).listener(l)));
        if (o.problem == null && !bad.isEmpty()) {
            return new Outcome("lenient mode: bad skip report: " + bad.get(0), false, false);
        }
        return o.problem == null ? o : new Outcome("lenient mode: " + o.problem, false, o.timedOut);
    }

    private static Outcome readAll(Path dir, ExecutorService exec, Runnable body) {
        Future<?> f = exec.submit(body);
        try {
            f.get(CASE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return new Outcome(null, false, false);
        } catch (TimeoutException e) {
            f.cancel(true);
            return new Outcome("no result within " + CASE_TIMEOUT_MS + " ms (hang?)", false, true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CtfException ce) {
                String msg = ce.getMessage();
                if (msg == null || msg.contains("\n") || msg.contains("\r")) {
                    return new Outcome("CtfException message is not one line: " + msg + "\n" + top(ce), false,
                            false);
                }
                if (!msg.startsWith(dir.toString())) {
                    return new Outcome("CtfException message does not start with a file of the trace: " + msg
                            + "\n" + top(ce), false, false);
                }
                return new Outcome(null, true, false);
            }
            return new Outcome(c + "\n" + top(c), false, false);
        }
    }

    private static String top(Throwable t) {
        StringBuilder sb = new StringBuilder();
        StackTraceElement[] st = t.getStackTrace();
        for (int i = 0; i < Math.min(6, st.length); i++) {
            sb.append("at ").append(st[i]).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** A visitor that touches every value (so lazily decoded values are decoded). */
    static final class Toucher implements FieldVisitor {
        long sum;

        @Override
        public void integer(String name, IntegerClass type, long value) {
            sum += value;
        }

        @Override
        public void floating(String name, FloatClass type, double value) {
            sum += Double.hashCode(value);
        }

        @Override
        public void string(String name, FieldClass type, String value) {
            sum += value.length();
        }

        @Override
        public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
            for (int i = 0; i < length; i++) {
                sum += bytes[offset + i];
            }
        }
    }

    /** Reads every message of the traces under {@code dir}, walks every field, prints every message as text. */
    static long decodeEverything(Path dir, ReadOptions options) {
        Toucher v = new Toucher();
        PrintStream nullErr = new PrintStream(OutputStream.nullOutputStream());
        PrettyPrinter printer = new PrettyPrinter(new PrettyOptions().zone(java.time.ZoneOffset.UTC),
                OutputStream.nullOutputStream(), nullErr);
        long events = 0;
        try (TraceSet ts = TraceSet.open(options, dir); MessageCursor c = ts.messages()) {
            while (c.next()) {
                MessageType t = c.type();
                if (t == MessageType.PACKET_BEGINNING) {
                    c.packet().accept(Scope.PACKET_HEADER, v);
                    c.packet().accept(Scope.PACKET_CONTEXT, v);
                } else if (t == MessageType.EVENT) {
                    EventRecord e = c.event();
                    for (Scope s : new Scope[] {Scope.EVENT_HEADER, Scope.EVENT_COMMON_CONTEXT,
                        Scope.EVENT_SPECIFIC_CONTEXT, Scope.EVENT_PAYLOAD}) {
                        e.accept(s, v);
                    }
                    events++;
                }
                printer.message(c);
            }
        } finally {
            printer.flush();
        }
        return events + (v.sum & 0);
    }

    // ---- lenient mode ------------------------------------------------------------------------------------

    /** Events per packet, keyed by "file@offset", read strictly. */
    static Map<String, Integer> eventsPerPacket(Path dir, ReadOptions o) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Toucher v = new Toucher();
        try (TraceSet ts = TraceSet.open(o, dir); MessageCursor c = ts.messages()) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT) {
                    c.event().accept(Scope.EVENT_PAYLOAD, v);
                    counts.merge(c.packet().stream().file().getFileName() + "@" + c.packet().offset(), 1,
                            Integer::sum);
                }
            }
        }
        return counts;
    }

    /** A listener recording skipped packets as "file@offset: reason". */
    static final class Skips implements TraceListener {
        final List<String> skipped = new ArrayList<>();

        @Override
        public void skipped(Path file, long offset, String reason) {
            skipped.add(file.getFileName() + "@" + offset + ": " + reason);
        }
    }

    @Test
    void lenientSkipsABrokenPacketAndReadsTheRest() {
        for (boolean indexed : new boolean[] {true, false}) {
            Path dir = BrokenTraces.copySample(tmp.resolve("lenient-" + indexed));
            if (!indexed) {
                BrokenTraces.dropIndex(dir);
            }
            Map<String, Integer> before = eventsPerPacket(dir, ReadOptions.defaults().listener(TraceListener.SILENT));
            Path s = dir.resolve("chan0_0");
            List<Long> packets = BrokenTraces.samplePacketOffsets(s);
            assertTrue(packets.size() >= 3, "sample stream has too few packets: " + packets);
            long mid = packets.get(packets.size() / 2);
            String key = "chan0_0@" + mid;
            assertTrue(before.getOrDefault(key, 0) > 0, "no events in the packet to break: " + before);

            // 1. bad magic: the whole packet is skipped
            BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, (int) mid, 0x12345678));
            try (TraceSet strict = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), dir)) {
                CtfException e = org.junit.jupiter.api.Assertions.assertThrows(CtfException.class, () -> {
                    try (MessageCursor c = strict.messages()) {
                        while (c.next()) {
                            // read all
                        }
                    }
                });
                assertTrue(e.getMessage().startsWith(s + ": offset " + mid + ": "), e.getMessage());
            } catch (CtfException e) {
                // a scan at open time (no index) finds it already
                assertFalse(indexed, e.getMessage());
                assertTrue(e.getMessage().startsWith(s + ": offset " + mid + ": "), e.getMessage());
            }
            Skips skips = new Skips();
            Map<String, Integer> after = eventsPerPacket(dir, ReadOptions.defaults().lenient(true).listener(skips));
            Map<String, Integer> expected = new LinkedHashMap<>(before);
            expected.remove(key);
            assertEquals(expected, after, "lenient read, bad magic at " + key + (indexed ? " (index)" : " (scan)"));
            assertEquals(1, skips.skipped.size(), skips.skipped.toString());
            assertTrue(skips.skipped.get(0).startsWith(key + ": "), skips.skipped.toString());
            assertTrue(skips.skipped.get(0).contains("magic"), skips.skipped.toString());

            // 2. an unknown event id in the middle of the packet: the events before it stay, the rest is skipped
            BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, (int) mid, 0xc1fc1fc1));
            int firstEvent = (int) mid + BrokenTraces.FIRST_EVENT_AT;
            BrokenTraces.edit(s, b -> {
                b[firstEvent] = (byte) 0xe8; // id 65000 of the large event header: no such class
                b[firstEvent + 1] = (byte) 0xfd;
            });
            skips = new Skips();
            after = eventsPerPacket(dir, ReadOptions.defaults().lenient(true).listener(skips));
            assertEquals(expected, after, "lenient read, bad event id at " + key);
            assertEquals(1, skips.skipped.size(), skips.skipped.toString());
            assertTrue(skips.skipped.get(0).startsWith(key + ": "), skips.skipped.toString());
            assertTrue(skips.skipped.get(0).contains("offset " + firstEvent), skips.skipped.toString());
        }
    }

    @Test
    void lenientReportsATruncatedTail() {
        Path dir = BrokenTraces.copySample(tmp.resolve("lenient-tail"));
        BrokenTraces.dropIndex(dir);
        Map<String, Integer> before = eventsPerPacket(dir, ReadOptions.defaults().listener(TraceListener.SILENT));
        Path s = dir.resolve("chan0_1");
        List<Long> packets = BrokenTraces.samplePacketOffsets(s);
        long last = packets.get(packets.size() - 1);
        BrokenTraces.truncate(s, last + 500);
        Skips skips = new Skips();
        Map<String, Integer> after = eventsPerPacket(dir, ReadOptions.defaults().lenient(true).listener(skips));
        Map<String, Integer> expected = new LinkedHashMap<>(before);
        expected.remove("chan0_1@" + last);
        assertEquals(expected, after);
        assertEquals(1, skips.skipped.size(), skips.skipped.toString());
        assertTrue(skips.skipped.get(0).startsWith("chan0_1@" + last + ": "), skips.skipped.toString());
    }
}
