package io.tracestream.sparktrace;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.StreamWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Records one CTF trace for this JVM process. Shared by the driver and executor plugins of the process (both run in
 * one JVM in local mode); closed when the last of them shuts down, or by a shutdown hook.
 *
 * <p>Threads that emit events get their own {@link ThreadRing} (and, in the trace, their own data stream, whose
 * packet context names the thread's {@code tid}); emitting takes no lock. A background thread,
 * {@code tracestream-flusher}, drains the rings every {@link TraceConfig#flushIntervalMs()} (sooner when a ring is
 * half full) into {@link StreamWriter}s: only it touches the CTF writer. The trace directory is created once the
 * application id is known (until then events wait in the rings).
 */
final class Recorder {
    private static final Logger LOG = Logger.getLogger(Recorder.class.getName());
    private static Recorder current;

    private final TraceConfig config;
    private final int pid = Os.pid();
    private final String hostname = Os.hostname();
    private final long offsetNanos = Os.realtimeOffsetNanos();
    private final Set<String> roles = new LinkedHashSet<>();
    private int references;
    private volatile String appId;
    private volatile String appName;
    private volatile String executorId;
    /** Spark settings copied into the trace environment (as {@code conf_spark_task_cpus} and so on). */
    private final Map<String, String> sparkSettings = new java.util.TreeMap<>();

    private final Emitter closedEmitter = new Emitter(this, new ThreadRing(16, -1, -1, -1, null));
    private final ThreadLocal<Emitter> emitters = ThreadLocal.withInitial(this::newEmitter);
    private final ConcurrentLinkedQueue<ThreadRing> newRings = new ConcurrentLinkedQueue<>();
    private final AtomicInteger ringCount = new AtomicInteger();
    private volatile boolean accepting = true;
    private volatile boolean stopping;
    private final Thread flusher;
    private final Thread shutdownHook;
    private final GcRecorder gc;
    private final LttngBackend lttng;

    // flusher-owned
    private final List<Drainer> drainers = new ArrayList<>();
    private CtfWriter writer;
    private TraceClass traceClass;
    private EventClass[] eventClasses;
    private Path traceDir;
    private long events;
    private long discarded;
    private Throwable failure;

    private Recorder(TraceConfig config) {
        this.config = config;
        this.lttng = LttngBackend.start(config);
        this.flusher = new Thread(this::flushLoop, "tracestream-flusher");
        flusher.setDaemon(true);
        flusher.start();
        this.shutdownHook = new Thread(this::close, "tracestream-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Emitter e = emitter();
        if (e.begin(SparkEvents.PROCESS_START)) {
            e.i32(pid).str(hostname).str(System.getProperty("java.version")).i64(offsetNanos).end();
        }
        this.gc = config.gc() ? GcRecorder.start(this) : null;
    }

    /**
     * The process's recorder, created on first use; {@code role} ("driver" or "executor") is added to its roles.
     * Each call must be matched by one {@link #release()}.
     */
    static synchronized Recorder acquire(TraceConfig config, String role, String executorId) {
        if (current == null || current.stopping) {
            current = new Recorder(config);
        }
        Recorder r = current;
        synchronized (r) {
            r.roles.add(role);
            r.references++;
            if (executorId != null && (r.executorId == null || role.equals("executor"))) {
                r.executorId = executorId;
            }
        }
        return r;
    }

    /** Spark settings that the analyses need (slots per executor, parallelism...), recorded in the environment. */
    static final List<String> RECORDED_SETTINGS = List.of("spark.master", "spark.executor.cores", "spark.task.cpus",
            "spark.executor.memory", "spark.executor.instances", "spark.default.parallelism",
            "spark.sql.shuffle.partitions", "spark.dynamicAllocation.enabled", "spark.speculation",
            "spark.sql.adaptive.enabled");

    /** Records the values of {@link #RECORDED_SETTINGS} that are set. */
    synchronized void settings(java.util.function.Function<String, String> lookup) {
        for (String k : RECORDED_SETTINGS) {
            String v = lookup.apply(k);
            if (v != null) {
                sparkSettings.putIfAbsent(k, v);
            }
        }
    }

    /** Sets the application identity; the trace directory can then be created. */
    void identify(String applicationId, String applicationName) {
        if (applicationName != null) {
            this.appName = applicationName;
        }
        if (applicationId != null) {
            this.appId = applicationId;
            LockSupport.unpark(flusher);
        }
    }

    /** Drops one reference; the last one closes the trace. */
    void release() {
        boolean last;
        synchronized (this) {
            last = --references == 0;
        }
        if (last) {
            close();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down
            }
        }
    }

    boolean accepting() {
        return accepting;
    }

    int maxStringChars() {
        return config.maxStringChars();
    }

    LttngBackend lttng() {
        return lttng;
    }

    /** The calling thread's emitter. */
    Emitter emitter() {
        if (!accepting) {
            return closedEmitter;
        }
        return emitters.get();
    }

    void wakeFlusher() {
        LockSupport.unpark(flusher);
    }

    /** The trace directory, once created (for tests and the CLI). */
    synchronized Path traceDirectory() {
        return traceDir;
    }

    private Emitter newEmitter() {
        ThreadRing ring = new ThreadRing(config.bufferBytes(), ringCount.getAndIncrement(), Os.currentTid(), pid,
                Thread.currentThread());
        newRings.add(ring);
        return new Emitter(this, ring);
    }

    // ------------------------------------------------------------------ flusher

    private void flushLoop() {
        long interval = TimeUnit.MILLISECONDS.toNanos(config.flushIntervalMs());
        while (!stopping) {
            LockSupport.parkNanos(this, interval);
            if (stopping) {
                break;
            }
            try {
                if (writer == null && appId != null) {
                    openWriter();
                }
                if (writer != null) {
                    drainAll(false);
                }
            } catch (RuntimeException | Error e) {
                fail(e);
                return;
            }
        }
    }

    private void fail(Throwable e) {
        if (failure == null) {
            failure = e;
            accepting = false;
            LOG.log(Level.WARNING, "tracestream: recording stopped: " + e, e);
        }
    }

    private void openWriter() {
        String app = appId != null ? appId : "unknown-app";
        String roleList;
        boolean driver;
        synchronized (this) {
            roleList = String.join(",", roles);
            driver = roles.contains("driver");
        }
        String role = driver ? "driver" : "executor-" + executorId;
        Map<String, String> settings;
        synchronized (this) {
            settings = new java.util.TreeMap<>(sparkSettings);
        }
        Path appDir = config.output().toAbsolutePath().resolve(sanitize(app));
        String base = sanitize(role + "-" + hostname + "-" + pid);
        Path dir = appDir.resolve(base);
        for (int i = 1; Files.exists(dir); i++) {
            dir = appDir.resolve(base + "." + i);
        }
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("hostname", hostname);
        env.put("domain", "spark");
        env.put("tracer_name", "tracestream-sparktrace");
        env.put("tracer_major", 0L);
        env.put("tracer_minor", 1L);
        env.put("trace_name", dir.getFileName().toString());
        env.put("vpid", (long) pid);
        env.put("spark_app_id", app);
        env.put("spark_app_name", appName == null ? "" : appName);
        env.put("spark_roles", roleList);
        env.put("spark_executor_id", executorId == null ? "" : executorId);
        env.put("spark_version", sparkVersion());
        env.put("java_version", System.getProperty("java.version"));
        env.put("realtime_offset_ns", offsetNanos);
        for (Map.Entry<String, String> e : settings.entrySet()) {
            env.put("conf_" + e.getKey().replace('.', '_'), e.getValue());
        }
        traceClass = SparkEvents.traceClass(env, offsetNanos, Os.bootId());
        StreamClass sc = traceClass.streamClass(0);
        eventClasses = new EventClass[SparkEvents.ALL.size()];
        for (EventType t : SparkEvents.ALL) {
            eventClasses[t.id] = sc.eventClass(t.id);
        }
        try {
            Files.createDirectories(appDir);
        } catch (IOException e) {
            throw new UncheckedIOException(appDir + ": " + e.getMessage(), e);
        }
        CtfWriter w = CtfWriter.builder(dir, traceClass).packetSize(config.packetBytes()).build();
        synchronized (this) {
            writer = w;
            traceDir = dir;
        }
    }

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String sparkVersion() {
        try {
            return org.apache.spark.package$.MODULE$.SPARK_VERSION();
        } catch (LinkageError e) {
            return "";
        }
    }

    /** Drains every ring into its stream; with {@code all}, also closes every stream. */
    private void drainAll(boolean all) {
        for (ThreadRing r; (r = newRings.poll()) != null; ) {
            drainers.add(new Drainer(r));
        }
        for (int i = 0; i < drainers.size(); i++) {
            Drainer d = drainers.get(i);
            boolean dead = !d.ring.owner.isAlive();
            d.drain();
            if (dead || all) {
                d.close();
                if (dead) {
                    drainers.remove(i--);
                }
            }
        }
    }

    /** Stops recording and writes the trace's last packets and index files. Idempotent. */
    void close() {
        synchronized (Recorder.class) {
            if (stopping) {
                return;
            }
            stopping = true;
            if (current == this) {
                current = null;
            }
        }
        if (gc != null) {
            gc.stop();
        }
        Emitter e = emitter();
        if (e.begin(SparkEvents.PROCESS_END)) {
            e.i32(ringCount.get()).end();
        }
        accepting = false;
        LockSupport.unpark(flusher);
        try {
            flusher.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (flusher.isAlive()) {
            fail(new IllegalStateException("the flusher thread did not stop within 30 s; trace left unfinished"));
        }
        if (failure == null) {
            try {
                if (writer == null) {
                    openWriter();
                }
                drainAll(true);
                writer.close();
                long lost;
                synchronized (this) {
                    lost = discarded;
                }
                if (lost > 0) {
                    LOG.warning("tracestream: " + lost + " events were discarded (per-thread buffers full; raise "
                            + TraceConfig.PREFIX + "bufferSize); the trace " + traceDir + " reports the losses");
                }
            } catch (RuntimeException | Error ex) {
                fail(ex);
            }
        }
        if (lttng != null) {
            lttng.close();
        }
    }

    /** The flusher's side of one ring: its data stream and what has been read. */
    private final class Drainer implements RecordDecoder.Sink {
        final ThreadRing ring;
        private StreamWriter stream;
        private EventBuilder eb;
        private byte[] record = new byte[4096];
        private long seenDropped;
        private boolean closed;

        Drainer(ThreadRing ring) {
            this.ring = ring;
        }

        void drain() {
            if (closed) {
                return;
            }
            long dropped = ring.droppedCount();
            long head = ring.consumerHead();
            long tail = ring.publishedTail();
            if (head == tail && dropped == seenDropped) {
                return;
            }
            if (stream == null) {
                stream = writer.openStream(traceClass.streamClass(0), ring.index);
                stream.packetContext("tid", ring.tid);
                stream.packetContext("pid", ring.pid);
            }
            long n = 0;
            while (head < tail) {
                int len = ring.intAt(head);
                if (len > record.length) {
                    record = new byte[Math.max(len, record.length * 2)];
                }
                ring.copyOut(head, record, len);
                EventType t = SparkEvents.ALL.get(RecordDecoder.typeId(record));
                eb = stream.beginEvent(eventClasses[t.id], RecordDecoder.timestamp(record));
                RecordDecoder.decode(record, len, t, this);
                eb.end();
                head += len;
                n++;
            }
            ring.release(head);
            // Records are dropped when the ring is full, that is after the records it held: count them after those.
            long lost = dropped - seenDropped;
            if (lost > 0) {
                // Close the packet first so the counter snapshots bracket the loss (readers report the increase
                // between two packets of the stream; the loss shows in the next packet or an empty last one).
                stream.flushPacket();
                stream.discardEvents(lost);
                seenDropped = dropped;
            }
            synchronized (Recorder.this) {
                events += n;
                discarded += lost;
            }
        }

        void close() {
            if (!closed && stream != null) {
                stream.close();
            }
            closed = true;
        }

        @Override
        public void i32(String name, int v) {
            eb.i32(v);
        }

        @Override
        public void i64(String name, long v) {
            eb.i64(v);
        }

        @Override
        public void bool(String name, boolean v) {
            eb.u8(v ? 1 : 0);
        }

        @Override
        public void f64(String name, double v) {
            eb.f64(v);
        }

        @Override
        public void str(String name, String v) {
            eb.string(v);
        }

        @Override
        public void locality(String name, int v) {
            eb.u8(v);
        }

        @Override
        public void beginSequence(String name, int n) {
            eb.u32(n);
        }

        @Override
        public void endSequence(String name) {
        }
    }
}
