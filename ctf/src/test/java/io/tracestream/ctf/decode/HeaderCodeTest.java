package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generated event header decoders ({@link Jit#header}) against the general interpreter: random LTTng-like
 * headers (an enumeration id of 8 to 64 bits selecting a "compact" option of one timestamp of 8 to 64 bits, mapped to
 * the clock, or an "extended" option with a wider id and timestamp; the compact option one range or several) run
 * back to back over random bytes from random (also misaligned) positions, so that ids of both options, clock wraps,
 * headers cut by the packet end and logs that must grow all occur. Generated code, the interpreter's header fast path
 * and the plain program over a direct buffer must give the same value log, position, slots and clock, or the same
 * error.
 */
class HeaderCodeTest {
    private static final int[] LENGTHS = {8, 16, 32, 64};

    @Test
    void generatedHeaderCodeAgreesWithTheInterpreter() {
        int generated = 0;
        int headers = 0;
        int compact = 0;
        int failed = 0;
        for (int seed = 0; seed < 300; seed++) {
            Random rnd = new Random(seed);
            int idBits = LENGTHS[rnd.nextInt(3)];
            int tsBits = rnd.nextInt(4) == 0 ? 27 : LENGTHS[rnd.nextInt(4)];
            int align = rnd.nextInt(3) == 0 ? 32 : 8;
            boolean split = rnd.nextBoolean();
            Program p = header(idBits, tsBits, align, split, rnd);
            Jit code = Jit.header(p);
            p.headUses = -1; // runHeader: the interpreter's fast path, never the generated code
            boolean byteAligned = tsBits % 8 == 0;
            assertEquals(byteAligned, code != null, "code for byte-aligned reads only, seed " + seed);
            assertEquals(!split, p.headRange, "seed " + seed);
            if (code == null) {
                assertTrue(p.headShape, "seed " + seed);
                continue;
            }
            generated++;
            for (int d = 0; d < 4; d++) {
                byte[] data = headers(rnd, idBits, tsBits, align, split);
                int size = data.length;
                long start = rnd.nextInt(4) != 0 ? 0 : rnd.nextInt(64);
                long clock = rnd.nextLong();
                Machine plain = machine(ByteBuffer.allocateDirect(size).put(data).flip(), start, clock, rnd);
                Machine shape = machine(ByteBuffer.wrap(data), start, clock, null);
                Machine gen = machine(ByteBuffer.wrap(data), start, clock, null);
                // the same starting log size (a tiny log must grow: generated code leaves that to the interpreter)
                shape.log = new long[plain.log.length];
                gen.log = new long[plain.log.length];
                while (true) {
                    String what = "seed " + seed + "/" + d + " at bit " + plain.pos;
                    plain.n = shape.n = gen.n = 0;
                    String plainError = run(() -> plain.run(p));
                    String shapeError = run(() -> shape.runHeader(p));
                    String genError = run(() -> code.run(gen, p));
                    assertEquals(plainError, shapeError, what);
                    assertEquals(plainError, genError, "generated code, " + what);
                    if (plainError != null) {
                        failed++;
                        break;
                    }
                    headers++;
                    compact += plain.log[1] == p.headOption ? 1 : 0;
                    for (Machine m : List.of(shape, gen)) {
                        String w = (m == gen ? "generated code, " : "") + what;
                        assertEquals(plain.pos, m.pos, w);
                        assertEquals(plain.n, m.n, w);
                        assertArrayEquals(Arrays.copyOf(plain.log, plain.n), Arrays.copyOf(m.log, m.n), w);
                        assertArrayEquals(plain.slots, m.slots, w);
                        assertEquals(plain.clock, m.clock, w);
                        assertEquals(plain.lastBo, m.lastBo, w);
                    }
                    // a misaligned next header now and then (the generated code leaves it to the interpreter)
                    if (rnd.nextInt(200) == 0) {
                        long skip = 1 + rnd.nextInt(15);
                        plain.pos += skip;
                        shape.pos += skip;
                        gen.pos += skip;
                    }
                }
            }
        }
        assertTrue(generated > 150, generated + " header programs generated");
        assertTrue(headers > 15_000 && compact > headers / 2 && compact < headers * 95 / 100, headers + " headers, "
                + compact + " compact");
        assertTrue(failed > 400, failed + " headers cut by the packet end or of no option");
    }

    @Test
    void headerCodeIsGeneratedAfterTheThresholdAndUsedByRunHeader() {
        Program p = header(16, 32, 8, false, new Random(1));
        assertNull(p.headJit);
        byte[] data = new byte[6 * 1000];
        Machine m = machine(ByteBuffer.wrap(data), 0, 0, null);
        for (int i = 0; i <= Jit.THRESHOLD + 1; i++) {
            m.n = 0;
            m.runHeader(p);
        }
        assertNotNull(p.headJit, "generated after " + Jit.THRESHOLD + " runs");
        assertEquals((Jit.THRESHOLD + 2) * 48L, m.pos);
        // the kernel's compact header (27-bit timestamp bit field) keeps the interpreter's fast path
        Program k = header(8, 27, 8, false, new Random(2));
        for (int i = 0; i <= Jit.THRESHOLD + 1; i++) {
            m.n = 0;
            m.pos = 0;
            m.runHeader(k);
        }
        assertNull(k.headJit);
        assertEquals(-1, k.headUses);
    }

    /**
     * Headers back to back from byte 0 (most compact, some extended, a few with an id of no option), then random
     * bytes: a packet that a header eventually runs out of.
     */
    private static byte[] headers(Random rnd, int idBits, int tsBits, int align, boolean split) {
        long limit = idBits == 8 ? 31 : 1000;
        long max = (1L << idBits) - 1;
        int count = rnd.nextInt(400);
        ByteBuffer b = ByteBuffer.allocate(count * 24 + 64 + rnd.nextInt(64)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < count; k++) {
            int a = align / 8;
            b.position((b.position() + a - 1) / a * a);
            int kind = rnd.nextInt(100);
            long id = kind < 85 ? rnd.nextLong(limit + 1) : kind < 97 ? max : rnd.nextLong(max + 1);
            if (split && id == limit / 2 + 1 && kind < 85) {
                id = 0;
            }
            putLe(b, id, idBits);
            if (id == max) {
                putLe(b, rnd.nextInt(), 32);
                putLe(b, rnd.nextLong(), 64);
            } else {
                putLe(b, rnd.nextLong(), (tsBits + 7) / 8 * 8);
            }
        }
        while (b.hasRemaining()) {
            b.put((byte) rnd.nextInt(256));
        }
        return b.array();
    }

    private static void putLe(ByteBuffer b, long v, int bits) {
        for (int i = 0; i < bits; i += 8) {
            b.put((byte) (v >>> i));
        }
    }

    private static String run(Runnable r) {
        try {
            r.run();
            return null;
        } catch (CtfException e) {
            return e.getMessage();
        }
    }

    private static Machine machine(ByteBuffer data, long start, long clock, Random smallLog) {
        Machine m = new Machine(64);
        m.setPacket(data, Path.of("test"), 0, data.limit() * 8L);
        m.pos = start;
        m.clock = clock;
        if (smallLog != null && smallLog.nextBoolean()) {
            m.log = new long[1 + smallLog.nextInt(4)];
        }
        return m;
    }

    /**
     * An event header program: {@code id} (enumeration, compact below its maximum, or in two ranges when {@code
     * split}), then a variant of a compact option (a timestamp of {@code tsBits}) and an extended one.
     */
    private static Program header(int idBits, int tsBits, int align, boolean split, Random rnd) {
        long max = idBits == 64 ? -1L : (1L << idBits) - 1;
        long limit = idBits == 8 ? 31 : 1000;
        List<IntegerClass.Range> compactRanges = new ArrayList<>();
        if (split) {
            compactRanges.add(new IntegerClass.Range(0, limit / 2));
            compactRanges.add(new IntegerClass.Range(limit / 2 + 2, limit));
        } else {
            compactRanges.add(new IntegerClass.Range(0, limit));
        }
        List<IntegerClass.Mapping> labels = List.of(new IntegerClass.Mapping("compact", compactRanges),
                new IntegerClass.Mapping("extended", List.of(new IntegerClass.Range(max, max))));
        IntegerClass id = IntegerClass.builder().length(idBits).alignment(8).signed(false)
                .byteOrder(ByteOrder.LITTLE_ENDIAN).enumeration(true).mappings(labels).build();
        IntegerClass ts = IntegerClass.builder().length(tsBits).alignment(tsBits % 8 == 0 ? 8 : 1).signed(false)
                .byteOrder(ByteOrder.LITTLE_ENDIAN).mappedClock("monotonic").build();
        IntegerClass extId = IntegerClass.builder().length(32).alignment(8).signed(false)
                .byteOrder(ByteOrder.LITTLE_ENDIAN).build();
        IntegerClass extTs = IntegerClass.builder().length(64).alignment(8).signed(false)
                .byteOrder(ByteOrder.LITTLE_ENDIAN).mappedClock("monotonic").build();
        StructClass compact = new StructClass(List.of(new StructClass.Member("timestamp", ts)), 1, null);
        StructClass extended = new StructClass(List.of(new StructClass.Member("id", extId),
                new StructClass.Member("timestamp", extTs)), 1, null);
        VariantClass v = new VariantClass(new FieldPath(Scope.EVENT_HEADER, List.of("id"), null),
                List.of(new VariantClass.Option("compact", compact), new VariantClass.Option("extended", extended)),
                null);
        StructClass h = new StructClass(List.of(new StructClass.Member("id", id), new StructClass.Member("v", v)),
                align, null);
        TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, null, null, null, null, null, null, null, null);
        StreamClass sc = new StreamClass(0, null, null, h, null, null, null);
        sc.addEventClass(new EventClass(0, "ev", null, null, null, new StructClass(List.of(), 1, null), null));
        tc.addStreamClass(sc);
        Program p = TraceDecoder.compile(tc).streamPlan(0).eventHeader;
        assertNotNull(p, "a header program");
        assertTrue(p.headShape, "the header shape, " + idBits + "/" + tsBits + " bits" + (rnd == null ? "" : ""));
        return p;
    }
}
