package io.tracestream.sparktrace.cli;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.UsageException;
import io.tracestream.ftrace.KernelRecorder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * The kernel side of {@code record} and {@code demo spark}: records, through ftrace ({@link KernelRecorder}), the
 * kernel events the reports need while the Spark application runs, into {@code DIR/kernel} beside the Spark traces
 * ({@code DIR/spark}).
 *
 * <pre>{@code
 * try (KernelSession k = KernelSession.start(dir, err)) {   // null-safe: no-op when ftrace is unusable
 *     runTheApplication();
 * }
 * }</pre>
 */
public final class KernelSession implements AutoCloseable {
    /**
     * Recorded by default: what the reports use — scheduling (thread states, wakeups, forks, exits), block I/O
     * requests and interrupts. System calls are left out unless asked for ({@code --kernel-events
     * reports,syscalls}): on a busy host they are most of the volume (a 25 s demo on the shared development
     * machine: 173 MB with them, mostly other processes' read/openat/gettid) and no report uses them.
     */
    public static final List<String> EVENTS = List.of(
            "sched/sched_switch", "sched/sched_wakeup", "sched/sched_wakeup_new", "sched/sched_waking",
            "sched/sched_migrate_task", "sched/sched_process_fork", "sched/sched_process_exec",
            "sched/sched_process_exit", "sched/sched_process_free",
            "block/block_rq_issue", "block/block_rq_complete", "block/block_rq_insert",
            "irq/irq_handler_entry", "irq/irq_handler_exit", "irq/softirq_entry", "irq/softirq_exit",
            "irq/softirq_raise");

    /** The value of {@code --kernel-events}: a comma-separated list, {@code reports} standing for {@link #EVENTS}. */
    public static List<String> events(String option) {
        if (option == null) {
            return EVENTS;
        }
        List<String> out = new java.util.ArrayList<>();
        for (String e : option.split(",")) {
            if (e.trim().equals("reports")) {
                out.addAll(EVENTS);
            } else if (!e.isBlank()) {
                out.add(e.trim());
            }
        }
        return out;
    }

    private final String command;
    private final Path output;
    private final Path staging;
    private final PrintStream err;
    private final List<String> events;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private final AtomicReference<Object> outcome = new AtomicReference<>();
    private final Thread thread;

    private KernelSession(String command, Path output, List<String> events, PrintStream err) {
        this.command = command;
        this.events = events;
        this.output = output;
        this.staging = output.resolve(".kernel-recording-" + ProcessHandle.current().pid());
        this.err = err;
        this.thread = new Thread(this::record, "tracestream-kernel-recorder");
        this.thread.setDaemon(true);
    }

    /**
     * {@link #start} with the events of the {@code --kernel-events} option, or null with {@code --no-kernel}; a bad
     * option or an existing {@code output/kernel} is a usage error.
     */
    static KernelSession startFromOptions(Arguments args, String command, Path output, PrintStream err) {
        if (args.has("no-kernel")) {
            return null;
        }
        try {
            return start(command, output, events(args.value("kernel-events")), err);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * Starts recording the kernel into {@code output/kernel} and returns once tracing is on; or, when this process
     * cannot use ftrace, says why on one line of {@code err} and returns null (the application is recorded without
     * the kernel).
     *
     * @param command the command's name for messages ({@code record}, {@code demo spark})
     * @param events the events to record ({@link KernelRecorder.Options#events} names)
     * @throws IllegalArgumentException when {@code output/kernel} exists already (one-line message)
     */
    public static KernelSession start(String command, Path output, List<String> events, PrintStream err) {
        Path target = output.resolve("kernel");
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target + " exists already: record into a new --output directory, or "
                    + "add --no-kernel");
        }
        String reason = KernelRecorder.unavailableReason();
        if (reason != null) {
            err.println(command + ": not recording kernel events (" + reason + "); --no-kernel skips this check");
            return null;
        }
        try {
            Files.createDirectories(output);
        } catch (IOException e) {
            throw new UncheckedIOException(output + ": cannot create the output directory: " + e.getMessage(), e);
        }
        KernelSession k = new KernelSession(command, output, events, err);
        CountDownLatch on = k.started;
        k.thread.start();
        try {
            while (!on.await(100, TimeUnit.MILLISECONDS)) {
                if (!k.thread.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (on.getCount() > 0) { // the recorder failed before tracing was on
            k.close();
            return null;
        }
        return k;
    }

    private void record() {
        try {
            KernelRecorder.Result r = KernelRecorder.record(KernelRecorder.options(staging).events(events)
                    .stopSignal(stop).onRecording(started::countDown), err);
            outcome.set(r);
        } catch (RuntimeException e) {
            outcome.set(e);
        }
    }

    /** The kernel trace once {@link #close()} wrote it: {@code output/kernel}. */
    public Path trace() {
        return output.resolve("kernel");
    }

    /** Stops recording, writes {@code output/kernel} and says so on one line (or why it could not). */
    @Override
    public void close() {
        stop.countDown();
        try {
            thread.join(TimeUnit.MINUTES.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Object o = outcome.get();
        try {
            if (o instanceof KernelRecorder.Result r) {
                Files.move(r.trace(), trace());
                err.println(command + ": kernel trace in " + trace() + " (" + r.events() + " events"
                        + (r.discarded() > 0 ? ", " + r.discarded() + " lost" : "") + ")");
            } else if (o instanceof RuntimeException e) {
                err.println(command + ": kernel events not recorded: " + e.getMessage());
            } else {
                err.println(command + ": kernel events not recorded: the recorder did not finish");
            }
        } catch (IOException e) {
            err.println(command + ": kernel trace not moved to " + trace() + ": " + e.getMessage());
        } finally {
            deleteTree(staging);
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // best effort: a leftover staging folder holds no trace
        }
    }
}
