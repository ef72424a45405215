package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random event payload classes (integers of every length, alignment, byte order and signedness, floats, strings,
 * text arrays, static and dynamic arrays, nested structures and variants) over random bytes: the compiled decoder
 * must agree with {@link ReferenceDecoder} field by field, or both must fail.
 */
class RandomDifferentialTest {
    @TempDir
    Path tmp;

    private Random rnd;
    private int names;

    @Test
    void compiledDecoderAgreesWithReference() throws IOException {
        int agreed = 0;
        long events = 0;
        int bothFailed = 0;
        for (int seed = 0; seed < 400; seed++) {
            rnd = new Random(seed);
            names = 0;
            StructClass payload = struct(new ArrayList<>(), 0);
            TraceClass tc = new TraceClass(1, 8, ByteOrder.LITTLE_ENDIAN, null, null, null, null, null, null, null,
                    null);
            StreamClass sc = new StreamClass(0, null, null, null, null, null, null);
            sc.addEventClass(new EventClass(0, "ev", null, null, null, payload, null));
            tc.addStreamClass(sc);
            for (int d = 0; d < 3; d++) {
                byte[] data = new byte[16 + rnd.nextInt(200)];
                for (int i = 0; i < data.length; i++) {
                    data[i] = rnd.nextInt(5) == 0 ? 0 : (byte) rnd.nextInt(256);
                }
                Path f = tmp.resolve("s" + seed + "_" + d);
                Files.write(f, data);
                ReferenceDecoder rd = new ReferenceDecoder(tc);
                List<String> ref;
                try {
                    ref = rd.decodeStream(data);
                } catch (CtfException e) {
                    // Both fail, after the same complete events.
                    List<String> got = new ArrayList<>();
                    AllTraces.TraceDir t = new AllTraces.TraceDir(tmp, tc, null, List.of(f));
                    assertThrows(CtfException.class, () -> DifferentialTest.decode(t, f, got), "seed " + seed
                            + ": reference failed: " + e.getMessage());
                    List<String> partial = rd.output();
                    // Ours emits complete events only; the reference also has the failing event's first fields.
                    assertTrue(got.size() <= partial.size(), "seed " + seed + ": decoded more than the reference");
                    assertEquals(String.join("\n", partial.subList(0, got.size())), String.join("\n", got),
                            "seed " + seed);
                    List<String> rest = partial.subList(got.size(), partial.size());
                    assertTrue(java.util.Collections.frequency(rest, "EVENT ev") <= 1,
                            "seed " + seed + ": the compiled decoder failed earlier than the reference: " + rest);
                    if (got.contains("EVENT ev")) {
                        events += java.util.Collections.frequency(got, "EVENT ev");
                    }
                    bothFailed++;
                    continue;
                }
                assertEquals(String.join("\n", ref), String.join("\n", decode(tc, f)), "seed " + seed);
                events += java.util.Collections.frequency(ref, "EVENT ev");
                agreed++;
            }
        }
        // Make sure the generator produces decodable data often enough to mean something.
        org.junit.jupiter.api.Assertions.assertTrue(events > 2000, "only " + events + " events compared (" + agreed
                + " streams agreed, " + bothFailed + " both failed)");
    }

    private static List<String> decode(TraceClass tc, Path f) {
        AllTraces.TraceDir t = new AllTraces.TraceDir(f.getParent(), tc, null, List.of(f));
        return DifferentialTest.decode(t, f);
    }

    private String name() {
        return "f" + names++;
    }

