package io.tracestream.cli;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;
import io.tracestream.live.LiveException;
import io.tracestream.live.LiveOptions;
import io.tracestream.live.LiveSession;
import io.tracestream.live.LiveUrl;
import io.tracestream.live.SessionInfo;
import java.io.IOException;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;

/**
 * {@code tracestream live URL}: the events of an LTTng tracing session while it is recorded, read from lttng-relayd,
 * printed as {@code babeltrace2 --input-format=lttng-live URL} prints them; {@code --list} lists a relay's sessions.
 */
final class LiveCommand implements Command {

    @Override
    public String name() {
        return "live";
    }

    @Override
    public String summary() {
        return "Print the events of an LTTng session live from lttng-relayd, like babeltrace2";
    }

    @Override
    public String synopsis() {
        return "[OPTIONS] net://HOST[:PORT]/host/HOSTNAME/SESSION  |  --list net://HOST[:PORT]";
    }

    @Override
    public String description() {
        return "Reads a tracing session live from an lttng-relayd live port (default 5344) and prints its events\n"
                + "as they are recorded, merged in time order, with the same lines as\n"
                + "'babeltrace2 --input-format=lttng-live URL'. Ends when the session is destroyed (or on Ctrl-C),\n"
                + "unless --session-not-found-action=continue, which waits for it to exist again.\n"
                + "Like babeltrace2 it starts with the data recorded from now on; --from-beginning also prints what\n"
                + "the relay still holds. A lost connection is re-established (--reconnect-for) without printing\n"
                + "an event twice.\n\n"
                + "With --list, prints the sessions the relay offers, one URL per line.";
    }

    @Override
    public Options options() {
        return new Options()
                .flag("list", "List the sessions of the relay daemon at net://HOST[:PORT]")
                .value("session-not-found-action", "ACTION", "When the session does not exist (or no longer): end"
                        + " (default, as babeltrace2), fail, continue (wait for it)")
                .flag("from-beginning", "Also print the data the relay holds from before the start")
                .value("output-format", 'o', "FORMAT", "Output format: text (default), dummy (decode, print nothing)")
                .value("reconnect-for", "SECONDS", "Keep reconnecting this long after a lost connection (default 30)")
                .flag("clock-cycles", "Print timestamps in clock cycles")
                .flag("clock-date", "Print the date before the time of day")
                .flag("clock-gmt", "Print times in UTC instead of the local time zone")
                .flag("clock-seconds", "Print timestamps as seconds.nanoseconds from the clock origin")
                .flag("no-delta", "Do not print the time since the previous event")
                .value("names", 'n', "NAME[,NAME]...",
                        "Field names to print: all, none, payload, context, scope, header")
                .value("fields", 'f', "NAME[,NAME]...", "Header fields to print: all, trace, trace:hostname, "
                        + "trace:domain, trace:procname, trace:vpid, loglevel, emf, callsite")
                .value("color", "WHEN", "Colors: never, auto (default), always");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        String text = args.single("URL");
        LiveUrl url = parseUrl(text);
        LiveOptions options = LiveOptions.defaults();
        if (args.has("list")) {
            if (url.hasSession()) {
                throw new UsageException("--list takes a relay URL net://HOST[:PORT], not a session URL");
            }
            List<SessionInfo> sessions = LiveSession.list(url, options);
            StringBuilder b = new StringBuilder();
            for (SessionInfo s : sessions) {
                b.append(s.url()).append(" (timer = ").append(s.liveTimerMicros()).append(", ")
                        .append(s.streams()).append(" stream(s), ").append(s.clients())
                        .append(" client(s) connected)\n");
            }
            terminal.out().write(b.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            terminal.out().flush();
            return 0;
        }
        if (!url.hasSession()) {
            throw new UsageException("the URL names no session: give net://HOST[:PORT]/host/HOSTNAME/SESSION, or "
                    + "--list " + text + " to list the sessions");
        }
        String action = args.value("session-not-found-action", "end").toLowerCase(Locale.ROOT);
        options = options.sessionNotFound(switch (action) {
            case "continue" -> LiveOptions.SessionNotFound.CONTINUE;
            case "fail" -> LiveOptions.SessionNotFound.FAIL;
            case "end" -> LiveOptions.SessionNotFound.END;
            default -> throw new UsageException("unknown --session-not-found-action '" + action
                    + "' (expected continue, fail or end)");
        });
        long reconnect = args.longValue("reconnect-for", 30);
        if (reconnect < 0) {
            throw new UsageException("--reconnect-for must be 0 or more seconds");
        }
        options = options.reconnectFor(java.time.Duration.ofSeconds(reconnect)).fromBeginning(args.has("from-beginning"));
        String format = args.value("output-format", "text").toLowerCase(Locale.ROOT);
        if (!format.equals("text") && !format.equals("dummy")) {
            throw new UsageException("unknown output format '" + format + "' (expected text or dummy)");
        }
        ZoneId zone = PrintCommand.zone(terminal);
        PrettyOptions po = PrintCommand.prettyOptions(args, terminal, zone);
        LiveSession live = LiveSession.open(url, options);
        StopHook stopHook = StopHook.install("tracestream-live-stop", () -> live.close());
        try {
            if (format.equals("dummy")) {
                FieldVisitor none = new FieldVisitor() { };
                while (live.next()) {
                    if (live.type() == MessageType.EVENT) {
                        EventRecord e = live.event();
                        e.accept(Scope.EVENT_HEADER, none);
                        e.accept(Scope.EVENT_COMMON_CONTEXT, none);
                        e.accept(Scope.EVENT_SPECIFIC_CONTEXT, none);
                        e.accept(Scope.EVENT_PAYLOAD, none);
                    }
                }
            } else {
                PrettyPrinter printer = new PrettyPrinter(po, terminal.out(), terminal.err());
                try {
                    while (live.next()) {
                        printer.message(live);
                    }
                } finally {
                    printer.flush();
                }
            }
            if (!live.attached() && options.sessionNotFound() == LiveOptions.SessionNotFound.END) {
                terminal.err().println("tracestream: live: " + live.notFoundMessage() + "; ending (use "
                        + "--session-not-found-action=continue to wait for it)");
            }
        } finally {
            live.close();
            stopHook.release();
        }
        return 0;
    }

    /** {@code text} as a live URL; a malformed one is a usage error. */
    static LiveUrl parseUrl(String text) {
        try {
            return LiveUrl.parse(text);
        } catch (LiveException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
