package io.tracestream.sparktrace;

import io.tracestream.cli.Command;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.sparktrace.cli.DemoCommand;
import io.tracestream.sparktrace.cli.RecordCliCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The CLI side of demo and record: declared for the CLI's plugin loader, usage errors as UsageExceptions. */
class CliCommandsTest {
    private static int run(Command c, String... args) throws Exception {
        Terminal t = new Terminal(new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream(), true),
                Map.of());
        return c.run(c.options().parse(List.of(args)), t);
    }

    @Test
    void commandsAreDeclaredForThePluginLoader() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/tracestream/commands.properties")) {
            p.load(in);
        }
        assertEquals(DemoCommand.class.getName(), p.getProperty("demo"));
        assertEquals(RecordCliCommand.class.getName(), p.getProperty("record"));
        assertEquals("demo", new DemoCommand().name());
        assertEquals("record", new RecordCliCommand().name());
    }

    @Test
    void usageErrors() {
        assertEquals("which demo? (the only one is 'spark')",
                assertThrows(UsageException.class, () -> run(new DemoCommand(), "--output", "x")).getMessage());
        assertEquals("unknown demo 'flink' (the only one is 'spark')",
                assertThrows(UsageException.class, () -> run(new DemoCommand(), "flink", "-o", "x")).getMessage());
        assertEquals("--output DIR is required",
                assertThrows(UsageException.class, () -> run(new DemoCommand(), "spark")).getMessage());
        assertEquals("--scale must be from 1 to 1000, got 0", assertThrows(UsageException.class,
                () -> run(new DemoCommand(), "spark", "-o", "x", "--scale", "0")).getMessage());
        assertEquals("no command given (put it after --)",
                assertThrows(UsageException.class, () -> run(new RecordCliCommand(), "-o", "x")).getMessage());
        assertEquals("--output DIR is required", assertThrows(UsageException.class,
                () -> run(new RecordCliCommand(), "--", "java", "-version")).getMessage());
    }
}
