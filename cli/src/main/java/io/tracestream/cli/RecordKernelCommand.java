package io.tracestream.cli;

import io.tracestream.ftrace.FtraceException;
import io.tracestream.ftrace.KernelRecorder;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code tracestream record-kernel --output DIR [--duration D] [--events LIST] [--buffer-size KB] [-- COMMAND...]}:
 * records kernel events through ftrace into an LTTng-like CTF kernel trace ({@code DIR/kernel}). See
 * {@link KernelRecorder}.
 */
final class RecordKernelCommand implements Command {

    @Override
    public String name() {
        return "record-kernel";
    }

    @Override
    public String summary() {
        return "Record kernel events through ftrace into a CTF trace with LTTng's kernel event names";
    }

    @Override
    public String synopsis() {
        return "--output DIR [--duration D] [--events LIST] [--buffer-size KB] [-- COMMAND [ARGS...]]";
    }

    @Override
    public String description() {
        return "Records scheduling, system calls, interrupts, block I/O, page allocations and network device\n"
                + "events through ftrace (for machines where LTTng's kernel tracer cannot load) and writes\n"
                + "DIR/kernel: a CTF 1.8 trace laid out like an LTTng kernel trace (LTTng's event and field names,\n"
                + "monotonic clock, one stream per CPU, a /proc state dump at the start), which babeltrace2,\n"
                + "lttng-analyses and 'tracestream print' read. Records until COMMAND exits, --duration elapses, or\n"
                + "Ctrl-C. Exit status: COMMAND's when it fails, else 0.\n\n"
                + "Needs root, or CAP_SYS_ADMIN and write access to tracefs (mounted on /sys/kernel/tracing if it is\n"
                + "not mounted). Uses a private ftrace instance (instances/tracestream-PID), removed at the end.\n\n"
                + "Events: comma-separated ftrace names (sched_switch, sched/sched_switch), groups (sched,\n"
                + "syscalls, irq, block, kmem, net, timer...), LTTng names (syscall_entry_openat), and 'default'\n"
                + "(the default set, so 'default,timer' adds the timer events).";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output", 'o', "DIR", "Directory to create; the trace goes to DIR/kernel")
                .value("duration", 'd', "D", "Stop after D (e.g. 10s, 500ms, 2m; a plain number is seconds)")
                .value("events", 'e', "LIST", "Events to record (default: 'default')")
                .value("buffer-size", "KB", "Ring buffer size per CPU in KiB (default 8192)")
                .flag("keep-raw", "Keep the raw ftrace pages in DIR/ftrace-raw");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        String output = args.value("output");
        if (output == null) {
            throw new UsageException("no output directory given (--output DIR)");
        }
        List<String> command = args.positionals();
        KernelRecorder.Options o = KernelRecorder.options(Path.of(output)).command(command);
        if (args.value("duration") != null) {
            o.duration(parseDuration(args.value("duration")));
        }
        if (args.value("events") != null) {
            List<String> events = new ArrayList<>();
            for (String e : args.value("events").split(",")) {
                if (!e.isBlank()) {
                    events.add(e.trim());
                }
            }
            if (events.isEmpty()) {
                throw new UsageException("--events: no event names");
            }
            o.events(events);
        }
        long kb = args.longValue("buffer-size", 8192);
        if (kb < 4 || kb > 16L * 1024 * 1024) {
            throw new UsageException("--buffer-size must be from 4 to 16777216 KiB, got " + kb);
        }
        o.bufferSizeKb((int) kb);
        o.keepRaw(args.has("keep-raw"));

        // Ctrl-C ends the recording; the trace is still written
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        o.stopSignal(stop);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "tracestream-record-kernel-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return record(o, command.isEmpty() && args.value("duration") == null, terminal);
        } finally {
            done.countDown(); // after the summary is printed: a Ctrl-C exit waits for it
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already (Ctrl-C)
            }
        }
    }

    private static int record(KernelRecorder.Options o, boolean untilInterrupted, Terminal terminal)
            throws IOException {
        KernelRecorder.Result r;
        try {
            if (untilInterrupted) {
                terminal.err().println("record-kernel: recording until Ctrl-C");
            }
            r = KernelRecorder.record(o, terminal.err());
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        } catch (FtraceException e) {
            throw new IOException(e.getMessage(), e);
        }
        if (!r.skippedEvents().isEmpty()) {
            terminal.err().println("record-kernel: not on this kernel (skipped): " + String.join(",",
                    r.skippedEvents()));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(r.trace()).append(": ").append(r.events()).append(" events");
        if (r.discarded() > 0) {
            sb.append(", ").append(r.discarded()).append(" discarded");
        }
        terminal.println(sb);
        int shown = 0;
        for (Map.Entry<String, Long> e : r.countsByName().entrySet().stream()
                .sorted((a, b) -> Long.compare(b.getValue(), a.getValue())).toList()) {
            if (shown++ == 10) {
                break;
            }
            terminal.println(String.format(Locale.ROOT, "  %10d %s", e.getValue(), e.getKey()));
        }
        return r.commandExitCode() > 0 ? r.commandExitCode() : 0;
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}, {@code 1h}, {@code 1.5} (seconds). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        double factor;
        String number;
        if (t.endsWith("ms")) {
            factor = 1e6;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("us")) {
            factor = 1e3;
            number = t.substring(0, t.length() - 2);
        } else if (t.endsWith("s")) {
            factor = 1e9;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            factor = 60e9;
            number = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            factor = 3600e9;
            number = t.substring(0, t.length() - 1);
        } else {
            factor = 1e9;
            number = t;
        }
        double v;
        try {
            v = Double.parseDouble(number.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--duration: not a duration: '" + text + "' (e.g. 10s, 500ms, 2m)");
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new UsageException("--duration must be positive, got '" + text + "'");
        }
        return Duration.ofNanos((long) Math.min(v * factor, (double) Long.MAX_VALUE));
    }
}
