package io.tracestream.cli;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.stream.AlertEvaluator;
import io.tracestream.analyses.stream.AlertEvent;
import io.tracestream.analyses.stream.AlertRule;
import io.tracestream.analyses.stream.StreamSource;
import io.tracestream.analyses.stream.TraceDirectorySource;
import io.tracestream.analyses.stream.WindowResult;
import io.tracestream.analyses.stream.WindowedRunner;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.live.LiveOptions;
import io.tracestream.live.LiveSession;
import io.tracestream.live.LiveUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code tracestream watch NAME SOURCE}: a streaming analysis of a live LTTng session or a trace directory being
 * written, one result per window, shown as a refreshing table in the terminal and, with {@code --serve}, on a local
 * web page; alert rules are evaluated on every window.
 */
final class WatchCommand implements Command {
    /** What each NAME runs. */
    static final List<String> ALL = List.of("cputop", "schedstats", "syscallstats", "irqstats", "iousagetop");

    private volatile boolean stopRequested;
    /** The web server of the current run (tests read its address). */
    private volatile WatchServer server;

    @Override
    public String name() {
        return "watch";
    }

    @Override
    public String summary() {
        return "Watch a live session or a growing trace: windowed analyses, alerts, a live web page";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] NAME SOURCE";
    }

    @Override
    public String description() {
        return "NAME: " + String.join(", ", ALL) + ", or all.\n"
                + "SOURCE: net://HOST[:PORT]/host/HOSTNAME/SESSION (lttng-relayd live) or a trace directory being\n"
                + "written (a local LTTng session's output, rotating or not).\n\n"
                + "Runs the analyses of 'tracestream analyze' on an endless trace, one result per tumbling window\n"
                + "(--window, aligned on the first event). A window is shown when every stream is past its end: for\n"
                + "a live session the relay's inactivity beacons advance quiet streams; for a directory, a stream\n"
                + "that has not grown for --idle stops holding the others back. The terminal shows the latest window\n"
                + "(redrawn in place on a terminal, appended otherwise); --serve also serves a web page with charts\n"
                + "over time. --alert RULE (repeatable), e.g. 'syscall.latency.p99 > 5ms for 3 windows', prints one\n"
                + "line on standard error when the rule fires and when it resolves.\n"
                + "Ends when the live session is destroyed, after --duration, or on Ctrl-C (the open window is then\n"
                + "shown as a partial window).\n\n"
                + wrap("Metrics: " + String.join(", ", io.tracestream.analyses.stream.Metric.keys()) + ".", 100);
    }

    private static String wrap(String text, int width) {
        StringBuilder b = new StringBuilder();
        int line = 0;
        for (String word : text.split(" ")) {
            if (line > 0 && line + 1 + word.length() > width) {
                b.append('\n');
                line = 0;
            } else if (line > 0) {
                b.append(' ');
                line++;
            }
            b.append(word);
            line += word.length();
        }
        return b.toString();
    }

    @Override
    public Options options() {
        return new Options()
                .value("window", "DURATION", "Window length (default 1s): 500ms, 2s, ...")
                .value("top", "N", "Rows of the top lists (default 10)")
                .value("alert", "RULE", "Alert rule METRIC OP VALUE[UNIT] [for N windows] (repeatable)")
                .value("serve", "[HOST:]PORT", "Also serve a live web page (HOST defaults to 127.0.0.1; PORT 0 picks"
                        + " a free one)")
                .value("duration", "DURATION", "Stop after this long (wall clock)")
                .value("idle", "DURATION", "Directory source: a stream silent this long stops holding windows"
                        + " back (default 2s)")
                .flag("from-beginning", "Live source: also analyse what the relay holds from before the start");
    }

    /** Asks a running {@link #run} to stop (as Ctrl-C does). */
    void stop() {
        stopRequested = true;
    }

    /** The web server of the running command, or null. */
    WatchServer server() {
        return server;
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> pos = args.positionals();
        if (pos.size() != 2) {
            throw new UsageException(pos.size() < 2 ? "expected NAME and SOURCE" : "expected NAME and SOURCE, got "
                    + pos.size() + " arguments");
        }
        String name = pos.get(0);
        List<String> names = name.equals("all") ? ALL : ALL.contains(name) ? List.of(name) : null;
        if (names == null) {
            throw new UsageException("unknown analysis '" + name + "' (expected " + String.join(", ", ALL)
                    + " or all)");
        }
        List<Analysis> analyses = names.stream().map(Analyses::byName).toList();
        long window = AnalyzeCommand.duration(args.value("window", "1s"), "--window");
        if (window <= 0) {
            throw new UsageException("--window must be longer than 0");
        }
        long top = args.longValue("top", 10);
        if (top < 0 || top > 1000) {
            throw new UsageException("--top must be from 0 to 1000");
        }
        List<AlertRule> rules = new ArrayList<>();
        for (String r : args.values("alert")) {
            try {
                rules.add(AlertRule.parse(r));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        long duration = args.has("duration") ? AnalyzeCommand.duration(args.value("duration"), "--duration") : 0;
        long idle = AnalyzeCommand.duration(args.value("idle", "2s"), "--idle");
        String[] serve = args.has("serve") ? hostPort(args.value("serve")) : null;
        ZoneId zone = PrintCommand.zone(terminal);

        StreamSource source = open(pos.get(1), args.has("from-beginning"), Duration.ofNanos(idle), terminal);
        WatchView view = new WatchView(name, names, (int) top, window, zone, System.console() != null);
        AlertEvaluator alerts = new AlertEvaluator(rules);
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
        alerts.addListener(e -> terminal.err().println("tracestream: watch: "
                + clock.format(Instant.ofEpochSecond(0, e.windowEnd())) + " " + e.describe()));
        StopHook stopHook = StopHook.install("tracestream-watch-stop", () -> stopRequested = true);
        WatchServer web = null;
        try {
            if (serve != null) {
                web = WatchServer.start(serve[0], Integer.parseInt(serve[1]), name, window, (int) top, zone);
                server = web;
                terminal.err().println("tracestream: watch: serving " + web.url());
            }
            WatchServer page = web;
            WindowedRunner runner = new WindowedRunner(analyses,
                    AnalysisConfig.defaults().withWindow(window).withTop(0), w -> {
                        List<AlertEvent> fired = alerts.onWindow(w.metrics());
                        show(terminal, view.render(w, alerts.firing()));
                        if (page != null) {
                            page.publish(w, fired);
                        }
                    });
            long deadline = duration > 0 ? System.nanoTime() + duration : 0;
            runner.run(source, Duration.ofMillis(200),
                    () -> stopRequested || (deadline != 0 && System.nanoTime() - deadline >= 0));
            if (page != null) {
                page.end();
            }
            if (source instanceof LiveSource live && !live.session.attached()) {
                terminal.err().println("tracestream: watch: " + live.session.notFoundMessage());
            }
        } finally {
            source.close();
            if (web != null) {
                web.stop();
            }
            server = null;
            stopHook.release();
        }
        return 0;
    }

    private static void show(Terminal terminal, String text) {
        try {
            terminal.out().write(text.getBytes(StandardCharsets.UTF_8));
            terminal.out().flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String[] hostPort(String s) {
        int colon = s.lastIndexOf(':');
        String host = colon < 0 ? "127.0.0.1" : s.substring(0, colon);
        String port = colon < 0 ? s : s.substring(colon + 1);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int p = Integer.parseInt(port);
            if (p < 0 || p > 65535 || host.isEmpty()) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new UsageException("--serve: expected [HOST:]PORT (e.g. 127.0.0.1:8080), got '" + s + "'");
        }
        return new String[] {host, port};
    }

    private static StreamSource open(String source, boolean fromBeginning, Duration idle, Terminal terminal) {
        if (source.startsWith("net://") || source.contains("://")) {
            LiveUrl url = LiveCommand.parseUrl(source);
            if (!url.hasSession()) {
                throw new UsageException("the URL names no session: give net://HOST[:PORT]/host/HOSTNAME/SESSION ("
                        + "'tracestream live --list " + source + "' lists them)");
            }
            LiveOptions o = LiveOptions.defaults().sessionNotFound(LiveOptions.SessionNotFound.FAIL)
                    .fromBeginning(fromBeginning);
            return new LiveSource(LiveSession.open(url, o));
        }
        Path dir = Path.of(source);
        if (!Files.isDirectory(dir)) {
            throw new UsageException("'" + source + "' is neither a live URL (net://HOST[:PORT]/host/HOSTNAME/SESSION)"
                    + " nor a trace directory" + (Files.exists(dir) ? "" : " (no such directory)"));
        }
        return new TraceDirectorySource(dir, Duration.ofMillis(200), idle,
                w -> terminal.err().println("tracestream: watch: warning: " + w));
    }

    /** A live session as a {@link StreamSource}: its watermark comes from ready messages and inactivity beacons. */
    private record LiveSource(LiveSession session) implements StreamSource {
        @Override
        public Status next(Duration maxWait) {
            return switch (session.next(maxWait)) {
                case MESSAGE -> Status.MESSAGE;
                case WAITING -> Status.WAITING;
                case END -> Status.END;
            };
        }

        @Override
        public long watermarkNanos() {
            return session.watermarkNanos();
        }

        @Override
        public MessageType type() {
            return session.type();
        }

        @Override
        public DataStream stream() {
            return session.stream();
        }

        @Override
        public Packet packet() {
            return session.packet();
        }

        @Override
        public EventRecord event() {
            return session.event();
        }

        @Override
        public Discarded discarded() {
            return session.discarded();
        }

        @Override
        public long timeNanos() {
            return session.timeNanos();
        }

        @Override
        public long timeCycles() {
            return session.timeCycles();
        }

        @Override
        public void close() {
            session.close();
        }
    }
}
