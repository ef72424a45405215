package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MainTest {

    /** What one run printed and returned. */
    record Run(int code, String out, String err) {
    }

    private static Run run(List<Command> commands, Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(err, true, StandardCharsets.UTF_8), env);
        int code = Main.run(args, t, commands);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Run run(String... args) {
        return run(Main.COMMANDS, Map.of(), args);
    }

    /** A command that throws what it is given, after writing one line. */
    private static Command throwing(Exception e) {
        return new Command() {
            @Override
            public String name() {
                return "boom";
            }

            @Override
            public String summary() {
                return "Fails";
            }

            @Override
            public int run(Arguments args, Terminal terminal) throws IOException {
                terminal.println("partial");
                if (e instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) e;
            }
        };
    }

    @Test
    void helpListsEveryRegisteredCommand() {
        Run r = run("--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: tracestream [--help | --version] COMMAND [ARGS...]\n"), r.out());
        for (Command c : Main.COMMANDS) {
            assertTrue(r.out().contains("\n  " + c.name() + " "), c.name());
        }
        assertEquals("", r.err());
        assertEquals(r.out(), run("-h").out());
        assertEquals(r.out(), run("help").out());
    }

    @Test
    void commandHelp() {
        Run r = run("version", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("Usage: tracestream version [OPTIONS]\n\n"), r.out());
        assertTrue(r.out().contains("  -h, --help  Show this help and exit\n"), r.out());
        assertEquals(r.out(), run("help", "version").out());
    }

    @Test
    void version() {
        Run r = run("--version");
        assertEquals(0, r.code());
        assertTrue(r.out().matches("tracestream \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n"), r.out());
        Run v = run("version");
        assertEquals(0, v.code());
        String[] lines = v.out().split("\n");
        assertEquals(3, lines.length, v.out());
        assertEquals(r.out().trim(), lines[0]);
        assertTrue(lines[1].startsWith("Java " + System.getProperty("java.runtime.version")), lines[1]);
    }

    @Test
    void usageErrorsExitWith2AndOneLine() {
        Run r = run("version", "--bogus");
        assertEquals(2, r.code());
        assertEquals("tracestream: error: version: unknown option '--bogus' (see 'tracestream version --help')\n",
                r.err());
        assertEquals("", r.out());
        assertEquals("tracestream: error: unknown command 'nope' (see 'tracestream --help')\n", run("nope").err());
        assertEquals("tracestream: error: no command given (see 'tracestream --help')\n", run().err());
        assertEquals(2, run("--bogus").code());
        assertEquals(2, run("version", "extra").code());
        assertEquals(2, run("help", "nope").code());
    }

    @Test
    void ctfExceptionIsOneLineWithoutStackTrace() {
        CtfException e = CtfException.atOffset(Path.of("/t/chan_0"), 4096, "bad packet magic 0x0");
        Run r = run(List.of(throwing(e)), Map.of(), "boom");
        assertEquals(1, r.code());
        assertEquals("partial\n", r.out());
        assertEquals("tracestream: error: /t/chan_0: offset 4096: bad packet magic 0x0\n", r.err());
    }

    @Test
    void debugAddsTheStackTrace() {
        CtfException e = new CtfException("broken");
        Run r = run(List.of(throwing(e)), Map.of("TRACESTREAM_DEBUG", "1"), "boom");
        assertEquals(1, r.code());
        assertTrue(r.err().startsWith("tracestream: error: broken\nio.tracestream.ctf.CtfException: broken\n"),
                r.err());
        assertTrue(r.err().contains("\tat "), r.err());
    }

    @Test
    void ioAndInternalErrors() {
        Run missing = run(List.of(throwing(new NoSuchFileException("/no/trace"))), Map.of(), "boom");
        assertEquals(1, missing.code());
        assertEquals("tracestream: error: /no/trace: no such file or directory\n", missing.err());

        Run bug = run(List.of(throwing(new IllegalStateException("oops\nsecond line"))), Map.of(), "boom");
        assertEquals(1, bug.code());
        assertEquals("tracestream: error: internal error: java.lang.IllegalStateException: oops second line"
                + " (set TRACESTREAM_DEBUG=1 for the stack trace)\n", bug.err());
        assertFalse(bug.err().contains("\tat "));
    }

    @Test
    void closedOutputPipeEndsQuietly() {
        OutputStream closedPipe = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }
        };
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Command chatty = new Command() {
            @Override
            public String name() {
                return "chatty";
            }

            @Override
            public String summary() {
                return "Writes a lot";
            }

            @Override
            public int run(Arguments args, Terminal terminal) throws IOException {
                for (int i = 0; i < 1_000_000; i++) {
                    terminal.println("line " + i);
                }
                return 0;
            }
        };
        Terminal t = new Terminal(closedPipe, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertEquals(141, Main.run(new String[] {"chatty"}, t, new ArrayList<>(List.of(chatty))));
        assertEquals("", err.toString(StandardCharsets.UTF_8));

        OutputStream full = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("No space left on device");
            }
        };
        t = new Terminal(full, new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
        assertEquals(1, Main.run(new String[] {"chatty"}, t, List.of(chatty)));
        assertEquals("tracestream: error: cannot write the output: No space left on device\n",
                err.toString(StandardCharsets.UTF_8));
    }
}
