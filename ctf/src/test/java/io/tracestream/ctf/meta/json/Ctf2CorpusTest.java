package io.tracestream.ctf.meta.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import io.tracestream.ctf.testing.SharedTraces;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The CTF 2 metadata of the shared corpora: babeltrace2's CTF 2 test traces, Trace Compass's CTF 2 traces
 * (CTF2-SPECRC-7.0 spelling), yactfr's CTF 2 data cases (all valid at the metadata level) and yactfr's CTF 2
 * metadata pass/fail cases, whose expected errors must point where ours do.
 */
class Ctf2CorpusTest {

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Path> metadataFiles(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.getFileName().toString().equals("metadata") && Files.isRegularFile(p)).sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<DynamicTest> parseAll(Path dir) {
        List<Path> files = metadataFiles(dir);
        assertTrue(files.size() > 0, "no metadata under " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(dir.relativize(f).toString(), () -> {
            TraceClass tc = Ctf2MetadataParser.parse(read(f), f);
            assertEquals(2, tc.ctfMajor());
        }));
    }

    @TestFactory
    Stream<DynamicTest> babeltraceSucceedTracesParse() {
        return Stream.concat(parseAll(SharedTraces.path("babeltrace/ctf-traces-master/2/succeed")),
                parseAll(SharedTraces.path("babeltrace/ctf-traces-master/2/intersection")));
    }

    @TestFactory
    Stream<DynamicTest> traceCompassCtf2TracesParse() {
        return parseAll(SharedTraces.path("tracecompass/ctf2"));
    }

    /** Every yactfr CTF 2 data case is valid metadata (the fail-* ones fail while decoding data). */
    @TestFactory
    Stream<DynamicTest> yactfrDataCasesParse() {
        return parseAll(SharedTraces.path("yactfr/iter-data/ctf-2"));
    }

    /**
     * babeltrace2 rejects these two traces ("Missing data stream class fragment in metadata stream."), but their
     * metadata is valid CTF 2 (yactfr's pass-diff-uuid and others have no data stream class either): the parser
     * returns a trace class without stream classes and leaves that decision to the reader.
     */
    @Test
    void babeltraceFailTracesHaveNoStreamClass() {
        for (String name : List.of("meta-no-stream-cls", "meta-no-trace-cls-no-stream-cls")) {
            Path f = SharedTraces.path("babeltrace/ctf-traces-master/2/fail/" + name + "/metadata");
            TraceClass tc = Ctf2MetadataParser.parse(read(f), f);
            assertTrue(tc.streamClasses().isEmpty(), name);
        }
    }

    @Test
    void twoPacketsModel() {
        Path f = SharedTraces.path("babeltrace/ctf-traces-master/2/succeed/2packets/metadata");
        TraceClass tc = Ctf2MetadataParser.parse(read(f), f);
        assertEquals(UUID.fromString("0f37a32b-1796-408d-b723-bd27b45921c6"), tc.uuid());
        assertEquals("0f37a32b-1796-408d-b723-bd27b45921c6", tc.uid());
        assertEquals(List.of("domain", "hostname", "tracer_major", "tracer_minor", "tracer_name"),
                List.copyOf(tc.environment().keySet()));
        assertEquals(11L, tc.environment().get("tracer_minor"));
        assertEquals("ust", tc.environment().get("domain"));
        StructClass ph = tc.packetHeader();
        assertTrue(((IntegerClass) ph.memberType("magic")).hasRole(IntegerClass.Role.PACKET_MAGIC_NUMBER));
        assertTrue(((io.tracestream.ctf.meta.BlobClass) ph.memberType("uuid")).isMetadataStreamUuid());
        ClockClass clock = tc.clocks().get("monotonic");
        assertEquals(1_000_000_000L, clock.frequency());
        assertEquals(1561498843L, clock.offsetSeconds());
        assertEquals(433067926L, clock.offsetCycles());
        assertTrue(clock.originIsUnixEpoch());
        assertEquals("Monotonic Clock", clock.description());
        assertEquals(UUID.fromString("db965ea1-f862-45a3-ab65-602642fdad90"), clock.uuid());
        assertEquals(-1, clock.precision());
        StreamClass sc = tc.streamClass(0);
        assertEquals(clock, sc.defaultClock());
        IntegerClass id = (IntegerClass) sc.eventHeader().memberType("id");
        assertTrue(id.hasRole(IntegerClass.Role.EVENT_RECORD_CLASS_ID));
        assertEquals(List.of("compact", "extended"), id.mappings().stream().map(IntegerClass.Mapping::label).toList());
        VariantClass v = (VariantClass) sc.eventHeader().memberType("v");
        assertEquals(new FieldPath(Scope.EVENT_HEADER, List.of("id"), null).names(), v.selectorPath().names());
        assertEquals(Scope.EVENT_HEADER, v.selectorPath().scope());
        assertEquals(2, v.options().size());
        assertEquals(List.of(new IntegerClass.Range(65535, 65535)), v.options().get(1).selectorRanges());
        EventClass ec = sc.eventClass(0);
        assertEquals("lttng_ust_statedump:procname", ec.name());
        assertEquals(13L, ec.logLevel()); // debug:line
        assertNotNull(ec.attributes().get("lttng.org,2009"));
    }

