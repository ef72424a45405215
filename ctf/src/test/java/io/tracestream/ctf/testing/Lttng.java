package io.tracestream.ctf.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records LTTng user-space traces: starts the session daemon when none runs, creates a session writing into a
 * folder, sets up channels, events and contexts, runs a traced program, stops and destroys the session.
 *
 * <pre>{@code
 * Lttng.require();
 * Lttng.Channel chan = Lttng.Channel.lossless("chan0");
 * try (Lttng.Session s = Lttng.createSession(dir)) {
 *     s.enableChannel(chan).enableEvents(chan, "tsprobe:*").addContexts(chan, Lttng.DEFAULT_CONTEXTS).start();
 *     s.run(List.of(program, "-n", "1000"), Map.of()).requireSuccess();
 *     s.stop();
 *     long discarded = s.discardedEvents();
 * }   // destroys the session; the trace stays in dir (CTF 1.8 under dir/ust/uid/UID/64-bit)
 * }</pre>
 *
 * <p>Tests that record traces call {@link #require()}: it fails (not skips) when LTTng is missing, since
 * {@code scripts/setup.sh} installs it for the test suite.
 */
public final class Lttng {
    /** The contexts TraceStream's sample traces carry: process id, thread id and process name. */
    public static final List<String> DEFAULT_CONTEXTS = List.of("vpid", "vtid", "procname");

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicInteger SESSION_COUNTER = new AtomicInteger();
    private static final Pattern DISCARDED = Pattern.compile("Discarded events:\\s*(\\d+)");
    private static volatile boolean daemonChecked;

    private Lttng() {
    }

    /** Whether the lttng tools are on the PATH. */
    public static boolean isInstalled() {
        return Exec.onPath("lttng") && Exec.onPath("lttng-sessiond");
    }

    /**
     * Fails the calling test when LTTng is not installed, and makes sure a session daemon runs.
     */
    public static void require() {
        if (!isInstalled()) {
            fail("LTTng is not installed: run scripts/setup.sh (or apt-get install lttng-tools liblttng-ust-dev)");
        }
        ensureSessionDaemon();
    }

    /** Starts {@code lttng-sessiond --daemonize} unless a session daemon already runs. */
    public static synchronized void ensureSessionDaemon() {
        if (daemonChecked) {
            return;
        }
        boolean running = ProcessHandle.allProcesses().anyMatch(p -> p.info().command()
                .map(c -> c.endsWith("/lttng-sessiond")).orElse(false));
        if (!running) {
            Exec.of("lttng-sessiond", "--daemonize").timeout(COMMAND_TIMEOUT).run().requireSuccess();
        }
        daemonChecked = true;
    }

    /**
     * Creates a session (uniquely named) writing its trace into {@code outputDir}, which must not exist or be
     * empty.
     */
    public static Session createSession(Path outputDir) {
        require();
        return new Session(outputDir.toAbsolutePath().normalize());
    }

    static ProcessResult lttng(String... args) {
        return Exec.of(Exec.concat("lttng", List.of(args))).timeout(COMMAND_TIMEOUT).run().requireSuccess();
    }

    /**
     * A user-space channel's set-up: sub-buffer size and count, and whether it blocks or discards when full.
     *
     * @param name the channel name (e.g. {@code chan0}); stream files are named {@code NAME_CPU}
     * @param subbufSize sub-buffer size in bytes (a power of two, at least the page size)
     * @param subbufCount number of sub-buffers per CPU (a power of two, at least 2)
     * @param blocking true: a traced thread waits for free space (lossless; the program runs with
     *     {@code LTTNG_UST_ALLOW_BLOCKING=1}); false: events are discarded when the buffers are full
     */
    public record Channel(String name, long subbufSize, int subbufCount, boolean blocking) {

        /** A lossless channel: blocking, 1 MiB x 4 sub-buffers per CPU. */
        public static Channel lossless(String name) {
            return new Channel(name, 1 << 20, 4, true);
        }

        /**
         * A lossy channel: the smallest buffers (2 sub-buffers of 4 KiB per CPU) in discard mode, so a burst of
         * events makes the tracer discard some (reported in the packets' {@code events_discarded}).
         */
        public static Channel lossy(String name) {
            return new Channel(name, 4096, 2, false);
        }

        /** The same channel with other sub-buffers. */
        public Channel withSubbuffers(long size, int count) {
            return new Channel(name, size, count, blocking);
        }

        List<String> enableArgs(String session) {
            List<String> args = new ArrayList<>(List.of("enable-channel", "-u", "-s", session,
                    "--subbuf-size=" + subbufSize, "--num-subbuf=" + subbufCount));
            if (blocking) {
                args.add("--blocking-timeout=inf");
            }
            args.add(name);
            return args;
        }
    }

    /** A recording session; {@link #close()} destroys it (the trace files stay). */
    public static final class Session implements AutoCloseable {
        private final String name;
        private final Path output;
        private boolean blocking;
        private boolean destroyed;

        private Session(Path output) {
            this.name = "tracestream-test-" + ProcessHandle.current().pid() + "-" + SESSION_COUNTER.incrementAndGet();
            this.output = output;
            lttng("create", name, "--output=" + output);
        }

        /** The session name. */
        public String name() {
            return name;
        }

        /** The folder the trace is written to. */
        public Path output() {
            return output;
        }

        /** Adds a user-space channel. */
        public Session enableChannel(Channel channel) {
            lttng(channel.enableArgs(name).toArray(String[]::new));
            blocking |= channel.blocking();
            return this;
        }

        /** Enables user-space events matching each pattern (e.g. {@code tsprobe:*}) in the channel. */
        public Session enableEvents(Channel channel, String... patterns) {
            for (String p : patterns) {
                lttng("enable-event", "-u", "-s", name, "-c", channel.name(), p);
            }
            return this;
        }

        /** Adds contexts (e.g. {@code vpid}, {@code vtid}, {@code procname}, {@code pthread_id}) to the channel. */
        public Session addContexts(Channel channel, List<String> contexts) {
            List<String> args = new ArrayList<>(List.of("add-context", "-u", "-s", name, "-c", channel.name()));
            for (String c : contexts) {
                args.add("-t");
                args.add(c);
            }
            lttng(args.toArray(String[]::new));
            return this;
        }

        /** Starts tracing. */
        public Session start() {
            lttng("start", name);
            return this;
        }

        /**
         * Runs a traced program to its end (timeout 5 minutes). When a blocking channel was enabled, the program
         * runs with {@code LTTNG_UST_ALLOW_BLOCKING=1}.
         */
        public ProcessResult run(List<String> command, Map<String, String> env) {
            Map<String, String> all = new LinkedHashMap<>(env);
            if (blocking) {
                all.putIfAbsent("LTTNG_UST_ALLOW_BLOCKING", "1");
            }
            return Exec.of(command).env(all).timeout(Duration.ofMinutes(5)).run();
        }

        /** Stops tracing; waits until the buffers are written out. */
        public Session stop() {
            lttng("stop", name);
            return this;
        }

        /** Events the tracer discarded in this session, over all channels (read after {@link #stop()}). */
        public long discardedEvents() {
            String list = lttng("list", name).stdout();
            long sum = 0;
            Matcher m = DISCARDED.matcher(list);
            while (m.find()) {
                sum += Long.parseLong(m.group(1));
            }
            return sum;
        }

        /**
         * The trace folder of this session's user-space, per-user buffers for the current user and 64-bit
         * applications ({@code output/ust/uid/UID/64-bit}), or {@link #output()} when that is not there.
         */
        public Path tracePath() {
            Path uidDir = output.resolve("ust/uid");
            try (var dirs = Files.list(uidDir)) {
                return dirs.map(d -> d.resolve("64-bit")).filter(Files::isDirectory).findFirst().orElse(output);
            } catch (IOException e) {
                return output;
            }
        }

        /** Destroys the session (the trace files stay). */
        @Override
        public void close() {
            if (!destroyed) {
                destroyed = true;
                lttng("destroy", name);
            }
        }
    }
}
