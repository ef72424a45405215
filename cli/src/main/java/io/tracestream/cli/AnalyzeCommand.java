package io.tracestream.cli;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Csv;
import io.tracestream.analyses.Lami;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.SchedAnalysis;
import io.tracestream.analyses.TextStyle;
import io.tracestream.analyses.ThreadStatesAnalysis;
import io.tracestream.analyses.html.HtmlReport;
import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.text.TimeBound;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code tracestream analyze NAME TRACE-PATH...}: runs lttng-analyses-compatible kernel analyses (cputop,
 * schedstats, schedtop, irqstats, ... or all) in-process and prints their results as text (lttng-analyses' layout),
 * LAMI 1.0 JSON (as {@code lttng-NAME-mi}) or CSV.
 */
final class AnalyzeCommand implements Command {

    @Override
    public String name() {
        return "analyze";
    }

    @Override
    public String summary() {
        return "Run kernel trace analyses (cputop, schedstats, irqstats, ...) like lttng-analyses, faster";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] NAME TRACE-PATH...";
    }

    @Override
    public String description() {
        return "Runs the analysis NAME over the kernel traces found under each TRACE-PATH and prints its\n"
                + "results. NAME is one of:\n  " + String.join(", ", Analyses.names()) + ", or 'all'.\n"
                + "The numbers are those of lttng-analyses 0.6.1 (lttng-NAME); --format json prints the LAMI 1.0\n"
                + "document of lttng-NAME-mi (Trace Compass imports it). Events before --begin still build the\n"
                + "thread state (names, current threads). Discarded events in the analysed range are reported\n"
                + "after the results. TIME is [YYYY-MM-DD] hh:mm[:ss[.ns]] or [-]s[.ns] (seconds from the\n"
                + "epoch); DURATION is a number with a unit: ns, us, ms, s, m, h (default s).";
    }

    @Override
    public Options options() {
        return new Options()
                .value("begin", 'b', "TIME", "Analyse from the first event at or after TIME")
                .value("end", 'e', "TIME", "Stop after TIME")
                .value("window", "DURATION", "One result per consecutive window of DURATION (from the first event)")
                .value("top", "N", "Rows of top tables (default 10; 0: all)")
                .value("limit", "N", "Same as --top (lttng-analyses' name)")
                .value("tid", "TID[,TID]...", "Only these threads")
                .value("procname", "NAME[,NAME]...", "Only threads with these command names")
                .value("cpu", "CPU[,CPU]...", "Only these CPUs")
                .value("min", "US", "Ignore latencies/durations below US microseconds")
                .value("max", "US", "Ignore latencies/durations above US microseconds")
                .flag("total", "schedstats: latency stats over all threads")
                .flag("per-tid", "schedstats: latency stats per thread (the default)")
                .flag("per-prio", "schedstats: latency stats per priority")
                .flag("log", "threadstates: also list every state interval")
                .flag("corrected", "cputop: count only what ran (lttng-analyses counts a CPU busy from the start"
                        + " to its first switch, even away from idle)")
                .value("format", 'f', "FORMAT", "Output format: text (default), json (LAMI 1.0), csv, html (a"
                        + " self-contained report with charts; see --output)")
                .value("output", 'o', "FILE", "Write the output to FILE instead of standard output")
                .flag("metadata", "Print the LAMI metadata document of NAME (as lttng-NAME-mi --metadata)")
                .flag("no-intersection", "Also analyse where not all streams of a trace have data")
                .flag("gmt", "Print and read times in UTC instead of the local time zone")
                .value("threads", "N", "Threads for per-CPU analyses (default: available processors)")
                .value("splits", "N", "Cut each stream into N splits resuming from serialized state (testing)")
                .value("engine", "ENGINE", "local (in-process), spark (Apache Spark jobs) or auto (default: Spark"
                        + " with --master or above " + (AnalyzeEngines.AUTO_SPARK_BYTES >> 30) + " GiB of traces)")
                .value("master", "URL", "Spark master for --engine spark (default: embedded local[*]),"
                        + " e.g. spark://HOST:7077");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> pos = args.positionals();
        if (pos.isEmpty()) {
            throw new UsageException("no analysis name given (one of " + String.join(", ", Analyses.names())
                    + ", all)");
        }
        List<Analysis> analyses = select(pos.get(0));
        String format = args.value("format", "text").toLowerCase(Locale.ROOT);
        if (!Set.of("text", "json", "csv", "html").contains(format)) {
            throw new UsageException("unknown --format '" + format + "' (text, json, csv or html)");
        }
        if (args.has("metadata")) {
            if (analyses.size() != 1) {
                throw new UsageException("--metadata needs one analysis name, not 'all'");
            }
            terminal.println(Lami.metadata(analyses.get(0)));
            return Main.EXIT_OK;
        }
        if (pos.size() < 2) {
            throw new UsageException("no trace path given");
        }
        List<Path> paths = new ArrayList<>();
        for (String p : pos.subList(1, pos.size())) {
            paths.add(Path.of(p));
        }
        boolean gmt = args.has("gmt");
        ZoneId zone = gmt ? ZoneOffset.UTC : PrintCommand.zone(terminal);
        AnalysisConfig config = config(args, paths, zone, gmt);
        HtmlReport html = null;
        List<Analysis> toRun = analyses;
        if ("html".equals(format)) {
            html = new HtmlReport(analyses, config);
            toRun = html.analyses();
            config = html.config();
        }

        LocalEngine engine = new LocalEngine();
        if (args.has("threads")) {
            engine.parallelism((int) positive(args, "threads"));
        }
        if (args.has("splits")) {
            engine.splitsPerStream((int) positive(args, "splits"));
        }
        Progress progress = System.console() != null && "text".equals(format)
                ? new Progress(terminal.err()) : null;
        if (progress != null) {
            engine.progress(progress::update);
        }
        List<AnalysisResult> results;
        try {
            results = "spark".equals(AnalyzeEngines.choose(args, paths))
                    ? AnalyzeEngines.spark(paths, toRun, config, args.value("master"), terminal)
                    : engine.run(paths, toRun, config);
        } finally {
            if (progress != null) {
                progress.clear();
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, false, StandardCharsets.UTF_8);
        switch (format) {
            case "json" -> out.println(Lami.results(results));
            case "csv" -> {
                Csv.write(results, out);
                long lost = lostEvents(results);
                if (lost > 0) {
                    out.print("# discarded events: " + lost + "\r\n");
                }
            }
            case "html" -> out.print(html.render(results, new HtmlReport.Info("TraceStream analysis: " + pos.get(0)
                    + " \u2014 " + String.join(", ", pos.subList(1, pos.size())), pos.subList(1, pos.size()), zone,
                    commandLine(args))));
            default -> printText(results, analyses.size() > 1, new TextStyle(zone, multiDay(results, zone)), out);
        }
        out.flush();
        String output = args.value("output");
        if (output != null) {
            try {
                java.nio.file.Files.write(Path.of(output), buf.toByteArray());
            } catch (IOException | java.nio.file.InvalidPathException e) {
                throw new UsageException("--output: cannot write '" + output + "': " + e.getMessage());
            }
            if ("html".equals(format)) {
                terminal.err().println("wrote " + output);
            }
        } else {
            terminal.out().write(buf.toByteArray());
        }
        return Main.EXIT_OK;
    }

    /** The command line as parsed (for the HTML report's header). */
    private static String commandLine(Arguments args) {
        StringBuilder sb = new StringBuilder("tracestream analyze");
        for (Arguments.Item it : args.items()) {
            sb.append(' ');
            if (it.isPositional()) {
                sb.append(it.value());
            } else {
                sb.append("--").append(it.option().longName());
                if (it.value() != null) {
                    sb.append(' ').append(it.value());
                }
            }
        }
        return sb.toString();
    }

    private static long lostEvents(List<AnalysisResult> results) {
        long n = 0;
        for (AnalysisResult r : results) {
            n = Math.max(n, r.discardedEvents());
        }
        return n;
    }

    private static boolean multiDay(List<AnalysisResult> results, ZoneId zone) {
        for (AnalysisResult r : results) {
            if (!r.periods().isEmpty()) {
                long b = r.periods().get(0).begin();
                long e = r.periods().get(r.periods().size() - 1).end();
                return !java.time.Instant.ofEpochSecond(Math.floorDiv(b, 1_000_000_000L)).atZone(zone).toLocalDate()
                        .equals(java.time.Instant.ofEpochSecond(Math.floorDiv(e, 1_000_000_000L)).atZone(zone)
                                .toLocalDate());
            }
        }
        return false;
    }

    static void printText(List<AnalysisResult> results, boolean headers, TextStyle style, PrintStream out) {
        boolean first = true;
        for (AnalysisResult r : results) {
            if (headers) {
                if (!first) {
                    out.println();
                }
                out.println("=== " + r.analysis().name() + " ===");
            }
            first = false;
            for (AnalysisResult.Period p : r.periods()) {
                r.analysis().printText(p.tables(), p.begin(), p.end(), r.config(), style, out);
            }
            if (r.discardedEvents() > 0 || r.discardedPackets() > 0) {
                Set<String> streams = new LinkedHashSet<>();
                for (AnalysisResult.Loss l : r.losses()) {
                    streams.add(l.stream());
                }
                out.println("Warning: the tracer discarded " + r.discardedEvents() + " events"
                        + (r.discardedPackets() > 0 ? " and " + r.discardedPackets() + " packets" : "")
                        + " in the analysed range (streams: " + String.join(", ", streams)
                        + "): these results may be incomplete");
            }
        }
    }

    static List<Analysis> select(String name) {
        if ("all".equals(name)) {
            return Analyses.all();
        }
        Analysis a = Analyses.byName(name);
        if (a == null) {
            throw new UsageException("unknown analysis '" + name + "' (one of " + String.join(", ", Analyses.names())
                    + ", all)");
        }
        return List.of(a);
    }

    private static long positive(Arguments args, String name) {
        long v = args.longValue(name, 1);
        if (v < 1) {
            throw new UsageException("--" + name + " must be at least 1");
        }
        return v;
    }

    private static AnalysisConfig config(Arguments args, List<Path> paths, ZoneId zone, boolean gmt) {
        AnalysisConfig c = AnalysisConfig.defaults().withIntersection(!args.has("no-intersection"));
        TimeBound b = bound(args.value("begin"), gmt, zone);
        TimeBound e = bound(args.value("end"), gmt, zone);
        if ((b != null && b.needsDate()) || (e != null && e.needsDate())) {
            long first = firstTimestamp(paths);
            if (first != ClockValue.NONE) {
                if (b != null) {
                    b.resolve(first);
                }
                if (e != null) {
                    e.resolve(first);
                }
            }
        }
        long begin = b == null ? Long.MIN_VALUE : b.nanos();
        long end = e == null ? Long.MAX_VALUE : e.nanos();
        if (begin > end) {
            throw new UsageException("--begin is after --end");
        }
        c = c.withRange(begin, end);
        if (args.has("window")) {
            c = c.withWindow(duration(args.value("window"), "--window"));
            if (c.window() == 0) {
                throw new UsageException("--window must be longer than 0");
            }
        }
        String top = args.value("top", args.value("limit"));
        if (top != null) {
            try {
                int n = Integer.parseInt(top);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                c = c.withTop(n);
            } catch (NumberFormatException ex) {
                throw new UsageException("--top: not a count: '" + top + "'");
            }
        }
        Set<Long> tids = new HashSet<>();
        for (String v : args.values("tid")) {
            for (String s : v.split(",")) {
                tids.add(number(s, "--tid"));
            }
        }
        Set<Long> cpus = new HashSet<>();
        for (String v : args.values("cpu")) {
            for (String s : v.split(",")) {
                cpus.add(number(s, "--cpu"));
            }
        }
        Set<String> names = new HashSet<>();
        for (String v : args.values("procname")) {
            for (String s : v.split(",")) {
                if (!s.isEmpty()) {
                    names.add(s);
                }
            }
        }
        c = c.withTids(tids).withCpus(cpus).withProcNames(names);
        long min = args.has("min") ? micros(args.value("min"), "--min") : -1;
        long max = args.has("max") ? micros(args.value("max"), "--max") : -1;
        c = c.withDurations(min, max);
        Set<String> flags = new HashSet<>();
        if (args.has("total")) {
            flags.add(SchedAnalysis.FLAG_TOTAL);
        }
        if (args.has("per-tid")) {
            flags.add(SchedAnalysis.FLAG_PER_TID);
        }
        if (args.has("per-prio")) {
            flags.add(SchedAnalysis.FLAG_PER_PRIO);
        }
        if (args.has("log")) {
            flags.add(ThreadStatesAnalysis.FLAG_INTERVALS);
        }
        if (args.has("corrected")) {
            flags.add(io.tracestream.analyses.CputopAnalysis.FLAG_CORRECTED);
        }
        return c.withFlags(flags);
    }

    private static long number(String s, String option) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + ": not a number: '" + s + "'");
        }
    }

    private static long micros(String s, String option) {
        try {
            return new java.math.BigDecimal(s.trim()).movePointRight(3).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UsageException(option + ": not a duration in microseconds: '" + s + "'");
        }
    }

    /** A duration: a decimal number with an optional unit (ns, us, ms, s, m, h; default s), in ns. */
    static long duration(String s, String option) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        int i = 0;
        while (i < t.length() && (Character.isDigit(t.charAt(i)) || t.charAt(i) == '.')) {
            i++;
        }
        String num = t.substring(0, i);
        String unit = t.substring(i).trim();
        int shift;
        long mul = 1;
        switch (unit) {
            case "ns" -> shift = 0;
            case "us" -> shift = 3;
            case "ms" -> shift = 6;
            case "", "s" -> shift = 9;
            case "m", "min" -> {
                shift = 9;
                mul = 60;
            }
            case "h" -> {
                shift = 9;
                mul = 3600;
            }
            default -> throw new UsageException(option + ": unknown unit '" + unit + "' in '" + s
                    + "' (ns, us, ms, s, m, h)");
        }
        try {
            return new java.math.BigDecimal(num).movePointRight(shift).multiply(java.math.BigDecimal.valueOf(mul))
                    .setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException | NumberFormatException e) {
            throw new UsageException(option + ": not a duration: '" + s + "'");
        }
    }

    private static TimeBound bound(String value, boolean gmt, ZoneId zone) {
        if (value == null) {
            return null;
        }
        try {
            return TimeBound.parse(value, gmt, zone);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static long firstTimestamp(List<Path> paths) {
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults(), paths); MessageCursor c = ts.messages()) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT && c.timeNanos() != ClockValue.NONE) {
                    return c.timeNanos();
                }
            }
        }
        return ClockValue.NONE;
    }

    /** A one-line progress indicator on a terminal's standard error. */
    private static final class Progress {
        private final PrintStream err;
        private long shown = -1;
        private long lastPrint;

        Progress(PrintStream err) {
            this.err = err;
        }

        void update(long ts) {
            long now = System.nanoTime();
            if (now - lastPrint < 200_000_000L) {
                return;
            }
            lastPrint = now;
            shown = ts;
            err.print("\ranalyzing... at " + java.time.Instant.ofEpochSecond(0, ts) + "   ");
            err.flush();
        }

        void clear() {
            if (shown >= 0) {
                err.print("\r" + " ".repeat(70) + "\r");
                err.flush();
            }
        }
    }
}
