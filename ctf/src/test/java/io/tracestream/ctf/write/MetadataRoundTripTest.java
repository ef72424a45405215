package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.json.Ctf2MetadataParser;
import io.tracestream.ctf.meta.tsdl.TsdlParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Generated metadata parses back (with the project's TSDL and CTF 2 parsers) into the same trace class. */
class MetadataRoundTripTest {
    private static final Path FILE = Path.of("metadata");

    @Test
    void tsdlIsAFixpointOfParseAndGenerate() {
        for (ByteOrder o : ByteOrder.values()) {
            for (TraceSchema.Header h : TraceSchema.Header.values()) {
                TraceClass tc = FieldClassesTest.schema(o, h);
                String tsdl = TsdlGenerator.generate(tc);
                TraceClass parsed = TsdlParser.parse(tsdl, FILE);
                assertEquals(tsdl, TsdlGenerator.generate(parsed), o + " " + h);
            }
        }
    }

    @Test
    void ctf2IsAFixpointOfParseAndGenerate() {
        for (ByteOrder o : ByteOrder.values()) {
            for (TraceSchema.Header h : TraceSchema.Header.values()) {
                TraceClass tc = FieldClassesTest.schema(o, h);
                String json = Ctf2MetadataGenerator.generate(tc);
                assertTrue(json.startsWith("\u001e{\"type\": \"preamble\", \"version\": 2, \"uuid\": ["), json);
                TraceClass parsed = Ctf2MetadataParser.parse(json, FILE);
                assertEquals(json, Ctf2MetadataGenerator.generate(parsed), o + " " + h);
                // And the CTF 2 parse gives the same CTF 1.8 text as the original model.
                assertEquals(TsdlGenerator.generate(tc), TsdlGenerator.generate(parsed), o + " " + h);
            }
        }
    }

    @Test
    void ctf2FragmentsOfTheCompactHeader() {
        TraceClass tc = TraceSchema.builder().uuid(java.util.UUID.fromString("00000000-0000-0000-0000-000000000001"))
                .stream("s", s -> s.header(TraceSchema.Header.COMPACT).event("e", e -> e.u8("x")))
                .build();
        String json = Ctf2MetadataGenerator.generate(tc);
        assertTrue(json.contains("{\"name\": \"id\", \"field-class\": {\"type\": \"fixed-length-unsigned-integer\", "
                + "\"length\": 5, \"byte-order\": \"little-endian\", \"mappings\": {\"compact\": [[0, 30]], "
                + "\"extended\": [[31, 31]]}, \"roles\": [\"event-record-class-id\"]}}"), json);
        assertTrue(json.contains("\"selector-field-location\": {\"origin\": \"event-record-header\", "
                + "\"path\": [\"id\"]}"), json);
        assertTrue(json.contains("{\"name\": \"uuid\", \"field-class\": {\"type\": \"static-length-blob\", "
                + "\"length\": 16, \"roles\": [\"metadata-stream-uuid\"]}}"), json);
        assertEquals(4, json.chars().filter(c -> c == 0x1e).count() - 1, "preamble + trace + clock + stream + event");
    }
}
