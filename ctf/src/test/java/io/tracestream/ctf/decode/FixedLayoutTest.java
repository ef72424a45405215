package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Machine#runFixed} (the unrolled decoding of byte-aligned fixed-size fields that lazily decoded event bodies
 * use) against {@link Machine#run} of the same program: random fixed layouts (integers of 8 to 64 bits of both byte
 * orders and signedness with various alignments, floats, static text arrays, static arrays, nested structures) over
 * random bytes at random aligned offsets must give the same value log, scope marks and end position.
 */
class FixedLayoutTest {
    private Random rnd;
    private int names;

    @Test
    void runFixedAgreesWithRun() {
        int compared = 0;
        for (int seed = 0; seed < 300; seed++) {
            rnd = new Random(seed);
            names = 0;
            TraceDecoder.EventPlan ep = plan(struct(0));
            Program body = ep.body;
            assertNotNull(body.fixed, "seed " + seed + ": a fixed layout without a fixed program");
            assertTrue(ep.lazyBits >= 0, "seed " + seed + ": not decoded lazily");
            assertEquals(ep.lazyBits, body.fixedBits, "seed " + seed);
            for (int d = 0; d < 5; d++) {
                int size = (int) (body.fixedBits / 8) + 64 + rnd.nextInt(64);
                byte[] data = new byte[size];
                rnd.nextBytes(data);
                long start = rnd.nextInt(4) * (long) body.fixedAlign;
                if (start / 8 + body.fixedBits / 8 > size) {
                    start = 0;
                }
                Machine a = machine(data, size);
                Machine b = machine(data, size);
                a.n = b.n = 3; // as after an event header
                a.pos = start;
                a.run(body);
                assertTrue(b.canRunFixed(body, start), "seed " + seed);
                b.runFixed(body, start);
                assertEquals(a.pos, b.pos, "seed " + seed);
                assertEquals(a.n, b.n, "seed " + seed);
                assertArrayEquals(Arrays.copyOf(a.log, a.n), Arrays.copyOf(b.log, b.n), "seed " + seed);
                assertArrayEquals(a.marks, b.marks, "seed " + seed);
                compared++;
            }
        }
        assertEquals(1500, compared);
    }

    @Test
    void variableLayoutsHaveNoFixedProgram() {
        rnd = new Random(1);
        List<StructClass.Member> ms = new ArrayList<>();
        ms.add(new StructClass.Member("a", IntegerClass.builder().length(32).alignment(8).build()));
        ms.add(new StructClass.Member("s", StringClass.nullTerminated()));
        assertNull(plan(new StructClass(ms, 1, null)).body.fixed, "a string");
        List<StructClass.Member> bits = new ArrayList<>();
        bits.add(new StructClass.Member("b", IntegerClass.builder().length(3).alignment(1).build()));
        bits.add(new StructClass.Member("c", IntegerClass.builder().length(13).alignment(1).build()));
        assertNull(plan(new StructClass(bits, 1, null)).body.fixed, "bit fields");
    }

    private static Machine machine(byte[] data, int size) {
        Machine m = new Machine(64);
        m.setPacket(ByteBuffer.wrap(data, 0, size).slice(), Path.of("test"), 0, size * 8L);
        Arrays.fill(m.marks, 77);
        return m;
    }

    private static TraceDecoder.EventPlan plan(StructClass payload) {
        TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, null, null, null, null, null, null, null, null);
        StreamClass sc = new StreamClass(0, null, null, null, null, null, null);
        sc.addEventClass(new EventClass(0, "ev", null, null, null, payload, null));
        tc.addStreamClass(sc);
        return TraceDecoder.compile(tc).streamPlan(0).eventWithoutId();
    }

    private StructClass struct(int depth) {
        List<StructClass.Member> ms = new ArrayList<>();
        int n = 1 + rnd.nextInt(depth == 0 ? 8 : 3);
        for (int i = 0; i < n; i++) {
            String name = "f" + names++;
            switch (rnd.nextInt(depth >= 2 ? 3 : 6)) {
                case 0, 1 -> ms.add(new StructClass.Member(name, integer()));
                case 2 -> ms.add(new StructClass.Member(name, floating()));
                case 3 -> ms.add(new StructClass.Member(name, struct(depth + 1)));
                case 4 -> ms.add(new StructClass.Member(name, new ArrayClass(rnd.nextBoolean() ? integer()
                        : struct(depth + 1), rnd.nextInt(5), null, 1, false, null)));
                default -> ms.add(new StructClass.Member(name, new ArrayClass(IntegerClass.builder().length(8)
                        .alignment(8).encoding(IntegerClass.Encoding.UTF8).build(), rnd.nextInt(20), null, 1, true,
                        null)));
            }
        }
        return new StructClass(ms, rnd.nextInt(4) == 0 ? 32 : 8, null);
    }

    private IntegerClass integer() {
        int len = 8 << rnd.nextInt(4);
        int align = rnd.nextBoolean() ? 8 : len;
        ByteOrder bo = rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        return IntegerClass.builder().length(len).alignment(align).signed(rnd.nextBoolean()).byteOrder(bo).build();
    }

    private FieldClass floating() {
        boolean dbl = rnd.nextBoolean();
        ByteOrder bo = rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        return new FloatClass(8, dbl ? 64 : 32, bo, dbl ? 11 : 8, dbl ? 53 : 24, null);
    }
}
