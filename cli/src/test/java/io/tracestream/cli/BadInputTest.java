package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.robust.BrokenTraces;
import io.tracestream.ctf.robust.Mutator;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Babeltrace2Bugs;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input through the command line: for broken traces (babeltrace2's "fail" test traces, and copies of the
 * sample trace broken on purpose), {@code tracestream print} must exit with 1 and exactly one line on standard
 * error, {@code tracestream: error: FILE...}, naming the file and where in it (byte offset, or metadata
 * line:column), with no stack trace, no hang (each run is bounded by {@link #LIMIT}) and no memory blow-up.
 */
class BadInputTest {
    /** Upper bound of one run. */
    static final Duration LIMIT = Duration.ofSeconds(20);

    /** The babeltrace2 "fail" trace folders, relative to the shared traces. */
    static final List<String> FAIL_DIRS = List.of("babeltrace/stable-2.0/ctf-traces/fail",
            "babeltrace/ctf-traces-master/1/fail", "babeltrace/ctf-traces-master/2/fail");

    /** A byte offset or a metadata line:column right after the file name. */
    static final Pattern LOCATION = Pattern.compile("^(: offset \\d+( \\(bit \\d\\))?|:\\d+:\\d+): .+");

    /** Fail traces (by folder name) that show a known open bug: skipped with the bug as the reason. */
    static final Map<String, String> KNOWN_BUGS = Map.of();

    @TempDir
    Path tmp;

    /** What one run returned and printed. */
    record Run(int code, String out, String err) {
        /** The lines of standard error (a line break, even a lone {@code \r}, ends a line). */
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    /** Runs the command line in this JVM, bounded by {@link #LIMIT}. */
    static Run run(String... args) {
        return assertTimeoutPreemptively(LIMIT, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("TZ", "UTC"));
            int code = Main.run(args, t);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        }, () -> "tracestream " + String.join(" ", args) + " did not end within " + LIMIT);
    }

    /**
     * Asserts the run failed with exit code 1 and one error line, without a stack trace, naming {@code file} (when
     * not null) followed by a location (when {@code located}).
     *
     * @return the message after {@code tracestream: error: }
     */
    static String assertOneLineError(Run r, Path file, boolean located) {
        String what = "stderr was:\n" + r.err();
        assertEquals(1, r.code(), what);
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), what);
        String line = lines.get(0);
        assertTrue(line.startsWith("tracestream: error: "), what);
        assertFalse(line.contains("Exception") || line.contains("\tat ") || line.contains("internal error")
                || line.contains("Error:"), what);
        String msg = line.substring("tracestream: error: ".length());
        if (file != null) {
            int at = msg.indexOf(file.toString());
            assertTrue(at >= 0, "the error does not name " + file + ": " + msg);
            if (located) {
                String rest = msg.substring(at + file.toString().length());
                assertTrue(LOCATION.matcher(rest).matches(), "no offset or line:column after the file name: "
                        + msg);
            }
        }
        return msg;
    }

    /** {@code print} (text), {@code print -o dummy} and {@code print -o details} all fail this way; returns the text run. */
    static Run assertPrintFails(Path trace, Path file, boolean located) {
        Run text = run("print", trace.toString());
        assertOneLineError(text, file, located);
        Run dummy = run("print", "-o", "dummy", trace.toString());
        assertOneLineError(dummy, file, located);
        assertEquals("", dummy.out());
        assertOneLineError(run("print", "-o", "details", trace.toString()), file, located);
        return text;
    }

    // ---- babeltrace2's fail traces --------------------------------------------------------------------------

    @TestFactory
    Stream<DynamicTest> babeltraceFailTraces() throws IOException {
        Path shared = SharedTraces.assumeAvailable();
        List<DynamicTest> tests = new ArrayList<>();
        for (String dir : FAIL_DIRS) {
            try (Stream<Path> s = Files.list(shared.resolve(dir))) {
                for (Path t : s.sorted().toList()) {
                    boolean ctf2 = dir.endsWith("/2/fail");
                    String bug = KNOWN_BUGS.get(t.getFileName().toString());
                    tests.add(DynamicTest.dynamicTest(dir + "/" + t.getFileName(), () -> {
                        if (bug != null) {
                            Assumptions.abort(bug);
                        }
                        failTrace(t, ctf2);
                    }));
                }
            }
        }
        return tests.stream();
    }

    private static void failTrace(Path trace, boolean ctf2) {
        Run text = run("print", trace.toString());
        Run dummy = run("print", "-o", "dummy", trace.toString());
        Run details = run("print", "-o", "details", trace.toString());
        if (!ctf2) {
            // babeltrace2 2.0 reads CTF 1.8 only: compare with it there
            ProcessResult bt = Babeltrace.command(trace.toString()).timeout(Duration.ofSeconds(60)).run();
            if (bt.exitCode() == 0) {
                assertEquals(0, text.code(), text.err());
                assertEquals(babeltraceText(bt, text.out()), text.out());
                return;
            }
            // the events babeltrace2 printed before the error are printed too
            assertEquals(babeltraceText(bt, text.out()), text.out(), "stdout before the error differs from babeltrace2's");
        }
        for (Run r : List.of(text, dummy, details)) {
            String msg = assertOneLineError(r, null, false);
            assertTrue(msg.startsWith(trace.toString()), "the error does not name a file of " + trace + ": " + msg);
            String rest = msg.substring(trace.toString().length());
            int colon = rest.indexOf(':');
            assertTrue(colon > 0, "no file name in: " + msg);
            assertTrue(LOCATION.matcher(rest.substring(colon)).matches() || rest.substring(colon).startsWith(": "),
                    "no location in: " + msg);
        }
        assertEquals(text.err(), dummy.err());
        assertEquals("", dummy.out());
    }

    /** babeltrace2's standard output without its known bugs (see {@link Babeltrace2Bugs}), beside ours. */
    static String babeltraceText(ProcessResult bt, String ours) {
        return Babeltrace2Bugs.clearStaleEmptyStrings(bt.stdout(), ours);
    }

    // ---- paths that are not traces -------------------------------------------------------------------------

    @Test
    void missingPath() {
        Path p = tmp.resolve("no-such-trace");
        Run r = run("print", p.toString());
        String msg = assertOneLineError(r, p, false);
        assertTrue(msg.contains("no such file"), msg);
        assertOneLineError(run("print", "-o", "dummy", p.toString()), p, false);
        assertOneLineError(run("stats", p.toString()), p, false);
        assertOneLineError(run("convert", p.toString(), "-w", tmp.resolve("out").toString()), p, false);
    }

    @Test
    void emptyDirectory() throws IOException {
        Path d = Files.createDirectory(tmp.resolve("empty"));
        String msg = assertOneLineError(run("print", d.toString()), d, false);
        assertTrue(msg.contains("no CTF trace"), msg);
        assertOneLineError(run("print", "-o", "dummy", d.toString()), d, false);
    }

    @Test
    void directoryOfNonTraceFiles() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("docs/sub"));
        BrokenTraces.write(d.resolve("notes.txt"), "hello\n");
        BrokenTraces.write(d.getParent().resolve("data.bin"), new byte[] {1, 2, 3, 4});
        Path dir = d.getParent();
        String msg = assertOneLineError(run("print", dir.toString()), dir, false);
        assertTrue(msg.contains("no CTF trace"), msg);
    }

    @Test
    void aRegularFileThatIsNotATrace() {
        Path f = tmp.resolve("picture.jpg");
        BrokenTraces.write(f, jpeg());
        assertOneLineError(run("print", f.toString()), f, false);
        assertOneLineError(run("print", "-o", "dummy", f.toString()), f, false);
    }

    /** The first bytes of a JPEG file (JFIF header) and then noise. */
    private static byte[] jpeg() {
        byte[] b = new byte[4096];
        new Random(7).nextBytes(b);
        byte[] head = {(byte) 0xff, (byte) 0xd8, (byte) 0xff, (byte) 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1, 1, 0};
        System.arraycopy(head, 0, b, 0, head.length);
        return b;
    }

    @Test
    void metadataIsProse() {
        Path t = BrokenTraces.tinyTrace(tmp.resolve("tiny"), BrokenTraces.tinyPacket(1));
        Path metadata = t.resolve("metadata");
        BrokenTraces.write(metadata, "hello, this is not a trace\n");
        Run r = assertPrintFails(t, metadata, true);
        assertTrue(r.err().contains(metadata + ":1:1: "), r.err());
    }

    @Test
    void directorySymlinkLoopEnds() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("loop/a"));
        Files.createSymbolicLink(d.resolve("up"), d.getParent());
        Path dir = d.getParent();
        String msg = assertOneLineError(run("print", dir.toString()), dir, false);
        assertTrue(msg.contains("no CTF trace"), msg);
    }

    /** Special files are not read as metadata: no endless read of /dev/zero, no hang on a FIFO. */
    @Test
    void metadataIsADeviceOrAFifo() throws Exception {
        Path t = BrokenTraces.tinyTrace(tmp.resolve("zero"), BrokenTraces.tinyPacket(1));
        Files.delete(t.resolve("metadata"));
        Path zero = Path.of("/dev/zero");
        Assumptions.assumeTrue(Files.exists(zero), "no /dev/zero");
        Files.createSymbolicLink(t.resolve("metadata"), zero);
        assertOneLineError(run("print", t.toString()), t, false);
        assertOneLineError(run("print", zero.toString()), zero, false);

        Path f = BrokenTraces.tinyTrace(tmp.resolve("fifo"), BrokenTraces.tinyPacket(1));
        Files.delete(f.resolve("metadata"));
        Process p = new ProcessBuilder("mkfifo", f.resolve("metadata").toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo failed");
        assertOneLineError(run("print", f.toString()), f, false);
    }

    /** An empty stream file is no error (like babeltrace2): the other streams are read. */
    @Test
    void emptyStreamFileIsIgnored() throws IOException {
        Path t = BrokenTraces.tinyTrace(tmp.resolve("tiny"), BrokenTraces.tinyPacket(1, 2));
        Files.createFile(t.resolve("empty"));
        Run r = run("print", t.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(babeltraceText(Babeltrace.command(t.toString()).run().requireSuccess(), r.out()), r.out());
    }

    @Test
    void metadataIsAJpeg() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path metadata = t.resolve("metadata");
        BrokenTraces.write(metadata, jpeg());
        assertPrintFails(t, metadata, true);
    }

    @Test
    void metadataIsRandomBytes() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path metadata = t.resolve("metadata");
        Random rnd = new Random(42);
        for (int i = 0; i < 5; i++) {
            byte[] b = new byte[1 + rnd.nextInt(8192)];
            rnd.nextBytes(b);
            if (i == 1) {
                b[0] = 0x1e; // looks like CTF 2 (JSON text sequence)
            }
            if (i == 2) {
                BrokenTraces.putInt(b, 0, 0x75D11D57); // looks like packetized metadata
            }
            BrokenTraces.write(metadata, b);
            assertPrintFails(t, metadata, true);
        }
    }

    @Test
    void metadataSyntaxErrorGivesLineAndColumn() {
        Path t = BrokenTraces.tinyTrace(tmp.resolve("tiny"), BrokenTraces.tinyPacket(1));
        Path metadata = t.resolve("metadata");
        String text = BrokenTraces.TINY_METADATA.replace("\tid = 0;\n\tstream_id", "\tid = 0 0;\n\tstream_id");
        BrokenTraces.write(metadata, text);
        int line = (int) text.substring(0, text.indexOf("id = 0 0;")).chars().filter(c -> c == '\n').count() + 1;
        Run r = assertPrintFails(t, metadata, true);
        assertTrue(r.err().contains(metadata + ":" + line + ":"), r.err());
    }

    @Test
    void deeplyNestedMetadata() {
        Path t = BrokenTraces.tinyTrace(tmp.resolve("tiny"), BrokenTraces.tinyPacket(1));
        Path metadata = t.resolve("metadata");
        BrokenTraces.write(metadata, BrokenTraces.nestedStructMetadata(10_000));
        String msg = assertOneLineError(run("print", t.toString()), metadata, true);
        assertTrue(msg.contains("nest") || msg.contains("deep"), msg);
        // nested parentheses in an attribute value, nested arrays, nested CTF 2 JSON
        BrokenTraces.write(metadata, BrokenTraces.TINY_METADATA.replace("\tid = 0;\n\tstream_id",
                "\tid = " + "(".repeat(10_000) + "0" + ")".repeat(10_000) + ";\n\tstream_id"));
        assertOneLineError(run("print", t.toString()), metadata, true);
        BrokenTraces.write(metadata, BrokenTraces.TINY_METADATA.replace("uint8_t data[len]",
                "uint8_t data[len]" + "[1]".repeat(10_000)));
        assertOneLineError(run("print", t.toString()), metadata, true);
        BrokenTraces.write(metadata, "\u001e{\"type\":\"preamble\",\"version\":2}\n\u001e"
                + "[".repeat(10_000) + "]".repeat(10_000) + "\n");
        assertOneLineError(run("print", t.toString()), metadata, true);
        BrokenTraces.write(metadata, BrokenTraces.TINY_METADATA.replace("\tfields := struct { uint64_t len; uint8_t data[len]; };",
                "\tfields := " + "variant <x> { ".repeat(10_000) + "uint8_t y;" + " } z;".repeat(9_999) + " };"));
        assertOneLineError(run("print", t.toString()), metadata, true);
    }

    @Test
    void absurdlyLargeDeclarations() {
        Path t = BrokenTraces.tinyTrace(tmp.resolve("tiny"), BrokenTraces.tinyPacket(1));
        Path metadata = t.resolve("metadata");
        String[] bad = {
            // integer wider than 64 bits
            BrokenTraces.TINY_METADATA.replace("size = 8; align = 8;", "size = 1099511627776; align = 8;"),
            // huge alignment
            BrokenTraces.TINY_METADATA.replace("size = 8; align = 8;", "size = 8; align = 4611686018427387904;"),
            // a static array of 2^62 elements
            BrokenTraces.TINY_METADATA.replace("uint8_t data[len]", "uint8_t data[4611686018427387904]"),
            // an enumeration range of 2^63 values
            BrokenTraces.TINY_METADATA.replace("uint64_t len;",
                    "enum : uint64_t { A = 0 ... 9223372036854775807, B } len;"),
            // an integer literal that does not fit 64 bits
            BrokenTraces.TINY_METADATA.replace("\tid = 0;\n\tstream_id", "\tid = 123456789012345678901234567890;\n"
                    + "\tstream_id"),
        };
        for (String text : bad) {
            BrokenTraces.write(metadata, text);
            Run r = run("print", t.toString());
            if (r.code() == 0) {
                continue; // accepted (and decoded within the time limit): not an error case
            }
            assertOneLineError(r, metadata, true);
        }
        // 64 MiB + 1 of metadata
        byte[] huge = new byte[(64 << 20) + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        BrokenTraces.write(metadata, huge);
        assertOneLineError(run("print", t.toString()), metadata, false);
    }

    // ---- broken data streams -------------------------------------------------------------------------------

    @Test
    void streamFileTruncatedMidPacket() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan0_0");
        List<Long> packets = BrokenTraces.samplePacketOffsets(s);
        long cut = packets.get(1) + 1000;
        BrokenTraces.truncate(s, cut);
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains("offset " + packets.get(1)), r.err());
    }

    @Test
    void streamFileTruncatedMidPacketWithIndex() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path s = t.resolve("chan0_0");
        List<Long> packets = BrokenTraces.samplePacketOffsets(s);
        BrokenTraces.truncate(s, packets.get(1) + 1000);
        // the index no longer matches the file: it is not trusted, the scan finds the truncated packet
        assertPrintFails(t, s, true);
    }

    @Test
    void streamFileTruncatedInPacketHeader() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan1_1");
        List<Long> packets = BrokenTraces.samplePacketOffsets(s);
        BrokenTraces.truncate(s, packets.get(packets.size() - 1) + 10);
        assertPrintFails(t, s, true);
    }

    @Test
    void badMagic() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan0_1");
        long second = BrokenTraces.samplePacketOffsets(s).get(1);
        BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, (int) second, 0xdeadbeef));
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains(s + ": offset " + second + ": "), r.err());
        assertTrue(r.err().contains("magic"), r.err());
    }

    @Test
    void badMagicWithIndex() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path s = t.resolve("chan0_1");
        long second = BrokenTraces.samplePacketOffsets(s).get(1);
        BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, (int) second, 0xdeadbeef));
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains(s + ": offset " + second + ": "), r.err());
    }

    @Test
    void packetSizeBeyondTheFileEnd() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan1_0");
        List<Long> packets = BrokenTraces.samplePacketOffsets(s);
        long last = packets.get(packets.size() - 1);
        BrokenTraces.edit(s, b -> {
            BrokenTraces.putLong(b, (int) last + BrokenTraces.PACKET_SIZE_AT, (b.length - last + 4096) * 8);
            BrokenTraces.putLong(b, (int) last + BrokenTraces.CONTENT_SIZE_AT, (b.length - last + 4096) * 8);
        });
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains("offset " + last), r.err());
        // and the largest values a u64 holds
        BrokenTraces.edit(s, b -> {
            BrokenTraces.putLong(b, (int) last + BrokenTraces.PACKET_SIZE_AT, -8);
            BrokenTraces.putLong(b, (int) last + BrokenTraces.CONTENT_SIZE_AT, -8);
        });
        assertPrintFails(t, s, true);
    }

    /**
     * A packet header whose {@code packet_size} is larger than its LTTng index entry (but within the file), its
     * content within the entry: babeltrace2 bounds the packet by the index and reads every event; so must we.
     */
    @Disabled("bug: with an LTTng index, a header packet_size larger than the index entry (content within it) fails ('packet size ... goes beyond the end of the data', TraceDecoder.readHead via StreamCursor.openPacket) where babeltrace2 bounds the packet by the index entry and reads every event")
    @Test
    void headerPacketSizeLargerThanTheIndexEntry() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path s = t.resolve("chan0_0");
        long second = BrokenTraces.samplePacketOffsets(s).get(1);
        BrokenTraces.edit(s, b -> BrokenTraces.putLong(b, (int) second + BrokenTraces.PACKET_SIZE_AT, 32768 * 8));
        ProcessResult bt = Babeltrace.command(t.toString()).run();
        assertEquals(0, bt.exitCode(), bt.stderr());
        Run r = run("print", t.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(babeltraceText(bt, r.out()), r.out());
    }

    @Test
    void contentSizeLargerThanPacketSize() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan0_0");
        BrokenTraces.edit(s, b -> {
            long size = BrokenTraces.getLong(b, BrokenTraces.PACKET_SIZE_AT);
            BrokenTraces.putLong(b, BrokenTraces.CONTENT_SIZE_AT, size + 8);
        });
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains(s + ": offset 0: "), r.err());
    }

    @Test
    void packetSizeZeroOrNotAMultipleOf8() {
        for (long size : new long[] {0, 7, 8 * 10, 1}) {
            Path t = BrokenTraces.copySample(tmp.resolve("trace-" + size));
            BrokenTraces.dropIndex(t);
            Path s = t.resolve("chan1_1");
            BrokenTraces.edit(s, b -> {
                BrokenTraces.putLong(b, BrokenTraces.PACKET_SIZE_AT, size);
                BrokenTraces.putLong(b, BrokenTraces.CONTENT_SIZE_AT, size);
            });
            assertPrintFails(t, s, true);
        }
    }

    @Test
    void unknownStreamClassAndEventIds() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan0_0");
        BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, 20, 77)); // stream_id
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains("77"), r.err());

        Path t2 = BrokenTraces.copySample(tmp.resolve("trace2"));
        Path s2 = t2.resolve("chan0_0");
        // the first event's id (u16 of the large header): 65000 is neither a class nor "extended"
        BrokenTraces.edit(s2, b -> {
            b[BrokenTraces.FIRST_EVENT_AT] = (byte) 0xe8;
            b[BrokenTraces.FIRST_EVENT_AT + 1] = (byte) 0xfd;
        });
        Run r2 = assertPrintFails(t2, s2, true);
        assertTrue(r2.err().contains(s2 + ": offset " + BrokenTraces.FIRST_EVENT_AT + ": "), r2.err());
    }

    @Test
    void sequenceLengthOf2To40() {
        byte[] p = BrokenTraces.tinyPacket(3, 4, 5);
        // second event: id at 24 + 15, len at 24 + 15 + 4
        BrokenTraces.putLong(p, BrokenTraces.TINY_HEAD + 15 + 4, 1L << 40);
        Path t = BrokenTraces.tinyTrace(tmp.resolve("tiny"), p);
        Path s = t.resolve("stream");
        Run r = assertPrintFails(t, s, true);
        assertTrue(r.err().contains(s + ": offset " + (BrokenTraces.TINY_HEAD + 15 + 12) + ": "), r.err());
        // the event before it is printed (babeltrace2 fails too, but prints nothing: it decodes ahead)
        assertEquals("seq: { len = 3, data = [ [0] = 0, [1] = 1, [2] = 2 ] }\n", r.out());
        assertNotEquals(0, Babeltrace.command(t.toString()).run().exitCode());
        // and the largest lengths
        for (long len : new long[] {-1, Long.MAX_VALUE, 1L << 31, (1L << 32) + 1}) {
            BrokenTraces.putLong(p, BrokenTraces.TINY_HEAD + 15 + 4, len);
            BrokenTraces.write(s, p);
            assertPrintFails(t, s, true);
        }
    }

    @Test
    void statsAndConvertFailTheSameWay() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        BrokenTraces.dropIndex(t);
        Path s = t.resolve("chan0_1");
        long second = BrokenTraces.samplePacketOffsets(s).get(1);
        BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, (int) second, 0xdeadbeef));
        assertOneLineError(run("stats", t.toString()), s, true);
        assertOneLineError(run("convert", t.toString(), "-w", tmp.resolve("out").toString()), s, true);
    }

    /** Fuzzing case: an event time whose nanosecond value overflows (babeltrace2 fails too). */
    @Test
    void clockValueOutOfTheNanosecondRange() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        assertEquals("chan0_0: value 0x3fffffff8 (4 bytes) at 114732", Mutator.apply(t, 63870697361L));
        assertNotEquals(0, Babeltrace.command(t.toString()).run().exitCode());
        assertPrintFails(t, t.resolve("chan0_0"), true);
    }

    /** Fuzzing case: a packet whose times go backwards (babeltrace2 fails too). */
    @Test
    void timeGoingBackwards() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        assertEquals("chan0_0: 2 random bytes spread", Mutator.apply(t, 63870697139L));
        assertNotEquals(0, Babeltrace.command(t.toString()).run().exitCode());
        assertPrintFails(t, t.resolve("chan0_0"), true);
    }

    /** Arrays of zero-bit elements nested so that the element count is 2^48: an error, quickly (babeltrace2 hangs). */
    @Test
    void nestedArraysOfEmptyElements() {
        String[] payloads = {
            "struct { uint64_t len; struct { struct { } b[event.fields.len]; } data[len]; }",
            "struct { uint64_t len; struct { } data[65536][65536][65536]; }",
        };
        int k = 0;
        for (String payload : payloads) {
            Path t = BrokenTraces.tinyTrace(tmp.resolve("empty" + k++), emptyPacket(1L << 24));
            BrokenTraces.write(t.resolve("metadata"), BrokenTraces.TINY_METADATA.replace(
                    "struct { uint64_t len; uint8_t data[len]; }", payload));
            assertPrintFails(t, t.resolve("stream"), true);
        }
        // 2^24 empty elements in one array are decoded (babeltrace2 prints them too)
        Path t = BrokenTraces.tinyTrace(tmp.resolve("flat"), emptyPacket(1L << 24));
        BrokenTraces.write(t.resolve("metadata"), BrokenTraces.TINY_METADATA.replace(
                "struct { uint64_t len; uint8_t data[len]; }", "struct { uint64_t len; struct { } data[len]; }"));
        Run r = run("print", "-o", "dummy", t.toString());
        assertEquals(0, r.code(), r.err());
    }

    /** One packet of the tiny trace with one event whose {@code len} is {@code len} and no data after it. */
    private static byte[] emptyPacket(long len) {
        byte[] p = BrokenTraces.tinyPacket(0);
        BrokenTraces.putLong(p, BrokenTraces.TINY_HEAD + 4, len);
        return p;
    }

    // ---- reading what is valid -----------------------------------------------------------------------------

    /** {@code stats --lenient} skips a broken packet, says so in one warning line, and counts the other events. */
    @Test
    void statsLenientSkipsTheBrokenPacket() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path s = t.resolve("chan0_0");
        List<Long> packets = BrokenTraces.samplePacketOffsets(s);
        long mid = packets.get(packets.size() / 2);
        long all = events(run("stats", t.toString()));
        long inPacket = 0;
        try (io.tracestream.ctf.TraceSet ts = io.tracestream.ctf.TraceSet.open(t);
             io.tracestream.ctf.MessageCursor c = ts.messages()) {
            while (c.next()) {
                if (c.type() == io.tracestream.ctf.MessageType.EVENT && c.packet().offset() == mid
                        && c.stream().file().getFileName().toString().equals("chan0_0")) {
                    inPacket++;
                }
            }
        }
        assertTrue(inPacket > 0);
        BrokenTraces.edit(s, b -> BrokenTraces.putInt(b, (int) mid, 0x12345678));
        assertOneLineError(run("stats", t.toString()), s, true);
        Run r = run("stats", "--lenient", t.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(all - inPacket, events(r));
        List<String> lines = r.errLines();
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("tracestream: warning: skipped unreadable data in " + s + " at offset "
                + mid + ": "), r.err());
    }

    private static long events(Run stats) {
        assertEquals(0, stats.code(), stats.err());
        for (String line : stats.out().split("\n")) {
            if (line.startsWith("Events ")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new AssertionError("no Events line in:\n" + stats.out());
    }

    /** A conversion that fails midway must not leave a readable but partial trace behind. */
    @Test
    void convertFailureLeavesNoPartialTrace() {
        Path t = BrokenTraces.copySample(tmp.resolve("trace"));
        Path s = t.resolve("chan0_1");
        long second = BrokenTraces.samplePacketOffsets(s).get(1);
        int event = (int) second + BrokenTraces.FIRST_EVENT_AT;
        BrokenTraces.edit(s, b -> {
            b[event] = (byte) 0xe8; // event id 65000: no such class (found while decoding, not at open time)
            b[event + 1] = (byte) 0xfd;
        });
        Path out = tmp.resolve("out");
        assertOneLineError(run("convert", t.toString(), "-w", out.toString()), s, true);
        assertFalse(Files.exists(out.resolve("metadata")), "a partial trace was left in " + out);
    }

    @Test
    void notATraceAmongTraces() {
        Path good = BrokenTraces.copySample(tmp.resolve("good"));
        Path missing = tmp.resolve("missing");
        assertOneLineError(run("print", good.toString(), missing.toString()), missing, false);
    }
}
