package io.tracestream.ftrace;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Records Linux kernel events through ftrace into a CTF trace that reads like an LTTng kernel trace (LTTng's event
 * and field names, {@code kernel} domain, monotonic clock, one stream per CPU), for machines where LTTng's kernel
 * tracer cannot load.
 *
 * <pre>{@code
 * KernelRecorder.Result r = KernelRecorder.record(KernelRecorder.options(Path.of("out"))
 *         .command(List.of("dd", "if=/dev/zero", "of=/dev/null", "count=1000")), System.err);
 * // r.trace() is out/kernel, readable by babeltrace2, lttng-analyses and TraceSet.open
 * }</pre>
 *
 * <p>How: a private ftrace instance ({@code instances/tracestream-PID}, removed at the end) with trace clock
 * {@code mono} (CLOCK_MONOTONIC, the clock of LTTng and of {@code System.nanoTime()}); one thread per CPU copies the
 * binary pages of {@code per_cpu/cpuN/trace_pipe_raw} to disk while recording; the state of all threads, open files
 * and block devices is read from {@code /proc} when recording starts; at the end the pages are decoded with the
 * record layouts of {@code events/header_page} and {@code events/GROUP/NAME/format} and written as CTF.
 *
 * <p>Privileges: root, or CAP_SYS_ADMIN with write access to tracefs (to mount tracefs when it is not mounted,
 * create the instance and enable events). Without them {@link #record} throws an {@link FtraceException} saying so.
 */
public final class KernelRecorder {

    /** Events recorded by default (those not available on the running kernel are skipped). */
    public static final List<String> DEFAULT_EVENTS = List.of(
            "sched/sched_switch", "sched/sched_wakeup", "sched/sched_wakeup_new", "sched/sched_waking",
            "sched/sched_migrate_task", "sched/sched_process_fork", "sched/sched_process_exec",
            "sched/sched_process_exit", "sched/sched_process_free", "sched/sched_process_wait",
            "sched/sched_pi_setprio", "sched/sched_stat_runtime", "sched/sched_stat_wait", "sched/sched_stat_sleep",
            "sched/sched_stat_iowait", "sched/sched_stat_blocked",
            "syscalls",
            "irq/irq_handler_entry", "irq/irq_handler_exit", "irq/softirq_entry", "irq/softirq_exit",
            "irq/softirq_raise",
            "block/block_rq_issue", "block/block_rq_complete", "block/block_rq_insert", "block/block_rq_requeue",
            "block/block_bio_remap", "block/block_bio_backmerge", "block/block_bio_frontmerge",
            "block/block_bio_queue", "block/block_bio_complete",
            "kmem/mm_page_alloc", "kmem/mm_page_free",
            "net/net_dev_xmit", "net/netif_receive_skb");

    /** Name prefix of the ftrace instances this recorder creates (followed by the recorder's process id). */
    static final String INSTANCE_PREFIX = "tracestream-";

    private KernelRecorder() {
    }

    /**
     * Why kernel events cannot be recorded by this process (no tracefs, no permission), or null when they can:
     * tries to create and remove an ftrace instance. Mounts tracefs when it is not mounted and this is allowed.
     */
    public static String unavailableReason() {
        try {
            Tracefs fs = Tracefs.locate(true);
            Tracefs.Instance probe = fs.createInstance(INSTANCE_PREFIX + ProcessHandle.current().pid() + "-probe");
            return probe.remove();
        } catch (FtraceException e) {
            return e.getMessage();
        }
    }

    /** Recording options; {@code output} is the directory to create (the trace goes to {@code output/kernel}). */
    public static Options options(Path output) {
        return new Options(output);
    }

    /** Options of a recording. */
    public static final class Options {
        private final Path output;
        private Duration duration;
        private List<String> events = DEFAULT_EVENTS;
        private int bufferSizeKb = 8192;
        private List<String> command = List.of();
        private boolean keepRaw;
        private boolean statedump = true;
        private int packetSize = 1 << 20;
        private CountDownLatch stopSignal;
        private Runnable onRecording = () -> { };

        private Options(Path output) {
            this.output = output;
        }

        /** Stop after this long (default: when the command ends, or on {@link #stopSignal}). */
        public Options duration(Duration d) {
            if (d != null && (d.isNegative() || d.isZero())) {
                throw new IllegalArgumentException("duration must be positive, got " + d);
            }
            this.duration = d;
            return this;
        }

        /**
         * The events to record: ftrace names ({@code sched_switch}, {@code sched/sched_switch}), whole groups
         * ({@code sched}, {@code syscalls}), LTTng names ({@code syscall_entry_openat}, {@code irq_softirq_entry}),
         * and {@code default} for {@link #DEFAULT_EVENTS}.
         */
        public Options events(List<String> names) {
            this.events = List.copyOf(names);
            return this;
        }

        /** Ring buffer size per CPU, in KiB (default 8192). */
        public Options bufferSizeKb(int kb) {
            if (kb < 4) {
                throw new IllegalArgumentException("buffer size must be at least 4 KiB, got " + kb);
            }
            this.bufferSizeKb = kb;
            return this;
        }

        /** A command to run while recording; the recording ends when it exits. */
        public Options command(List<String> argv) {
            this.command = List.copyOf(argv);
            return this;
        }

        /** Keep the raw capture ({@code output/ftrace-raw}) after converting it (for debugging). */
        public Options keepRaw(boolean keep) {
            this.keepRaw = keep;
            return this;
        }

        /** Whether to write the {@code /proc} state dump (default true). */
        public Options statedump(boolean enabled) {
            this.statedump = enabled;
            return this;
        }

        /** CTF packet size in bytes (default 1 MiB). */
        public Options packetSize(int bytes) {
            this.packetSize = bytes;
            return this;
        }

        /** Called once tracing is on (e.g. to start a workload that {@link #command} cannot start). */
        public Options onRecording(Runnable r) {
            this.onRecording = r;
            return this;
        }

        /** A latch whose release stops the recording (for Ctrl-C handling or tests). */
        public Options stopSignal(CountDownLatch latch) {
            this.stopSignal = latch;
            return this;
        }
    }

    /**
     * What was recorded.
     *
     * @param trace the CTF trace directory ({@code output/kernel})
     * @param events events written
     * @param discarded events the kernel lost (written as discarded events)
     * @param countsByName events written per event name
     * @param commandExitCode the command's exit code, or -1 without a command (or when it was stopped)
     * @param skippedEvents requested events that this kernel does not have
     */
    public record Result(Path trace, long events, long discarded, Map<String, Long> countsByName,
                         int commandExitCode, List<String> skippedEvents) {
    }

    /**
     * Records until the command exits, the duration elapses or the stop signal is released (at least one of them
     * must be given), then writes the trace.
     *
     * @param log where progress and warnings go (one line each)
     * @throws FtraceException without the needed privileges, or when tracefs misbehaves (one-line message)
     */
    public static Result record(Options o, PrintStream log) {
        if (o.command.isEmpty() && o.duration == null && o.stopSignal == null) {
            throw new IllegalArgumentException("give a command, a duration or a stop signal");
        }
        checkOutput(o.output);
        Tracefs fs = Tracefs.locate(true);
        fs.removeStaleInstances(INSTANCE_PREFIX);
        Path rawDir = o.output.resolve("ftrace-raw");
        Capture cap = new Capture(rawDir);
        Tracefs.Instance inst = fs.createInstance(INSTANCE_PREFIX + ProcessHandle.current().pid());
        List<CpuReader> readers = new ArrayList<>();
        Statedump statedump = null;
        int exitCode = -1;
        List<String> skipped = new ArrayList<>();
        boolean recorded = false;
        boolean createdOutput = !Files.exists(o.output);
        try {
            try {
                Files.createDirectories(o.output);
            } catch (IOException e) {
                throw new UncheckedIOException(o.output + ": " + e.getMessage(), e);
            }
            inst.write("tracing_on", "0");
            String clocks = inst.read("trace_clock");
            if (!List.of(clocks.replace("[", "").replace("]", "").trim().split("\\s+")).contains("mono")) {
                throw new FtraceException(inst.path("trace_clock") + ": this kernel has no 'mono' trace clock"
                        + " (offers: " + clocks.trim() + ")");
            }
            inst.write("trace_clock", "mono");
            inst.write("buffer_size_kb", Integer.toString(o.bufferSizeKb));

            Map<EventFormat, String> formats = enableEvents(inst, o.events, skipped);
            if (formats.isEmpty()) {
                throw new FtraceException("none of the requested events exists on this kernel: "
                        + String.join(",", o.events));
            }
            String headerText = fs.read("events/header_page");
            cap.header = HeaderPage.parse(headerText, fs.root.resolve("events/header_page").toString());
            cap.pageSize = pageSize(inst, cap.header);
            cap.byteOrder = ByteOrder.nativeOrder();
            cap.traceClock = "mono";
            cap.env.putAll(environment(o.output));
            List<Integer> cpus = inst.cpus();
            cap.cpus = cpus.isEmpty() ? 0 : cpus.get(cpus.size() - 1) + 1;
            try {
                Files.createDirectories(rawDir);
                cap.writeDescription(headerText, formats);
            } catch (IOException e) {
                throw new UncheckedIOException(rawDir + ": " + e.getMessage(), e);
            }
            for (int cpu : cpus) {
                CpuReader r = new CpuReader(inst, cpu, cap.cpuFile(cpu), cap.pageSize, cap.header);
                readers.add(r);
                r.start();
            }
            cap.clockOffsetNs = measureClockOffset();
            long startNs = System.nanoTime();
            inst.write("tracing_on", "1");
            log.println("record-kernel: recording " + formats.size() + " event types on " + cpus.size()
                    + " CPUs (ftrace instance " + inst.dir + ")");
            // the state dump runs beside the workload (as LTTng's does), so the command starts at once
            java.util.concurrent.CompletableFuture<Statedump> dump = o.statedump
                    ? java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> Statedump.read(Path.of("/proc"), System::nanoTime), daemonExecutor())
                    : null;
            o.onRecording.run();
            exitCode = waitForEnd(o, log);
            if (dump != null) {
                statedump = dump.join();
                statedump.stamp = startNs;
            }
            inst.write("tracing_on", "0");
            cap.stopNs = System.nanoTime();
            for (CpuReader r : readers) {
                r.stop();
            }
            for (CpuReader r : readers) {
                r.join(10_000);
            }
            for (CpuReader r : readers) {
                if (r.failure() != null) {
                    Throwable t = r.failure();
                    throw new FtraceException("reading the ftrace buffers failed: " + t.getMessage(), t);
                }
            }
            for (int cpu : cpus) {
                long overrun = Math.max(0, inst.stat(cpu, "overrun"));
                long dropped = Math.max(0, inst.stat(cpu, "dropped events"));
                if (overrun + dropped > 0) {
                    cap.kernelLost.put(cpu, overrun + dropped);
                }
            }
            try {
                cap.writeProperties();
            } catch (IOException e) {
                throw new UncheckedIOException(rawDir + ": " + e.getMessage(), e);
            }
            recorded = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FtraceException("interrupted while recording");
        } finally {
            for (CpuReader r : readers) {
                r.stop();
                r.abort();
            }
            for (CpuReader r : readers) {
                try {
                    r.join(2000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String problem = inst.remove();
            if (problem != null) {
                log.println("record-kernel: warning: " + problem);
            }
            if (!recorded && !o.keepRaw) {
                deleteTree(rawDir);
                if (createdOutput) {
                    try {
                        Files.deleteIfExists(o.output); // only when empty: nothing else was written
                    } catch (IOException e) {
                        // not empty, or gone: leave it
                    }
                }
            }
        }

        Path trace = o.output.resolve("kernel");
        CtfConverter.Result r = CtfConverter.convert(Capture.read(rawDir), statedump, trace, o.packetSize);
        if (!o.keepRaw) {
            deleteTree(rawDir);
        }
        if (r.unknownRecords() > 0) {
            log.println("record-kernel: warning: " + r.unknownRecords() + " records of unknown event types skipped");
        }
        if (r.discarded() > 0) {
            log.println("record-kernel: warning: the kernel lost " + r.discarded()
                    + " events (buffers full; use a larger --buffer-size)");
        }
        return new Result(trace, r.events(), r.discarded(), r.countsByName(), exitCode, skipped);
    }

    private static java.util.concurrent.Executor daemonExecutor() {
        return r -> {
            Thread t = new Thread(r, "tracestream-statedump");
            t.setDaemon(true);
            t.start();
        };
    }

    /** Converts a raw capture kept with {@link Options#keepRaw} into a CTF trace (no state dump). */
    public static long convertCapture(Path rawDir, Path trace) {
        return CtfConverter.convert(Capture.read(rawDir), null, trace, 1 << 20).events();
    }

    /** The output must not exist, or be an empty directory. */
    private static void checkOutput(Path out) {
        try {
            if (Files.exists(out)) {
                if (!Files.isDirectory(out)) {
                    throw new FtraceException(out + ": exists and is not a directory");
                }
                try (Stream<Path> s = Files.list(out)) {
                    if (s.findAny().isPresent()) {
                        throw new FtraceException(out + ": output directory exists and is not empty");
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(out + ": " + e.getMessage(), e);
        }
    }

    /** Page (sub-buffer) size of the instance's ring buffer. */
    private static int pageSize(Tracefs.Instance inst, HeaderPage header) {
        if (Files.exists(inst.path("buffer_subbuf_size_kb"))) {
            try {
                int kb = Integer.parseInt(inst.read("buffer_subbuf_size_kb").trim());
                if (kb > 0) {
                    return kb * 1024;
                }
            } catch (NumberFormatException e) {
                // fall back to the page header
            }
        }
        return header.pageSize();
    }

    /**
     * Enables the requested events in the instance and returns the format of each enabled event (with the text).
     * {@code task/task_newtask} is added when forks are recorded (it tells threads from processes).
     */
    static Map<EventFormat, String> enableEvents(Tracefs.Instance inst, List<String> requested,
                                                 List<String> skipped) {
        Path events = inst.path("events");
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : requested) {
            String n = name.trim();
            if (n.isEmpty()) {
                continue;
            }
            if (n.equals("default")) {
                wanted.addAll(DEFAULT_EVENTS);
                continue;
            }
            wanted.add(n);
        }
        List<Path> eventDirs = new ArrayList<>();
        boolean defaults = wanted.containsAll(DEFAULT_EVENTS);
        for (String n : wanted) {
            List<Path> found = resolve(events, n);
            if (found.isEmpty()) {
                if (defaults && DEFAULT_EVENTS.contains(n)) {
                    skipped.add(n); // not on this kernel: fine for the defaults
                    continue;
                }
                throw new FtraceException("no ftrace event or event group '" + n + "' (see "
                        + inst.fs.root.resolve("available_events") + ")");
            }
            eventDirs.addAll(found);
        }
        if (eventDirs.stream().anyMatch(p -> p.getFileName().toString().equals("sched_process_fork"))) {
            eventDirs.addAll(resolve(events, "task/task_newtask"));
        }
        Map<EventFormat, String> formats = new LinkedHashMap<>();
        Set<Path> done = new LinkedHashSet<>();
        for (Path dir : eventDirs) {
            if (!done.add(dir)) {
                continue;
            }
            String text = Tracefs.read(dir.resolve("format"));
            EventFormat f = EventFormat.parse(dir.getParent().getFileName().toString(), text,
                    dir.resolve("format").toString());
            Tracefs.write(dir.resolve("enable"), "1");
            formats.put(f, text);
        }
        return formats;
    }

    /** The event directories a name stands for (see {@link Options#events}). */
    static List<Path> resolve(Path events, String name) {
        List<Path> out = new ArrayList<>();
        String n = name;
        if (n.startsWith("syscall_entry_")) {
            n = "syscalls/sys_enter_" + n.substring("syscall_entry_".length());
        } else if (n.startsWith("syscall_exit_")) {
            n = "syscalls/sys_exit_" + n.substring("syscall_exit_".length());
        } else if (n.startsWith("irq_softirq_")) {
            n = "irq/" + n.substring("irq_".length());
        } else if (n.equals("kmem_kmalloc") || n.equals("kmem_kfree")) {
            n = "kmem/" + n.substring("kmem_".length());
        }
        if (n.contains("..") || n.startsWith("/")) {
            return out;
        }
        int slash = n.indexOf('/');
        if (slash >= 0) {
            String group = n.substring(0, slash);
            String event = n.substring(slash + 1);
            if (event.equals("*") || event.isEmpty()) {
                return groupEvents(events.resolve(group));
            }
            Path d = events.resolve(group).resolve(event);
            if (Files.isRegularFile(d.resolve("format"))) {
                out.add(d);
            }
            return out;
        }
        Path group = events.resolve(n);
        if (Files.isDirectory(group) && !Files.exists(group.resolve("format"))) {
            return groupEvents(group);
        }
        try (DirectoryStream<Path> groups = Files.newDirectoryStream(events, Files::isDirectory)) {
            for (Path g : groups) {
                Path d = g.resolve(n);
                if (Files.isRegularFile(d.resolve("format"))) {
                    out.add(d);
                }
            }
        } catch (IOException e) {
            throw new FtraceException(events + ": " + e.getMessage());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    private static List<Path> groupEvents(Path group) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(group)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(group, Files::isDirectory)) {
            for (Path d : ds) {
                if (Files.isRegularFile(d.resolve("format"))) {
                    out.add(d);
                }
            }
        } catch (IOException e) {
            throw new FtraceException(group + ": " + e.getMessage());
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    /** Runs the command / waits; returns the command's exit code (or -1). */
    private static int waitForEnd(Options o, PrintStream log) throws InterruptedException {
        long deadline = o.duration != null ? System.nanoTime() + o.duration.toNanos() : Long.MAX_VALUE;
        Process p = null;
        if (!o.command.isEmpty()) {
            try {
                p = new ProcessBuilder(o.command).inheritIO().start();
            } catch (IOException e) {
                throw new FtraceException("cannot run '" + o.command.get(0) + "': " + e.getMessage());
            }
        }
        while (true) {
            long left = deadline == Long.MAX_VALUE ? 200_000_000L : deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            long waitNs = Math.min(left, 200_000_000L);
            if (p != null) {
                if (p.waitFor(waitNs, TimeUnit.NANOSECONDS)) {
                    return p.exitValue();
                }
            } else if (o.stopSignal == null) {
                TimeUnit.NANOSECONDS.sleep(waitNs);
            }
            if (o.stopSignal != null && o.stopSignal.await(p == null ? waitNs : 0, TimeUnit.NANOSECONDS)) {
                break;
            }
        }
        if (p != null && p.isAlive()) {
            log.println("record-kernel: stopping the command (pid " + p.pid() + ")");
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        return -1;
    }

    /**
     * Real time minus monotonic time, in ns, from the closest of a few paired readings (the CTF clock offset, so
     * that readers show wall-clock times).
     */
    static long measureClockOffset() {
        Clock utc = Clock.systemUTC();
        long best = Long.MAX_VALUE;
        long offset = 0;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            Instant now = utc.instant();
            long t1 = System.nanoTime();
            if (t1 - t0 < best) {
                best = t1 - t0;
                long wall = now.getEpochSecond() * 1_000_000_000L + now.getNano();
                offset = wall - (t0 + (t1 - t0) / 2);
            }
        }
        return offset;
    }

    private static Map<String, String> environment(Path output) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("hostname", procText("/proc/sys/kernel/hostname", "localhost"));
        env.put("sysname", procText("/proc/sys/kernel/ostype", "Linux"));
        env.put("kernel_release", procText("/proc/sys/kernel/osrelease", ""));
        env.put("kernel_version", procText("/proc/sys/kernel/version", ""));
        Path name = output.toAbsolutePath().normalize().getFileName();
        env.put("trace_name", name != null ? name.toString() : "");
        env.put("trace_creation_datetime", ZonedDateTime.now()
                .format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssZ", Locale.ROOT)));
        return env;
    }

    private static String procText(String path, String fallback) {
        try {
            return Files.readString(Path.of(path)).trim();
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot remove: " + e.getMessage(), e);
        }
    }
}
