package io.tracestream.cli;

import java.io.IOException;

/**
 * One {@code tracestream} sub-command ({@code tracestream NAME ARGS...}).
 *
 * <p>To add a command: implement this interface in this package and add one instance to {@link Main#COMMANDS}.
 * {@link Main} parses the arguments with {@link #options()}, answers {@code --help} from {@link #synopsis()},
 * {@link #description()} and the option descriptions, and turns exceptions into one-line errors: throw
 * {@link UsageException} for bad usage (exit code 2), let {@link io.tracestream.ctf.CtfException} and
 * {@link IOException} propagate for unreadable input (exit code 1). Constructors must be cheap: every command is
 * constructed on each run; do the work in {@link #run}.
 */
public interface Command {

    /** The word typed after {@code tracestream}, e.g. {@code print}. */
    String name();

    /** One line for the command list of {@code tracestream --help}, starting with a capital, no final period. */
    String summary();

    /** What follows {@code tracestream NAME} in the usage line, e.g. {@code [OPTIONS] TRACE-PATH...}. */
    default String synopsis() {
        return "[OPTIONS]";
    }

    /** Paragraphs shown by {@code tracestream NAME --help} between the usage line and the options; may be empty. */
    default String description() {
        return "";
    }

    /** The options this command accepts; {@code -h, --help} is added by {@link Options} itself. */
    default Options options() {
        return new Options();
    }

    /**
     * Runs the command.
     *
     * @param args the parsed command line (everything after the command name)
     * @param terminal where to write results ({@link Terminal#out()}) and diagnostics
     * @return the process exit code, 0 for success
     * @throws UsageException when the arguments are wrong in a way the parser cannot see
     * @throws IOException when reading input or writing output fails
     */
    int run(Arguments args, Terminal terminal) throws IOException;
}