    private StructClass struct(List<String> path, int depth) {
        List<StructClass.Member> ms = new ArrayList<>();
        int n = 1 + rnd.nextInt(depth == 0 ? 6 : 3);
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(depth >= 2 ? 4 : 9);
            String name = name();
            switch (kind) {
                case 0, 1 -> ms.add(new StructClass.Member(name, integer()));
                case 2 -> ms.add(new StructClass.Member(name, floating()));
                case 3 -> ms.add(new StructClass.Member(name, StringClass.nullTerminated()));
                case 4 -> {
                    List<String> p = new ArrayList<>(path);
                    p.add(name);
                    ms.add(new StructClass.Member(name, struct(p, depth + 1)));
                }
                case 5 -> ms.add(new StructClass.Member(name, new ArrayClass(element(with(path, name), depth),
                        rnd.nextInt(4), null, 1, false, null)));
                case 6 -> {
                    String len = name();
                    ms.add(new StructClass.Member(len, IntegerClass.builder().length(2 + rnd.nextInt(2))
                            .alignment(rnd.nextBoolean() ? 1 : 8).byteOrder(order()).build()));
                    List<String> lp = new ArrayList<>(path);
                    lp.add(len);
                    boolean text = rnd.nextInt(3) == 0;
                    FieldClass elem = text ? IntegerClass.builder().length(8).alignment(8)
                            .encoding(IntegerClass.Encoding.UTF8).build() : element(with(path, name), depth);
                    ms.add(new StructClass.Member(name, new ArrayClass(elem, -1,
                            new FieldPath(Scope.EVENT_PAYLOAD, lp, null), 1, text, null)));
                }
                case 7 -> ms.add(new StructClass.Member(name, new ArrayClass(IntegerClass.builder().length(8)
                        .alignment(8).encoding(IntegerClass.Encoding.UTF8).build(), rnd.nextInt(6), null, 1, true,
                        null)));
                default -> {
                    String tag = name();
                    List<IntegerClass.Mapping> maps = List.of(
                            new IntegerClass.Mapping("A", List.of(new IntegerClass.Range(0, 0))),
                            new IntegerClass.Mapping("B", List.of(new IntegerClass.Range(1, 1))),
                            new IntegerClass.Mapping("C", List.of(new IntegerClass.Range(2, 3))));
                    ms.add(new StructClass.Member(tag, IntegerClass.builder().length(2).alignment(1)
                            .byteOrder(order()).mappings(maps).enumeration(true).build()));
                    List<String> tp = new ArrayList<>(path);
                    tp.add(tag);
                    List<VariantClass.Option> opts = new ArrayList<>();
                    for (IntegerClass.Mapping m : maps) {
                        List<String> op = new ArrayList<>(path);
                        op.add(name);
                        FieldClass t = rnd.nextBoolean() ? integer() : struct(op, depth + 1);
                        opts.add(new VariantClass.Option(m.label(), t, m.ranges(), java.util.Map.of()));
                    }
                    ms.add(new StructClass.Member(name, new VariantClass(
                            new FieldPath(Scope.EVENT_PAYLOAD, tp, null), opts, null)));
                }
            }
        }
        return new StructClass(ms, rnd.nextInt(4) == 0 ? 32 : 1, null);
    }

    private static List<String> with(List<String> path, String name) {
        List<String> p = new ArrayList<>(path);
        p.add(name);
        return p;
    }

    private FieldClass element(List<String> path, int depth) {
        return switch (rnd.nextInt(3)) {
            case 0 -> integer();
            case 1 -> floating();
            default -> struct(path, depth + 1);
        };
    }

    private ByteOrder order() {
        return rnd.nextBoolean() ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    }

    private IntegerClass integer() {
        int len = rnd.nextInt(4) == 0 ? 8 * (1 + rnd.nextInt(8)) : 1 + rnd.nextInt(64);
        int align = len % 8 == 0 && rnd.nextBoolean() ? 8 << rnd.nextInt(4) : rnd.nextInt(3) == 0 ? 8 : 1;
        return IntegerClass.builder().length(len).alignment(align).signed(rnd.nextBoolean()).byteOrder(order()).build();
    }

    private FloatClass floating() {
        boolean dbl = rnd.nextBoolean();
        return new FloatClass(rnd.nextBoolean() ? 8 : 1, dbl ? 64 : 32, order(), dbl ? 11 : 8, dbl ? 53 : 24, null);
    }
}
