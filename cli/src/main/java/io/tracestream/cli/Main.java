package io.tracestream.cli;

import io.tracestream.ctf.CtfException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code tracestream} command line: {@code tracestream [--help | --version] COMMAND [ARGS...]}.
 *
 * <p>Exit codes: 0 success, 1 error (unreadable trace, I/O error), 2 bad usage, 141 output pipe closed (like a
 * process killed by SIGPIPE, e.g. {@code tracestream print TRACE | head}). Errors are one line on standard error,
 * {@code tracestream: error: ...}; set the environment variable {@code TRACESTREAM_DEBUG=1} to also get the stack
 * trace.
 */
public final class Main {

    /**
     * Every command, in the order {@code tracestream --help} lists them. To add a command, add one line here.
     */
    static final List<Command> COMMANDS = List.of(
            new PrintCommand(),
            new StatsCommand(),
            new ConvertCommand(),
            new TileCommand(),
            new AnalyzeCommand(),
            new LiveCommand(),
            new WatchCommand(),
            new RecordKernelCommand(),
            new VersionCommand());

    static final int EXIT_OK = 0;
    static final int EXIT_ERROR = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_BROKEN_PIPE = 141;

    private static final String PROGRAM = "tracestream";

    private Main() {
    }

    /** Runs the command line and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, Terminal.system()));
    }

    /** Runs a command line against a terminal and returns the exit code; never throws, never exits the JVM. */
    static int run(String[] args, Terminal terminal) {
        return run(args, terminal, COMMANDS);
    }

    /** {@link #run(String[], Terminal)} with another command list (for tests). */
    static int run(String[] args, Terminal terminal, List<Command> commands) {
        boolean debug = "1".equals(terminal.env("TRACESTREAM_DEBUG"));
        int code;
        try {
            try {
                code = dispatch(Arrays.asList(args), terminal, commands);
            } finally {
                terminal.out().flush();
            }
        } catch (UsageException e) {
            Command command = commandOf(args, commands);
            String help = command != null ? PROGRAM + " " + command.name() + " --help" : PROGRAM + " --help";
            return fail(terminal, (command != null ? command.name() + ": " : "") + e.getMessage()
                    + " (see '" + help + "')", e, debug, EXIT_USAGE);
        } catch (Throwable e) {
            Terminal.OutputFailedException outputFailure = outputFailure(e);
            if (outputFailure != null && outputFailure.isBrokenPipe() && !debug) {
                return EXIT_BROKEN_PIPE;
            }
            return fail(terminal, describe(e), e, debug, EXIT_ERROR);
        }
        return code;
    }

