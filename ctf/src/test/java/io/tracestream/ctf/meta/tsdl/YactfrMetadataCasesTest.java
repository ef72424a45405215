package io.tracestream.ctf.meta.tsdl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * yactfr's CTF 1.8 metadata cases ({@code yactfr/metadata-text/ctf-1}): every {@code pass-*} metadata parses, every
 * {@code fail-*} one (the text between the first two {@code ---} lines) fails with a {@link CtfException} whose
 * message is {@code FILE:LINE:COLUMN: WHAT}.
 */
class YactfrMetadataCasesTest {
    /**
     * yactfr rejects unknown attributes; babeltrace2 2.0 (the reference for this project's output) accepts them with
     * a warning, and its own test traces ({@code succeed3}, {@code succeed4}, {@code warnings}) rely on it. Checked
     * with {@code babeltrace2 DIR}: all of these are accepted by babeltrace2.
     */
    static final Set<String> ACCEPTED_LIKE_BABELTRACE2 = Set.of("fail-clk-type-unknown-attr",
            "fail-dst-unknown-attr", "fail-fl-float-type-unknown-attr", "fail-fl-int-type-unknown-attr",
            "fail-nt-str-type-unknown-attr", "fail-trace-type-unknown-attr");

    private static final Pattern MESSAGE = Pattern.compile("^.+:(\\d+):(\\d+): \\S.*$");

    @TestFactory
    Stream<DynamicTest> yactfrCases() throws IOException {
        Path dir = SharedTraces.path("yactfr/metadata-text/ctf-1");
        List<Path> cases;
        try (Stream<Path> s = Files.list(dir)) {
            cases = s.filter(p -> p.getFileName().toString().matches("(pass|fail)-.*")).sorted().toList();
        }
        assertTrue(cases.size() > 400, "expected the yactfr CTF 1.8 cases, found " + cases.size());
        return cases.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> check(p)));
    }

    private static void check(Path p) throws IOException {
        String name = p.getFileName().toString();
        String content = Files.readString(p);
        if (name.startsWith("pass-")) {
            TraceClass tc = TsdlParser.parse(content, p);
            assertNotNull(tc);
            assertEquals(1, tc.ctfMajor());
            return;
        }
        String[] parts = content.split("(?m)^---$", -1);
        assertTrue(parts.length >= 3, "unexpected fail case layout: " + name);
        // yactfr numbers lines from the one after the first `---`
        String metadata = parts[1].startsWith("\n") ? parts[1].substring(1) : parts[1];
        String expected = parts[2].strip();
        if (ACCEPTED_LIKE_BABELTRACE2.contains(name)) {
            TsdlParser.parse(metadata, p);
            return;
        }
        CtfException e = assertThrows(CtfException.class, () -> TsdlParser.parse(metadata, p),
                () -> name + " should fail; yactfr says: " + expected);
        String msg = e.getMessage();
        assertTrue(msg.startsWith(p.toString() + ":"), () -> "message must name the file: " + msg);
        assertTrue(MESSAGE.matcher(msg).matches(), () -> "message must be FILE:LINE:COLUMN: WHAT: " + msg);
        assertTrue(msg.indexOf('\n') < 0, () -> "message must be one line: " + msg);
        var m = MESSAGE.matcher(msg);
        assertTrue(m.matches());
        int line = Integer.parseInt(m.group(1));
        long lines = metadata.lines().count() + 1;
        assertTrue(line >= 1 && line <= lines, () -> "line out of the metadata: " + msg);
    }
}
