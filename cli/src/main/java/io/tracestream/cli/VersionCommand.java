package io.tracestream.cli;

import java.io.IOException;

/** {@code tracestream version}: the TraceStream version, and the Java runtime and system it runs on. */
final class VersionCommand implements Command {

    @Override
    public String name() {
        return "version";
    }

    @Override
    public String summary() {
        return "Show the TraceStream version and the Java runtime it runs on";
    }

    @Override
    public String description() {
        return "Prints the TraceStream version, then the Java runtime and the operating system.\n"
                + "'tracestream --version' prints the first line only.";
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        if (!args.positionals().isEmpty()) {
            throw new UsageException("unexpected argument '" + args.positionals().get(0) + "'");
        }
        terminal.println("tracestream " + Version.get());
        terminal.println("Java " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.vendor") + ")");
        terminal.println(System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        return 0;
    }
}