    /** A CTF2-SPECRC-7.0 trace: array field locations, enumeration types, clock identified by name. */
    @Test
    void traceCompassRc7Model() {
        Path f = SharedTraces.path("tracecompass/ctf2/CTF2-7.0-lttng-crash/metadata");
        TraceClass tc = Ctf2MetadataParser.parse(read(f), f);
        assertNotNull(tc.uuid());
        StreamClass sc = tc.streamClasses().iterator().next();
        assertEquals("monotonic", sc.defaultClock().name());
        assertNotNull(sc.defaultClock().uuid());
        VariantClass v = (VariantClass) sc.eventHeader().memberType("v");
        assertEquals(Scope.EVENT_HEADER, v.selectorPath().scope());
        assertEquals(List.of("id"), v.selectorPath().names());
        IntegerClass id = (IntegerClass) sc.eventHeader().memberType("id");
        assertTrue(id.isEnumeration());
    }

    // ------------------------------------------------------------------------------------------- yactfr text cases

    private static final Pattern OURS = Pattern.compile(":(\\d+):(\\d+): ");
    private static final Pattern THEIRS = Pattern.compile("^\\[(\\d+):(\\d+)\\] (.*)$", Pattern.MULTILINE);

    /**
     * yactfr's CTF 2 metadata cases: pass-* parse; fail-* fail, and our error points at the same place as yactfr's
     * innermost message (yactfr counts lines and columns from the start of each fragment). For unknown properties
     * we point at the key where yactfr points at the value: the line must then match. For field location
     * resolution errors we point at the location, yactfr at the field class which needs it: not compared.
     */
    @TestFactory
    Stream<DynamicTest> yactfrMetadataCases() throws IOException {
        Path dir = SharedTraces.path("yactfr/metadata-text/ctf-2");
        List<Path> cases;
        try (Stream<Path> s = Files.walk(dir)) {
            cases = s.filter(Files::isRegularFile).sorted().toList();
        }
        assertTrue(cases.size() > 300, "expecting the yactfr CTF 2 metadata cases in " + dir);
        return cases.stream().map(c -> DynamicTest.dynamicTest(dir.relativize(c).toString(), () -> {
            String text = read(c);
            String name = c.getFileName().toString();
            if (name.startsWith("pass-")) {
                assertTrue(Ctf2MetadataParser.parse(text, c).ctfMajor() == 2);
                return;
            }
            assertTrue(name.startsWith("fail-"), name);
            int sep = text.indexOf("\n---\n", 4);
            String meta = text.substring(4, sep + 1);
            String expected = text.substring(sep + 5);
            CtfException e = assertThrows(CtfException.class, () -> Ctf2MetadataParser.parse(meta, c));
            Matcher m = OURS.matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            int line = Integer.parseInt(m.group(1));
            int col = Integer.parseInt(m.group(2));
            int[] rel = fragmentRelative(meta, line, col);
            Matcher t = THEIRS.matcher(expected);
            String last = null;
            int tl = 0;
            int tc = 0;
            while (t.find()) {
                tl = Integer.parseInt(t.group(1));
                tc = Integer.parseInt(t.group(2));
                last = t.group(3);
            }
            if (last == null) {
                fail("no yactfr location in " + expected);
            }
            String what = "ours: " + e.getMessage() + "\nyactfr: [" + tl + ":" + tc + "] " + last;
            if (e.getMessage().contains("field location [")) {
                // Resolution errors: we point at the field location, yactfr at the field class needing it.
                return;
            }
            assertEquals(tl, rel[0], what);
            if (!e.getMessage().contains("unknown property")) {
                assertEquals(tc, rel[1], what);
            }
        }));
    }

    /** Converts an absolute line:column to yactfr's fragment-relative one (line 1 starts after the separator). */
    private static int[] fragmentRelative(String text, int line, int col) {
        int pos = 0;
        for (int l = 1; l < line; l++) {
            pos = text.indexOf('\n', pos) + 1;
        }
        pos += col - 1;
        int rs = text.lastIndexOf('\u001e', pos);
        int l = 1;
        int lineStart = rs + 1;
        for (int i = rs + 1; i < pos; i++) {
            if (text.charAt(i) == '\n') {
                l++;
                lineStart = i + 1;
            }
        }
        return new int[] {l, pos - lineStart + 1};
    }
}