    private static int dispatch(List<String> args, Terminal terminal, List<Command> commands) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("no command given");
        }
        String first = args.get(0);
        switch (first) {
            case "-h", "--help" -> {
                terminal.out().write(bytes(mainHelp(commands)));
                return EXIT_OK;
            }
            case "-V", "--version" -> {
                terminal.println(PROGRAM + " " + Version.get());
                return EXIT_OK;
            }
            case "help" -> {
                if (args.size() == 1) {
                    terminal.out().write(bytes(mainHelp(commands)));
                    return EXIT_OK;
                }
                Command c = find(args.get(1), commands);
                if (c == null && commands == COMMANDS && !args.get(1).contains(".")) {
                    c = Plugins.find(args.get(1));
                }
                if (c == null || args.size() > 2) {
                    throw new UsageException(c == null ? "unknown command '" + args.get(1) + "'"
                            : "'help' takes one command name");
                }
                terminal.out().write(bytes(commandHelp(c)));
                return EXIT_OK;
            }
            default -> {
                // fall through to command lookup
            }
        }
        if (first.startsWith("-")) {
            throw new UsageException("unknown option '" + first + "'");
        }
        Command command = find(first, commands);
        if (command == null && commands == COMMANDS && !first.contains(".")) {
            command = Plugins.find(first); // Spark-backed commands, outside the CLI jar
        }
        if (command == null) {
            throw new UsageException("unknown command '" + first + "'");
        }
        Arguments parsed = command.options().parse(args.subList(1, args.size()));
        if (parsed.has(Options.HELP.longName())) {
            terminal.out().write(bytes(commandHelp(command)));
            return EXIT_OK;
        }
        return Plugins.isPlugin(command) ? Plugins.run(command, parsed, terminal) : command.run(parsed, terminal);
    }

    private static Command find(String name, List<Command> commands) {
        for (Command c : commands) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /** The command a usage error is about, for the pointer to its help; null for the top level. */
    private static Command commandOf(String[] args, List<Command> commands) {
        if (args.length == 0) {
            return null;
        }
        String name = args[0].equals("help") && args.length > 1 ? args[1] : args[0];
        Command c = find(name, commands);
        if (c == null && commands == COMMANDS && !name.contains(".") && !name.startsWith("-")) {
            try {
                c = Plugins.find(name);
            } catch (RuntimeException e) {
                c = null;
            }
        }
        return c;
    }

    static String mainHelp(List<Command> commands) {
        if (commands == COMMANDS) {
            List<Command> all = new java.util.ArrayList<>(commands);
            all.addAll(Plugins.listed()); // Spark-backed commands, when built
            commands = all;
        }
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(PROGRAM).append(" [--help | --version] COMMAND [ARGS...]\n\n");
        sb.append("TraceStream: a toolkit for CTF traces (LTTng kernel and user space; CTF 1.8 and CTF 2).\n\n");
        sb.append("Commands:\n");
        int width = 0;
        for (Command c : commands) {
            width = Math.max(width, c.name().length());
        }
        for (Command c : commands) {
            sb.append("  ").append(c.name()).append(" ".repeat(width - c.name().length() + 3))
                    .append(c.summary()).append('\n');
        }
        sb.append("\nOptions:\n");
        sb.append("  -h, --help     Show this help and exit\n");
        sb.append("  -V, --version  Show the version and exit\n\n");
        sb.append("Run '").append(PROGRAM).append(" COMMAND --help' for the options of a command.\n");
        sb.append("Set TRACESTREAM_DEBUG=1 to get a stack trace with errors.\n");
        return sb.toString();
    }

    static String commandHelp(Command c) {
        StringBuilder sb = new StringBuilder();
        sb.append("Usage: ").append(PROGRAM).append(' ').append(c.name()).append(' ').append(c.synopsis())
                .append("\n\n");
        String description = c.description().isEmpty() ? c.summary() + "." : c.description();
        sb.append(description).append(description.endsWith("\n") ? "\n" : "\n\n");
        sb.append("Options:\n");
        c.options().describe(sb);
        return sb.toString();
    }

    /** One line saying what went wrong, for errors other than usage errors. */
    static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof UncheckedIOException && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof CtfException) {
            return t.getMessage();
        }
        Terminal.OutputFailedException outputFailure = outputFailure(t);
        if (outputFailure != null) {
            return "cannot write the output: " + outputFailure.getMessage();
        }
        if (t instanceof NoSuchFileException f) {
            return f.getFile() + ": no such file or directory";
        }
        if (t instanceof AccessDeniedException f) {
            return f.getFile() + ": permission denied";
        }
        if (t instanceof NotDirectoryException f) {
            return f.getFile() + ": not a directory";
        }
        if (t instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        if (t instanceof IOException) {
            return t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName();
        }
        if (t instanceof OutOfMemoryError) {
            return "out of memory (give Java more heap, e.g. TRACESTREAM_JAVA_OPTS=-Xmx8g)";
        }
        return "internal error: " + t + " (set TRACESTREAM_DEBUG=1 for the stack trace)";
    }

    private static Terminal.OutputFailedException outputFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Terminal.OutputFailedException f) {
                return f;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static int fail(Terminal terminal, String message, Throwable e, boolean debug, int code) {
        String oneLine = message == null ? e.getClass().getName() : message.replaceAll("\\s*\\R\\s*", " ");
        terminal.err().println(PROGRAM + ": error: " + oneLine);
        if (debug) {
            e.printStackTrace(terminal.err());
        }
        terminal.err().flush();
        return code;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
