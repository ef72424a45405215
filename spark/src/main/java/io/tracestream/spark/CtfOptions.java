package io.tracestream.spark;

import io.tracestream.ctf.CtfException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The options of the {@code ctf} data source, parsed and validated on the driver before any job starts.
 *
 * <ul>
 * <li>{@code path} / {@code paths}: trace directories or directories above traces (what {@code load()} gets)</li>
 * <li>{@code events}: comma-separated event class names; gives a typed table with their context and payload fields
 *     as columns (default: the generic {@code events} table of all events)</li>
 * <li>{@code maxSplitBytes}: split size, packets of one stream per split (default 128m; {@code k}, {@code m},
 *     {@code g} suffixes)</li>
 * <li>{@code lenient}: skip corrupt packets, counting them, instead of failing (default false)</li>
 * <li>{@code pushDownAggregates}: compute {@code COUNT}/{@code MIN}/{@code MAX} ... {@code GROUP BY} leading
 *     columns in the scan, per split, without rows (default true)</li>
 * <li>{@code columnar}: read flat columns into Spark column vectors, in batches (default true)</li>
 * </ul>
 *
 * @param paths         the input paths
 * @param events        the event names of a typed table, or null for the generic table
 * @param maxSplitBytes the largest split, in bytes (a split always holds at least one packet)
 * @param lenient       skip corrupt packets
 * @param pushDownAggregates compute pushed aggregates in the scan
 * @param columnar      columnar reads where every column is flat
 */
public record CtfOptions(List<Path> paths, List<String> events, long maxSplitBytes, boolean lenient,
                         boolean pushDownAggregates, boolean columnar) {
    /** The option names this source accepts. */
    public static final Set<String> KNOWN = Set.of("path", "paths", "events", "maxsplitbytes", "lenient",
            "pushdownaggregates", "columnar");

    public static final long DEFAULT_MAX_SPLIT_BYTES = 128L << 20;

    /**
     * Parses the options.
     *
     * @throws CtfException naming the option when a value is bad, a name unknown or no path given
     */
    public static CtfOptions parse(Map<String, String> options) {
        for (String k : options.keySet()) {
            if (!KNOWN.contains(k.toLowerCase(Locale.ROOT)) && !streamingOption(k)) {
                throw new CtfException("ctf: unknown option '" + k + "' (known: path, events, maxSplitBytes, "
                        + "lenient, pushDownAggregates, columnar)");
            }
        }
        List<Path> paths = new ArrayList<>();
        String many = get(options, "paths");
        if (many != null) {
            for (String p : parseJsonArray(many)) {
                paths.add(Path.of(p));
            }
        }
        String one = get(options, "path");
        if (one != null) {
            paths.add(Path.of(one));
        }
        if (paths.isEmpty()) {
            throw new CtfException("ctf: no trace path given: use load(PATH) or option(\"path\", PATH)");
        }
        List<String> events = null;
        String ev = get(options, "events");
        if (ev != null) {
            Set<String> set = new LinkedHashSet<>();
            for (String s : ev.split(",")) {
                if (!s.isBlank()) {
                    set.add(s.trim());
                }
            }
            if (set.isEmpty()) {
                throw new CtfException("ctf: option 'events' is empty: give event class names separated by commas");
            }
            events = List.copyOf(set);
        }
        long split = DEFAULT_MAX_SPLIT_BYTES;
        String ms = get(options, "maxSplitBytes");
        if (ms != null) {
            split = parseSize("maxSplitBytes", ms);
        }
        return new CtfOptions(List.copyOf(paths), events, split, bool(options, "lenient", false),
                bool(options, "pushDownAggregates", true), bool(options, "columnar", true));
    }

    private static boolean bool(Map<String, String> options, String name, boolean fallback) {
        String s = get(options, name);
        if (s == null) {
            return fallback;
        }
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
            throw new CtfException("ctf: option '" + name + "' must be true or false, not '" + s + "'");
        }
        return v.equals("true");
    }

    /** True for an option of the streaming source (validated by it when a streaming query starts). */
    private static boolean streamingOption(String name) {
        CtfStreaming s = CtfStreaming.find();
        return s != null && s.optionNames().contains(name.toLowerCase(Locale.ROOT));
    }

    private static String get(Map<String, String> options, String name) {
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A size such as {@code 1048576}, {@code 64k}, {@code 128m}, {@code 1g} (also with a final {@code b}). */
    static long parseSize(String option, String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (v.endsWith("b")) {
            v = v.substring(0, v.length() - 1);
        }
        long mult = 1;
        if (!v.isEmpty()) {
            char c = v.charAt(v.length() - 1);
            mult = switch (c) {
                case 'k' -> 1L << 10;
                case 'm' -> 1L << 20;
                case 'g' -> 1L << 30;
                default -> 1;
            };
            if (mult != 1) {
                v = v.substring(0, v.length() - 1);
            }
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n <= 0 || n > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return n * mult;
        } catch (NumberFormatException e) {
            throw new CtfException("ctf: option '" + option + "' must be a positive size such as 134217728 or "
                    + "128m, not '" + value + "'");
        }
    }

    /** The strings of a JSON array of strings, as Spark passes several load() paths. */
    static List<String> parseJsonArray(String json) {
        List<String> out = new ArrayList<>();
        String s = json.trim();
        if (!s.startsWith("[")) {
            out.add(s);
            return out;
        }
        int i = 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                StringBuilder sb = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    char d = s.charAt(i);
                    if (d == '\\' && i + 1 < s.length()) {
                        char e = s.charAt(++i);
                        switch (e) {
                            case 'n' -> sb.append('\n');
                            case 't' -> sb.append('\t');
                            case 'u' -> {
                                sb.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                                i += 4;
                            }
                            default -> sb.append(e);
                        }
                    } else {
                        sb.append(d);
                    }
                    i++;
                }
                out.add(sb.toString());
            }
            i++;
        }
        return out;
    }
}
