package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
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
 * The superinstructions ({@code FIX} runs of fixed reads and of small static arrays unrolled, {@code ARRPS}/{@code
 * ARRPD} arrays of one integer) and the small interpreter that runs them over packet bytes in an array, against the
 * general interpreter running the plain program over the same bytes in a direct buffer: random payloads (integers of
 * both byte orders, floats, length fields with dynamic arrays of integers, of text and of structures, static arrays
 * below and above the unrolling limit, null-terminated strings) over
 * random bytes, whole and truncated, must give the same value log, position, scope marks and slots, or the same
 * error message.
 */
class SuperinstructionTest {
    private Random rnd;
    private int names;

    @Test
    void superinstructionsAgreeWithThePlainProgram() {
        int decoded = 0;
        int failed = 0;
        int simple = 0;
        int withSuper = 0;
        int generated = 0;
        java.util.Set<Integer> generatedOps = new java.util.TreeSet<>();
        for (int seed = 0; seed < 400; seed++) {
            rnd = new Random(seed);
            names = 0;
            Program body = plan(payload()).body;
            simple += body.simple ? 1 : 0;
            Jit jit = body.simple ? Jit.compile(body) : null;
            if (jit != null) {
                for (int pc = 0; pc < body.exec.length; pc += Program.STRIDE) {
                    generatedOps.add(body.exec[pc]);
                }
            }
            assertEquals(body.simple, jit != null, "code is generated for every simple program, seed " + seed);
            withSuper += Arrays.equals(body.exec, body.code) ? 0 : 1;
            for (int d = 0; d < 6; d++) {
                int size = 16 + rnd.nextInt(d < 3 ? 2048 : 64);
                byte[] data = new byte[size];
                for (int i = 0; i < size; i++) {
                    data[i] = rnd.nextInt(6) == 0 ? 0 : (byte) rnd.nextInt(d % 2 == 0 ? 256 : 8);
                }
                Machine plain = machine(ByteBuffer.allocateDirect(size).put(data).flip());
                Machine fast = machine(ByteBuffer.wrap(data));
                Machine gen = machine(ByteBuffer.wrap(data));
                String plainError = run(plain, body);
                String fastError = run(fast, body);
                assertEquals(plainError, fastError, "seed " + seed + "/" + d);
                if (jit != null) {
                    String genError = run(gen, body, jit);
                    assertEquals(plainError, genError, "generated code, seed " + seed + "/" + d);
                    generated++;
                }
                if (plainError != null) {
                    failed++;
                    continue;
                }
                for (Machine m : jit != null ? List.of(fast, gen) : List.of(fast)) {
                    String what = (m == gen ? "generated code, " : "") + "seed " + seed + "/" + d;
                    assertEquals(plain.pos, m.pos, what);
                    assertEquals(plain.n, m.n, what);
                    assertArrayEquals(Arrays.copyOf(plain.log, plain.n), Arrays.copyOf(m.log, m.n), what);
                    assertArrayEquals(plain.marks, m.marks, what);
                    assertArrayEquals(plain.slots, m.slots, what);
                    assertEquals(plain.clock, m.clock, what);
                }
                decoded++;
            }
        }
        assertTrue(decoded > 800 && failed > 200, decoded + " decoded, " + failed + " failed");
        assertTrue(generated > 600, generated + " runs of generated code");
        for (int op : new int[] {Program.FIX, Program.ARRPS, Program.ARRPD, Program.VAR, Program.BITSLE, Program.STRNT,
            Program.DBYTES, Program.ALIGN, Program.U8, Program.U32B, Program.JMP}) {
            assertTrue(generatedOps.contains(op), "generated code has opcode " + op + ": " + generatedOps);
        }
        assertTrue(simple > 150 && withSuper > 300, simple + " simple programs, " + withSuper + " with superinstructions");
    }

    private static String run(Machine m, Program p) {
        try {
            m.run(p);
            return null;
        } catch (CtfException e) {
            return e.getMessage();
        }
    }

    private static String run(Machine m, Program p, Jit jit) {
        try {
            jit.run(m, p);
            return null;
        } catch (CtfException e) {
            return e.getMessage();
        }
    }

    private static Machine machine(ByteBuffer data) {
        Machine m = new Machine(64);
        m.setPacket(data, Path.of("test"), 0, data.limit() * 8L);
        Arrays.fill(m.marks, 77);
        m.n = 3; // as after an event header
        return m;
    }

