package io.tracestream.analyses;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.io.MergedTrimmer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;

/**
 * Runs analyses in this JVM. All {@link Analysis.Partitioning#TIME_ORDERED} analyses of a run share one pass over
 * the time-ordered events (one decode, one {@link KernelState}); {@link Analysis.Partitioning#PER_STREAM} analyses run
 * one pass per stream, in parallel on up to {@link #parallelism} threads (beside the time-ordered pass when a run has
 * both). Partials are then reduced per key and per period, and turned into tables.
 *
 * <p>Semantics follow lttng-analyses: every event from the start of the (intersected) trace updates the state model;
 * the analysis starts at the first event at or after {@code begin} and stops after the last event at or before
 * {@code end}; the period runs from the first to the last analysed event.
 *
 * <p>{@link #splitsPerStream} (tests, and the model of a distributed engine) cuts each stream into that many splits
 * of packets, and the time-ordered pass into as many time slices; at every cut the pass and model state are
 * serialized and the next split resumes from the deserialized copy, as a task on another machine would.
 */
public final class LocalEngine {
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private int splitsPerStream = 1;
    private LongConsumer progress;

    /** Threads for per-stream passes (default: available processors). */
    public LocalEngine parallelism(int n) {
        this.parallelism = Math.max(1, n);
        return this;
    }

    /** Cut each partition into {@code n} splits, resuming each from the serialized state of the previous one. */
    public LocalEngine splitsPerStream(int n) {
        this.splitsPerStream = Math.max(1, n);
        return this;
    }

    /** Called from time to time with the timestamp reached by the time-ordered pass (progress reporting). */
    public LocalEngine progress(LongConsumer p) {
        this.progress = p;
        return this;
    }

    /** Runs the analyses over the traces under {@code paths}; results in the order of {@code analyses}. */
    public List<AnalysisResult> run(List<Path> paths, List<Analysis> analyses, AnalysisConfig config) {
        ReadOptions ro = ReadOptions.defaults().streamIntersection(config.intersection());
        if (config.end() != Long.MAX_VALUE) {
            ro = ro.end(config.end());
        }
        try (TraceSet set = TraceSet.open(ro, paths)) {
            boolean prioOffset = AnalysisTask.wakeupPrioOffset(set.traces());
            List<Analysis> ordered = new ArrayList<>();
            List<Analysis> perStream = new ArrayList<>();
            for (Analysis a : analyses) {
                (a.partitioning() == Analysis.Partitioning.PER_STREAM ? perStream : ordered).add(a);
            }
            Map<Analysis, Partials> reduced = new HashMap<>();
            List<AnalysisResult.Loss> losses = new ArrayList<>();
            boolean timeOrdered = !ordered.isEmpty() || perStream.isEmpty();
            AnalysisTask p;
            if (timeOrdered && !perStream.isEmpty() && parallelism >= 2) {
                // both kinds (e.g. `all`): the time-ordered pass on a thread of its own, beside the per-stream ones
                p = runBeside(() -> runTimeOrdered(set,
                        new AnalysisTask(ordered, config, prioOffset, ClockValue.NONE)),
                        () -> runPerStream(set, perStream, config, prioOffset, reduced, null));
            } else {
                p = timeOrdered ? runTimeOrdered(set, new AnalysisTask(ordered, config, prioOffset, ClockValue.NONE))
                        : null;
                if (!perStream.isEmpty()) {
                    runPerStream(set, perStream, config, prioOffset, reduced, timeOrdered ? null : losses);
                }
            }
            if (p != null) {
                losses.addAll(p.losses());
                for (int i = 0; i < ordered.size(); i++) {
                    reduced.put(ordered.get(i), p.partials(i));
                }
            }
            List<AnalysisResult> results = new ArrayList<>();
            for (Analysis a : analyses) {
                results.add(reduced.get(a).result(a, config, losses));
            }
            return results;
        }
    }

