package io.tracestream.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The options one command accepts, and the parser for them (babeltrace2-like syntax).
 *
 * <p>Syntax: long options {@code --name}, {@code --name=value}, {@code --name value}; short options {@code -n},
 * {@code -n value}, {@code -nvalue}, and clusters of flags {@code -ab}. A value is taken as is, even when it starts
 * with {@code -} ({@code --clock-offset -5}). {@code --} ends the options: what follows is positional. A lone
 * {@code -} is positional. Options and positional arguments may be mixed; {@link Arguments#items()} keeps their
 * order for commands where it matters (like babeltrace2's {@code -c COMP -p PARAMS}). An option given twice keeps
 * every value ({@link Arguments#values}); {@link Arguments#value} returns the last one.
 *
 * <pre>{@code
 * new Options()
 *     .flag("no-delta", "Do not print time deltas between events")
 *     .value("output-format", 'o', "FORMAT", "Output format: text (default) or dummy");
 * }</pre>
 */
public final class Options {

    /** One declared option. {@code valueName} is null for a flag. {@code shortName} is 0 when there is none. */
    public record Option(String longName, char shortName, String valueName, String help) {
        /** Whether the option takes a value. */
        public boolean takesValue() {
            return valueName != null;
        }

        String display() {
            return "--" + longName;
        }
    }

    static final Option HELP = new Option("help", 'h', null, "Show this help and exit");

    private final List<Option> options = new ArrayList<>();

    /** Creates an option set holding only {@code -h, --help}. */
    public Options() {
        options.add(HELP);
    }

    /** Adds a flag with a long name only. */
    public Options flag(String longName, String help) {
        return add(new Option(longName, (char) 0, null, help));
    }

    /** Adds a flag with a long and a short name. */
    public Options flag(String longName, char shortName, String help) {
        return add(new Option(longName, shortName, null, help));
    }

    /** Adds an option taking a value, with a long name only; {@code valueName} is shown in the help. */
    public Options value(String longName, String valueName, String help) {
        return add(new Option(longName, (char) 0, valueName, help));
    }

    /** Adds an option taking a value, with a long and a short name; {@code valueName} is shown in the help. */
    public Options value(String longName, char shortName, String valueName, String help) {
        return add(new Option(longName, shortName, valueName, help));
    }

    private Options add(Option option) {
        if (option.longName().isEmpty() || option.longName().startsWith("-") || option.longName().contains("=")) {
            throw new IllegalArgumentException("bad long option name: " + option.longName());
        }
        for (Option o : options) {
            if (o.longName().equals(option.longName())
                    || (option.shortName() != 0 && o.shortName() == option.shortName())) {
                throw new IllegalArgumentException("option declared twice: " + option.longName());
            }
        }
        options.add(option);
        return this;
    }

    /** The declared options, {@code help} first. */
    public List<Option> list() {
        return List.copyOf(options);
    }

    Option byLong(String name) {
        for (Option o : options) {
            if (o.longName().equals(name)) {
                return o;
            }
        }
        return null;
    }

    private Option byShort(char c) {
        for (Option o : options) {
            if (o.shortName() == c) {
                return o;
            }
        }
        return null;
    }

    /**
     * Parses a command line (the arguments after the command name).
     *
     * @throws UsageException for an unknown option, a missing value, or a value given to a flag
     */
    public Arguments parse(List<String> args) {
        List<Arguments.Item> items = new ArrayList<>();
        boolean optionsEnded = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (optionsEnded || arg.equals("-") || !arg.startsWith("-")) {
                items.add(new Arguments.Item(null, arg));
            } else if (arg.equals("--")) {
                optionsEnded = true;
            } else if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                String name = eq < 0 ? arg.substring(2) : arg.substring(2, eq);
                Option o = byLong(name);
                if (o == null) {
                    throw new UsageException("unknown option '--" + name + "'");
                }
                if (!o.takesValue()) {
                    if (eq >= 0) {
                        throw new UsageException("option '--" + name + "' takes no value");
                    }
                    items.add(new Arguments.Item(o, null));
                } else if (eq >= 0) {
                    items.add(new Arguments.Item(o, arg.substring(eq + 1)));
                } else if (i + 1 < args.size()) {
                    items.add(new Arguments.Item(o, args.get(++i)));
                } else {
                    throw new UsageException("option '--" + name + "' needs a value (" + o.valueName() + ")");
                }
            } else {
                // a cluster of short options: flags, then at most one option with a value (the rest or next arg)
                for (int k = 1; k < arg.length(); k++) {
                    char c = arg.charAt(k);
                    Option o = byShort(c);
                    if (o == null) {
                        throw new UsageException("unknown option '-" + c + "'");
                    }
                    if (!o.takesValue()) {
                        items.add(new Arguments.Item(o, null));
                    } else if (k + 1 < arg.length()) {
                        items.add(new Arguments.Item(o, arg.substring(k + 1)));
                        break;
                    } else if (i + 1 < args.size()) {
                        items.add(new Arguments.Item(o, args.get(++i)));
                    } else {
                        throw new UsageException("option '-" + c + "' needs a value (" + o.valueName() + ")");
                    }
                }
            }
        }
        return new Arguments(this, items);
    }

    /** Appends the option table of a help text: one option per entry, descriptions aligned. */
    void describe(StringBuilder sb) {
        List<String> heads = new ArrayList<>();
        int width = 0;
        for (Option o : options) {
            String head = (o.shortName() != 0 ? "-" + o.shortName() + ", " : "    ") + "--" + o.longName()
                    + (o.takesValue() ? "=" + o.valueName() : "");
            heads.add(head);
            width = Math.max(width, head.length());
        }
        width = Math.min(width, 30);
        for (int i = 0; i < options.size(); i++) {
            String head = heads.get(i);
            sb.append("  ").append(head);
            String indent = " ".repeat(2 + width + 2);
            if (head.length() > width) {
                sb.append('\n').append(indent);
            } else {
                sb.append(" ".repeat(width - head.length() + 2));
            }
            sb.append(options.get(i).help().replace("\n", "\n" + indent)).append('\n');
        }
    }
}
