package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.Scope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The compiled decoder against {@link ReferenceDecoder} on every stream file of every available trace: the same
 * packets, events and field values, or both failing.
 */
class DifferentialTest {
    /** The reference decoder reads one bit at a time: keep the suite fast. */
    private static final long MAX_FILE = 1L << 20;

    @TestFactory
    Stream<DynamicTest> allTraces() {
        List<DynamicTest> tests = new ArrayList<>();
        for (AllTraces.TraceDir t : AllTraces.find()) {
            for (Path f : t.streams()) {
                tests.add(DynamicTest.dynamicTest(t.dir().getFileName() + "/" + f.getFileName() + " (" + t.dir() + ")",
                        () -> compare(t, f)));
            }
        }
        return tests.stream();
    }

    static void compare(AllTraces.TraceDir t, Path file) throws IOException {
        assumeTrue(t.traceClass() != null, () -> "metadata not parsed: " + t.metadataError().getMessage());
        assumeTrue(Files.size(file) <= MAX_FILE, "stream file too large for the reference decoder");
        List<String> ref;
        try {
            ref = new ReferenceDecoder(t.traceClass()).decodeStream(Files.readAllBytes(file));
        } catch (CtfException | IndexOutOfBoundsException | NullPointerException e) {
            // The reference cannot read it: the compiled decoder must fail too.
            assertThrows(CtfException.class, () -> decode(t, file), "reference failed with " + e);
            return;
        }
        assertEquals(String.join("\n", ref), String.join("\n", decode(t, file)));
    }

    /** The compiled decoder's view in the reference decoder's format. */
    static List<String> decode(AllTraces.TraceDir t, Path file) {
        List<String> out = new ArrayList<>();
        decode(t, file, out);
        return out;
    }

    /** As {@link #decode(AllTraces.TraceDir, Path)}, into {@code out}, which keeps what was decoded on failure. */
    static void decode(AllTraces.TraceDir t, Path file, List<String> out) {
        TraceDecoder dec = TraceDecoder.compile(t.traceClass());
        DecodeOptions opt = DecodeOptions.DEFAULT.checks(false, false);
        List<PacketIndexEntry> packets = dec.scanPackets(file, opt);
        Dump d = new Dump(out);
        TestStream ts = new TestStream(packets.isEmpty() ? null
                : t.traceClass().streamClass(packets.get(0).streamClassId()), file);
        try (MessageCursor c = dec.openStream(ts, packets, opt)) {
            while (c.next()) {
                if (c.type() == MessageType.PACKET_BEGINNING) {
                    out.add("PACKET");
                    c.packet().accept(Scope.PACKET_HEADER, d);
                    c.packet().accept(Scope.PACKET_CONTEXT, d);
                } else if (c.type() == MessageType.EVENT) {
                    c.event().accept(Scope.EVENT_HEADER, d);
                    out.add("EVENT " + c.event().name());
                    c.event().accept(Scope.EVENT_COMMON_CONTEXT, d);
                    c.event().accept(Scope.EVENT_SPECIFIC_CONTEXT, d);
                    c.event().accept(Scope.EVENT_PAYLOAD, d);
                }
            }
        }
    }
}