    private static TraceDecoder.EventPlan plan(StructClass payload) {
        TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, null, null, null, null, null, null, null, null);
        StreamClass sc = new StreamClass(0, null, null, null, null, null, null);
        sc.addEventClass(new EventClass(0, "ev", null, null, null, payload, null));
        tc.addStreamClass(sc);
        return TraceDecoder.compile(tc).streamPlan(0).eventWithoutId();
    }

    private StructClass payload() {
        List<StructClass.Member> ms = new ArrayList<>();
        int n = 1 + rnd.nextInt(10);
        for (int i = 0; i < n; i++) {
            String name = "f" + names++;
            switch (rnd.nextInt(11)) {
                case 0, 1 -> ms.add(new StructClass.Member(name, integer()));
                case 8 -> ms.add(new StructClass.Member(name, IntegerClass.builder().length(1 + rnd.nextInt(63))
                        .alignment(1).signed(false).byteOrder(ByteOrder.LITTLE_ENDIAN).build()));
                case 9 -> {
                    String tag = name + "_tag";
                    List<IntegerClass.Mapping> labels = new ArrayList<>();
                    List<VariantClass.Option> options = new ArrayList<>();
                    int k = 1 + rnd.nextInt(4);
                    for (int o = 0; o < k; o++) {
                        labels.add(new IntegerClass.Mapping("o" + o, List.of(new IntegerClass.Range(o * 2, o * 2 + 1))));
                        FieldClass t = switch (rnd.nextInt(4)) {
                            case 0 -> integer();
                            case 1 -> StringClass.nullTerminated();
                            case 2 -> pair();
                            default -> new StructClass(List.of(), 1, null);
                        };
                        options.add(new VariantClass.Option("o" + o, t));
                    }
                    ms.add(new StructClass.Member(tag, IntegerClass.builder().length(8).alignment(8).enumeration(true)
                            .mappings(labels).build()));
                    ms.add(new StructClass.Member(name, new VariantClass(
                            new FieldPath(Scope.EVENT_PAYLOAD, List.of(tag), null), options, null)));
                }
                case 10 -> ms.add(new StructClass.Member(name, IntegerClass.builder().length(8 << rnd.nextInt(3))
                        .alignment(8).mappedClock("clk").build()));
                case 2 -> ms.add(new StructClass.Member(name, floating()));
                case 3 -> ms.add(new StructClass.Member(name, StringClass.nullTerminated()));
                case 4 -> ms.add(new StructClass.Member(name, new ArrayClass(integer(), rnd.nextInt(4) == 0
                        ? Program.UNROLL_ELEMENTS - 2 + rnd.nextInt(5) : rnd.nextInt(6), null, 1, false, null)));
                case 5 -> ms.add(new StructClass.Member(name, new ArrayClass(text(), rnd.nextInt(12), null, 1, true,
                        null)));
                default -> {
                    String len = name + "_len";
                    ms.add(new StructClass.Member(len, IntegerClass.builder().length(8 << rnd.nextInt(2))
                            .alignment(8).build()));
                    FieldPath path = new FieldPath(Scope.EVENT_PAYLOAD, List.of(len), null);
                    int kind = rnd.nextInt(3);
                    FieldClass elem = kind == 0 ? integer() : kind == 1 ? text() : pair();
                    ms.add(new StructClass.Member(name, new ArrayClass(elem, -1, path, 1, kind == 1, null)));
                }
            }
        }
        return new StructClass(ms, 8, null);
    }

    private StructClass pair() {
        List<StructClass.Member> ms = new ArrayList<>();
        ms.add(new StructClass.Member("a" + names++, integer()));
        ms.add(new StructClass.Member("b" + names++, integer()));
        return new StructClass(ms, 8, null);
    }

    private static IntegerClass text() {
        return IntegerClass.builder().length(8).alignment(8).encoding(IntegerClass.Encoding.UTF8).build();
    }

    private IntegerClass integer() {
        int len = 8 << rnd.nextInt(4);
        int align = rnd.nextInt(3) == 0 ? len : 8;
        ByteOrder bo = rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
        return IntegerClass.builder().length(len).alignment(align).signed(rnd.nextBoolean()).byteOrder(bo).build();
    }

    private FieldClass floating() {
        boolean dbl = rnd.nextBoolean();
        return new FloatClass(8, dbl ? 64 : 32, ByteOrder.LITTLE_ENDIAN, dbl ? 11 : 8, dbl ? 53 : 24, null);
    }
}
