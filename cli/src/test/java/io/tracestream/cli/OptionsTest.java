package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class OptionsTest {

    private static Options options() {
        return new Options()
                .flag("no-delta", "No deltas")
                .flag("verbose", 'v', "Verbose")
                .flag("all", 'a', "All")
                .value("output-format", 'o', "FORMAT", "Format")
                .value("clock-offset", "SEC", "Offset")
                .value("component", 'c', "COMP", "Component")
                .value("params", 'p', "PARAMS", "Parameters");
    }

    private static Arguments parse(String... args) {
        return options().parse(List.of(args));
    }

    @Test
    void longOptionsWithEqualsOrSeparateValue() {
        Arguments a = parse("--output-format=dummy", "--clock-offset", "-5", "trace");
        assertEquals("dummy", a.value("output-format"));
        assertEquals(-5, a.longValue("clock-offset", 0));
        assertEquals(List.of("trace"), a.positionals());
        assertFalse(a.has("no-delta"));
    }

    @Test
    void emptyValueAfterEqualsIsAValue() {
        assertEquals("", parse("--output-format=").value("output-format"));
    }

    @Test
    void shortOptionsAttachedSeparateAndClustered() {
        assertEquals("dummy", parse("-o", "dummy").value("output-format"));
        assertEquals("dummy", parse("-odummy").value("output-format"));
        Arguments a = parse("-vao", "text", "t1");
        assertTrue(a.has("verbose"));
        assertTrue(a.has("all"));
        assertEquals("text", a.value("output-format"));
        assertEquals(List.of("t1"), a.positionals());
    }

    @Test
    void doubleDashEndsOptionsAndLoneDashIsPositional() {
        Arguments a = parse("--no-delta", "--", "--verbose", "-");
        assertTrue(a.has("no-delta"));
        assertFalse(a.has("verbose"));
        assertEquals(List.of("--verbose", "-"), a.positionals());
    }

    @Test
    void repeatedOptionsKeepOrderWithPositionals() {
        Arguments a = parse("-c", "sink.text.details", "-p", "with-trace-name=no", "t", "-c", "x", "-p", "y=1");
        assertEquals(List.of("sink.text.details", "x"), a.values("component"));
        assertEquals("y=1", a.value("params"));
        List<Arguments.Item> items = a.items();
        assertEquals(5, items.size());
        assertEquals("component", items.get(0).option().longName());
        assertEquals("params", items.get(1).option().longName());
        assertTrue(items.get(2).isPositional());
        assertEquals("x", items.get(3).value());
    }

    @Test
    void defaultsAndMissingValues() {
        Arguments a = parse();
        assertNull(a.value("output-format"));
        assertEquals("text", a.value("output-format", "text"));
        assertEquals(7, a.longValue("clock-offset", 7));
        assertEquals(0x1f, parse("--clock-offset=0x1f").longValue("clock-offset", 0));
    }

    @Test
    void usageErrors() {
        assertEquals("unknown option '--nope'", assertThrows(UsageException.class, () -> parse("--nope")).getMessage());
        assertEquals("unknown option '-z'", assertThrows(UsageException.class, () -> parse("-vz")).getMessage());
        assertEquals("option '--output-format' needs a value (FORMAT)",
                assertThrows(UsageException.class, () -> parse("--output-format")).getMessage());
        assertEquals("option '-o' needs a value (FORMAT)",
                assertThrows(UsageException.class, () -> parse("-o")).getMessage());
        assertEquals("option '--no-delta' takes no value",
                assertThrows(UsageException.class, () -> parse("--no-delta=yes")).getMessage());
        assertEquals("option '--clock-offset': not an integer: 'abc'",
                assertThrows(UsageException.class, () -> parse("--clock-offset=abc").longValue("clock-offset", 0))
                        .getMessage());
        assertEquals("missing trace path",
                assertThrows(UsageException.class, () -> parse().single("trace path")).getMessage());
    }

    @Test
    void undeclaredOptionIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> parse().has("bogus"));
        assertThrows(IllegalArgumentException.class, () -> options().flag("verbose", "again"));
        assertThrows(IllegalArgumentException.class, () -> options().flag("other", 'v', "same short name"));
    }

    @Test
    void helpTableAlignsDescriptions() {
        StringBuilder sb = new StringBuilder();
        new Options().value("output-format", 'o', "FORMAT", "Output format\nsecond line").flag("no-delta", "No")
                .describe(sb);
        assertEquals("""
                  -h, --help                  Show this help and exit
                  -o, --output-format=FORMAT  Output format
                                              second line
                      --no-delta              No
                """, sb.toString());
    }
}