    /**
     * Runs {@code first} on a new thread while this one runs {@code second}; returns {@code first}'s result. An error
     * of {@code first} is thrown in preference to one of {@code second} (as when they run one after the other).
     */
    private static AnalysisTask runBeside(java.util.function.Supplier<AnalysisTask> first, Runnable second) {
        java.util.concurrent.CompletableFuture<AnalysisTask> f = new java.util.concurrent.CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(first.get());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, "tracestream-analysis");
        t.setDaemon(true);
        t.start();
        RuntimeException secondError = null;
        try {
            second.run();
        } catch (RuntimeException e) {
            secondError = e;
        }
        AnalysisTask result = await(f);
        if (secondError != null) {
            throw secondError;
        }
        return result;
    }

    /** The result of {@code f}; its task's error is thrown as it was (a run-time exception or an error). */
    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtfException("interrupted");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Time-ordered pass

    private AnalysisTask runTimeOrdered(TraceSet set, AnalysisTask p) {
        if (parallelism >= 2 && splitsPerStream == 1 && !p.readsEventFields()) {
            return runPipelined(set, p);
        }
        long cut = Long.MAX_VALUE;
        long[] cuts = splitsPerStream > 1 ? timeCuts(set) : new long[0];
        int nextCut = 0;
        if (cuts.length > 0) {
            cut = cuts[0];
        }
        long n = 0;
        try (MessageCursor c = set.messages()) {
            while (c.next()) {
                MessageType t = c.type();
                if (t == MessageType.EVENT) {
                    long ts = c.timeNanos();
                    while (ts >= cut) {
                        p = p.resume(); // a split boundary: continue from the serialized state
                        nextCut++;
                        cut = nextCut < cuts.length ? cuts[nextCut] : Long.MAX_VALUE;
                    }
                    p.event(c.event(), ts);
                    if (progress != null && (++n & 0xffff) == 0) {
                        progress.accept(ts);
                    }
                } else if (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS) {
                    p.discarded(c.stream(), c.discarded(), t == MessageType.DISCARDED_PACKETS);
                }
            }
        }
        p.finish();
        return p;
    }

    /** Events per batch handed from the decoding thread to the analysis thread, and batches in flight. */
    private static final int BATCH = 4096;
    private static final int BATCHES = 4;

    /**
     * The time-ordered pass on two threads, when no pass reads the events' fields: a decoding thread reads the
     * merged events and reduces them to what the state model reads ({@link ModelEvents}, primitive arrays, a few
     * fields per event), this thread runs the model and the passes on them. Same events, same order, same losses,
     * same errors (a decoding error stops the run after the events before it, as on one thread).
     */
    private AnalysisTask runPipelined(TraceSet set, AnalysisTask p) {
        java.util.concurrent.ArrayBlockingQueue<ModelEvents> full =
                new java.util.concurrent.ArrayBlockingQueue<>(BATCHES);
        java.util.concurrent.ArrayBlockingQueue<ModelEvents> free =
                new java.util.concurrent.ArrayBlockingQueue<>(BATCHES);
        for (int i = 0; i < BATCHES; i++) {
            free.add(new ModelEvents(BATCH));
        }
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        LongConsumer report = progress;
        Thread decoder = new Thread(() -> {
            ModelEvents b = null;
            try {
                b = free.take();
                try (MessageCursor c = set.messages()) {
                    KernelEvent view = new KernelEvent();
                    long n = 0;
                    while (c.next()) {
                        MessageType t = c.type();
                        if (t == MessageType.EVENT) {
                            long ts = c.timeNanos();
                            view.set(c.event(), ts);
                            b.add(view);
                            if (report != null && (++n & 0xffff) == 0) {
                                report.accept(ts);
                            }
                        } else if (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS) {
                            b.addLoss(c.stream(), c.discarded(), t == MessageType.DISCARDED_PACKETS);
                        } else {
                            continue;
                        }
                        if (b.full()) {
                            full.put(b);
                            b = free.take();
                        }
                    }
                }
                b.last = true;
                full.put(b);
            } catch (InterruptedException e) {
                // the analysis thread stopped
            } catch (Throwable e) {
                if (cancelled.get()) {
                    return;
                }
                if (b == null) {
                    b = new ModelEvents(0);
                }
                b.failure = e;
                b.last = true;
                try {
                    full.put(b);
                } catch (InterruptedException ie) {
                    // the analysis thread stopped
                }
            }
        }, "tracestream-decoder");
        decoder.setDaemon(true);
        decoder.start();
        try {
            while (true) {
                ModelEvents b = full.take();
                for (int i = 0; i < b.size; i++) {
                    if (b.info[i] != null) {
                        p.event(b, i);
                    } else {
                        ModelEvents.Loss l = (ModelEvents.Loss) b.losses[i];
                        p.discarded(l.stream(), l.discarded(), l.packets());
                    }
                }
                if (b.failure instanceof RuntimeException e) {
                    throw e;
                } else if (b.failure instanceof Error e) {
                    throw e;
                } else if (b.failure != null) {
                    throw new IllegalStateException(b.failure);
                }
                if (b.last) {
                    break;
                }
                b.clear();
                free.put(b);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CtfException("interrupted");
        } finally {
            if (decoder.isAlive()) {
                cancelled.set(true);
                decoder.interrupt();
            }
            try {
                decoder.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        p.finish();
        return p;
    }

    /** Split times for the time-ordered pass: equal slices of the packets' time range. */
    private long[] timeCuts(TraceSet set) {
        long b = Long.MAX_VALUE;
        long e = Long.MIN_VALUE;
        for (Trace t : set.traces()) {
            for (DataStream ds : t.streams()) {
                FsDataStream s = (FsDataStream) ds;
                int n = s.packets().size();
                if (n == 0 || s.packetBeginNs(0) == ClockValue.NONE) {
                    continue;
                }
                b = Math.min(b, s.packetBeginNs(0));
                e = Math.max(e, s.packetEndNs(n - 1));
            }
        }
        if (b >= e) {
            return new long[0];
        }
        long[] cuts = new long[splitsPerStream - 1];
        for (int i = 1; i < splitsPerStream; i++) {
            cuts[i - 1] = b + (long) ((double) (e - b) * i / splitsPerStream);
        }
        return cuts;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Per-stream passes

    private void runPerStream(TraceSet set, List<Analysis> analyses, AnalysisConfig config, boolean prioOffset,
            Map<Analysis, Partials> reduced, List<AnalysisResult.Loss> losses) {
        // partitions: the streams of one CPU (LTTng: one stream per CPU and channel), merged in time order
        Map<String, List<FsDataStream>> groups = new LinkedHashMap<>();
        Map<FsDataStream, long[]> bounds = new HashMap<>();
        long origin = Long.MAX_VALUE;
        int traceIndex = 0;
        for (Trace t : set.traces()) {
            long[] ib = config.intersection() ? intersection(t) : new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            if (ib[0] > ib[1]) {
                throw new CtfException("trace '" + t.name() + "' at " + t.path()
                        + ": no stream intersection: its streams do not overlap in time (latest beginning " + ib[0]
                        + " ns > earliest end " + ib[1] + " ns); analyse it without stream intersection");
            }
            for (DataStream ds : t.streams()) {
                FsDataStream s = (FsDataStream) ds;
                long[] bd = {ib[0], Math.min(ib[1], config.end())};
                bounds.put(s, bd);
                long[] probe = probe(set, s, Math.max(bd[0], config.begin()), bd[1]);
                origin = Math.min(origin, probe[0]);
                groups.computeIfAbsent(traceIndex + "/" + probe[1], k -> new ArrayList<>()).add(s);
            }
            traceIndex++;
        }
        long periodOrigin = origin == Long.MAX_VALUE ? ClockValue.NONE : origin;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(parallelism, Math.max(1, groups.size())), r -> {
            Thread th = new Thread(r, "tracestream-analysis");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<AnalysisTask>> futures = new ArrayList<>();
            for (List<FsDataStream> g : groups.values()) {
                futures.add(pool.submit(() -> g.size() == 1
                        ? runStream(set, g.get(0), bounds.get(g.get(0)), analyses, config, prioOffset,
                                periodOrigin)
                        : runGroup(set, g, bounds, analyses, config, prioOffset, periodOrigin)));
            }
            List<AnalysisTask> parts = new ArrayList<>();
            for (Future<AnalysisTask> f : futures) {
                parts.add(await(f));
            }
            // the period of the whole run: first to last analysed event over all partitions
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            for (AnalysisTask p : parts) {
                if (p.firstAnalysed() != ClockValue.NONE) {
                    first = Math.min(first, p.firstAnalysed());
                    last = Math.max(last, p.lastEvent());
                }
                if (losses != null) {
                    losses.addAll(p.losses());
                }
            }
            for (int i = 0; i < analyses.size(); i++) {
                Partials r = new Partials();
                for (AnalysisTask p : parts) {
                    r.merge(p.partials(i));
                }
                r.fixBounds(first, last, config.window());
                reduced.put(analyses.get(i), r);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One stream alone: cut into splits of packets, each resuming from the serialized state of the previous. */
    private AnalysisTask runStream(TraceSet set, FsDataStream s, long[] bounds, List<Analysis> analyses,
            AnalysisConfig config, boolean prioOffset, long origin) {
        AnalysisTask p = new AnalysisTask(analyses, config, prioOffset, origin);
        List<PacketIndexEntry> packets = s.packets();
        int n = packets.size();
        int splits = Math.min(splitsPerStream, Math.max(1, n));
        for (int k = 0; k < splits; k++) {
            int a = (int) ((long) n * k / splits);
            int b = (int) ((long) n * (k + 1) / splits);
            if (k > 0) {
                p = p.resume();
            }
            // a split after the first re-reads the packet before it only to see the losses between the two
            int skipPackets = a > 0 ? 1 : 0;
            MessageCursor c = trimmed(set.openStream(s, packets.subList(a - skipPackets, b)), bounds);
            try (MessageCursor cur = c) {
                int packetBegins = 0;
                while (cur.next()) {
                    MessageType t = cur.type();
                    if (t == MessageType.PACKET_BEGINNING) {
                        packetBegins++;
                    } else if (t == MessageType.EVENT) {
                        if (packetBegins > skipPackets) {
                            p.event(cur.event(), cur.timeNanos());
                        }
                    } else if (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS) {
                        if (packetBegins >= skipPackets) {
                            p.discarded(s, cur.discarded(), t == MessageType.DISCARDED_PACKETS);
                        }
                    }
                }
            }
        }
        p.finish();
        return p;
    }

    /** Several streams of one CPU, merged in time order (one split). */
    private AnalysisTask runGroup(TraceSet set, List<FsDataStream> streams, Map<FsDataStream, long[]> bounds,
            List<Analysis> analyses, AnalysisConfig config, boolean prioOffset, long origin) {
        AnalysisTask p = new AnalysisTask(analyses, config, prioOffset, origin);
        List<MessageCursor> cursors = new ArrayList<>();
        for (FsDataStream s : streams) {
            cursors.add(trimmed(set.openStream(s, s.packets()), bounds.get(s)));
        }
        try (MessageCursor cur = new io.tracestream.ctf.io.MessageMuxer(cursors, null)) {
            while (cur.next()) {
                MessageType t = cur.type();
                if (t == MessageType.EVENT) {
                    p.event(cur.event(), cur.timeNanos());
                } else if (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS) {
                    p.discarded(cur.stream(), cur.discarded(), t == MessageType.DISCARDED_PACKETS);
                }
            }
        }
        p.finish();
        return p;
    }

    private static MessageCursor trimmed(MessageCursor c, long[] bounds) {
        if (bounds[0] != Long.MIN_VALUE || bounds[1] != Long.MAX_VALUE) {
            return new MergedTrimmer(c, bounds[0], bounds[1]);
        }
        return c;
    }

    /**
     * The stream's first event time in [from, to] (Long.MAX_VALUE when none) and its CPU (packet context
     * {@code cpu_id} of its first packet, -1 when absent).
     */
    private static long[] probe(TraceSet set, FsDataStream s, long from, long to) {
        long cpu = -1;
        boolean cpuKnown = false;
        try (MessageCursor cur = trimmed(set.openStream(s, s.packets()), new long[] {Long.MIN_VALUE, to})) {
            while (cur.next()) {
                if (!cpuKnown && cur.packet() != null) {
                    cpu = cur.packet().cpuId();
                    cpuKnown = true;
                }
                if (cur.type() == MessageType.EVENT && cur.timeNanos() >= from) {
                    return new long[] {cur.timeNanos(), cpu};
                }
            }
        }
        return new long[] {Long.MAX_VALUE, cpu};
    }

    private static long[] intersection(Trace t) {
        long b = Long.MIN_VALUE;
        long e = Long.MAX_VALUE;
        for (DataStream ds : t.streams()) {
            FsDataStream s = (FsDataStream) ds;
            int n = s.packets().size();
            if (n == 0) {
                continue;
            }
            b = Math.max(b, s.packetBeginNs(0));
            e = Math.min(e, s.packetEndNs(n - 1));
        }
        return new long[] {b, e};
    }
}
