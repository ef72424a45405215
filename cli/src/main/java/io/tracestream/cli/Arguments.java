package io.tracestream.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A parsed command line: the options given, their values, and the positional arguments, in order.
 * Option names passed to the accessors are long names without dashes; asking for an option the command did not
 * declare is a programming error ({@link IllegalArgumentException}).
 */
public final class Arguments {

    /** One command-line element: an option (with its value, or null for a flag), or a positional argument. */
    public record Item(Options.Option option, String value) {
        /** Whether this item is a positional argument. */
        public boolean isPositional() {
            return option == null;
        }
    }

    private final Options options;
    private final List<Item> items;

    Arguments(Options options, List<Item> items) {
        this.options = options;
        this.items = List.copyOf(items);
    }

    /** Every option and positional argument, in command-line order. */
    public List<Item> items() {
        return items;
    }

    /** The positional arguments, in order. */
    public List<String> positionals() {
        List<String> out = new ArrayList<>();
        for (Item it : items) {
            if (it.isPositional()) {
                out.add(it.value());
            }
        }
        return out;
    }

    /** Whether the option was given at least once. */
    public boolean has(String longName) {
        Options.Option o = declared(longName);
        for (Item it : items) {
            if (it.option() == o) {
                return true;
            }
        }
        return false;
    }

    /** The value of the option's last occurrence, or null when it was not given. */
    public String value(String longName) {
        Options.Option o = declared(longName);
        String v = null;
        for (Item it : items) {
            if (it.option() == o) {
                v = it.value();
            }
        }
        return v;
    }

    /** The value of the option's last occurrence, or {@code fallback} when it was not given. */
    public String value(String longName, String fallback) {
        String v = value(longName);
        return v != null ? v : fallback;
    }

    /** Every value the option was given, in order (empty when not given). */
    public List<String> values(String longName) {
        Options.Option o = declared(longName);
        List<String> out = new ArrayList<>();
        for (Item it : items) {
            if (it.option() == o) {
                out.add(it.value());
            }
        }
        return out;
    }

    /**
     * The option's value as a decimal (or {@code 0x} hexadecimal) integer, or {@code fallback} when not given.
     *
     * @throws UsageException when the value is not an integer
     */
    public long longValue(String longName, long fallback) {
        String v = value(longName);
        if (v == null) {
            return fallback;
        }
        try {
            String s = v.trim();
            boolean negative = s.startsWith("-");
            String digits = negative || s.startsWith("+") ? s.substring(1) : s;
            long n = digits.startsWith("0x") || digits.startsWith("0X")
                    ? Long.parseLong(digits.substring(2), 16) : Long.parseLong(digits);
            return negative ? -n : n;
        } catch (NumberFormatException e) {
            throw new UsageException("option '--" + longName + "': not an integer: '" + v + "'");
        }
    }

    /**
     * The only positional argument.
     *
     * @throws UsageException when there is none or more than one
     */
    public String single(String what) {
        List<String> p = positionals();
        if (p.size() != 1) {
            throw new UsageException(p.isEmpty() ? "missing " + what : "expected one " + what + ", got " + p.size());
        }
        return p.get(0);
    }

    private Options.Option declared(String longName) {
        Options.Option o = options.byLong(longName);
        if (o == null) {
            throw new IllegalArgumentException("option not declared by this command: --" + longName);
        }
        return o;
    }
}
