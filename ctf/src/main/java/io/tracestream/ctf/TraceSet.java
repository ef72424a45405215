package io.tracestream.ctf;

import io.tracestream.ctf.decode.DecodeOptions;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.DefaultBackend;
import io.tracestream.ctf.io.EventFilterCursor;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.io.MergedTrimmer;
import io.tracestream.ctf.io.MessageMuxer;
import io.tracestream.ctf.io.TraceBackend;
import io.tracestream.ctf.io.TraceFinder;
import io.tracestream.ctf.meta.EventClass;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The CTF traces found under one or more paths, read as one time-ordered sequence, as {@code babeltrace2 PATH...}
 * reads them.
 *
 * <p>A path may be a trace directory (it holds a {@code metadata} file) or any directory above traces, e.g. an
 * LTTng session output with {@code kernel/} and {@code ust/uid/1000/64-bit/}: every trace below is found, chunks of
 * the same trace (same UUID) are merged, and the messages of all streams of all traces are merged in time order with
 * babeltrace2's exact tie-breaking.
 *
 * <pre>{@code
 * // pull: every event in time order (the record is reused: copy() what you keep)
 * try (TraceSet traces = TraceSet.open(Path.of("/tmp/lttng-traces/my-session"))) {
 *     for (EventRecord e : traces.events()) {
 *         System.out.println(e.timestamp() + " " + e.name() + " " + e.get("prev_tid"));
 *     }
 * }
 *
 * // push: handlers per event name, then run()
 * try (TraceSet traces = TraceSet.open(ReadOptions.defaults().begin(t0).end(t1), path)) {
 *     traces.onEvent("sched_switch", e -> switches++)
 *           .onEvent(null, e -> all++)
 *           .run();
 * }
 *
 * // messages: packets, losses and stream boundaries too
 * try (TraceSet traces = TraceSet.open(path); MessageCursor c = traces.messages()) {
 *     while (c.next()) {
 *         if (c.type() == MessageType.DISCARDED_EVENTS) { ... c.discarded().count() ... }
 *     }
 * }
 * }</pre>
 *
 * <p>Opening reads all metadata and the packet index of every stream (from LTTng {@code index/*.idx} files when
 * valid, else from the packet headers); events are decoded only while iterating. Not thread-safe; iterate from one
 * thread at a time. Each {@link #messages()} call starts a new independent pass.
 */
public final class TraceSet implements AutoCloseable {
    private final ReadOptions options;
    private final TraceBackend backend;
    private final List<Trace> traces;
    private final List<MessageCursor> open = new ArrayList<>();
    private final Map<String, List<Consumer<EventRecord>>> handlers = new LinkedHashMap<>();
    private final List<Consumer<EventRecord>> allHandlers = new ArrayList<>();
    private final List<Consumer<Discarded>> discardedHandlers = new ArrayList<>();
    private long seekNanos = Long.MIN_VALUE;
    private boolean closed;

    private TraceSet(ReadOptions options, TraceBackend backend, List<Path> paths) {
        this.options = options;
        this.backend = backend;
        TraceListener l = options.listener();
        this.traces = Collections.unmodifiableList(new ArrayList<>(new TraceFinder(backend, l::warning).find(paths)));
        if (options.begin() != Long.MIN_VALUE && options.end() != Long.MAX_VALUE
                && options.begin() > options.end()) {
            throw new CtfException("the beginning of the time range (" + options.begin()
                    + " ns) is after its end (" + options.end() + " ns)");
        }
        if (options.streamIntersection()) {
            for (Trace t : traces) {
                intersection(t); // validate now: a trace without streams or stream ranges is an error
            }
        }
    }

    /** Opens the traces under {@code paths} with {@link ReadOptions#defaults()}. */
    public static TraceSet open(Path... paths) {
        return open(ReadOptions.defaults(), paths);
    }

    /**
     * Opens the traces under {@code paths}.
     *
     * @throws CtfException when a path does not exist or holds no trace ({@code no CTF trace found under PATH}), when
     *                      metadata is invalid, or when a stream file cannot be read
     */
    public static TraceSet open(ReadOptions options, Path... paths) {
        return open(options, Arrays.asList(paths));
    }

    /** As {@link #open(ReadOptions, Path...)}. */
    public static TraceSet open(ReadOptions options, List<Path> paths) {
        if (paths.isEmpty()) {
            throw new CtfException("no trace path given");
        }
        TraceListener l = options.listener();
        DecodeOptions d = options.lenient() ? DecodeOptions.DEFAULT.lenient(l::skipped) : DecodeOptions.DEFAULT;
        return new TraceSet(options, new DefaultBackend(d), paths);
    }

    /** Opens with another backend (tests, other decoders). */
    static TraceSet open(ReadOptions options, TraceBackend backend, List<Path> paths) {
        return new TraceSet(options, backend, paths);
    }

    /**
     * A new cursor over the messages of one stream of these traces, restricted to {@code packets} (a sublist of its
     * packet index), without time bounds; decoders are this set's, compiled once per trace class. Unlike
     * {@link #messages()}, it may be called from several threads at once (e.g. one pass per stream in parallel).
     * Close it when done.
     */
    public MessageCursor openStream(DataStream stream, List<PacketIndexEntry> packets) {
        return backend.openStream(stream, packets);
    }

    /** The traces, in discovery order; each trace's streams in babeltrace2's order. */
    public List<Trace> traces() {
        return traces;
    }

    public ReadOptions options() {
        return options;
    }

    /**
     * Makes the following {@link #messages()}, {@link #events()} and {@link #run()} start at {@code nanos} (from the
     * clock origin): packets that end before it are not read (found by binary search in the packet index), and the
     * messages before it are skipped, as with {@link ReadOptions#begin(long)}. {@link Long#MIN_VALUE} goes back to
     * the start.
     */
    public void seek(long nanos) {
        this.seekNanos = nanos;
    }

    /**
     * A new cursor over the messages of all streams of all traces, in time order, from the start (or the
     * {@link #seek} time) within the options' bounds. Close it (or the trace set) when done.
     */
    public MessageCursor messages() {
        ensureOpen();
        long begin = Math.max(options.begin(), seekNanos);
        long end = options.end();
        List<MessageCursor> cursors = new ArrayList<>();
        try {
            for (Trace t : traces) {
                long ib = Long.MIN_VALUE;
                long ie = Long.MAX_VALUE;
                if (options.streamIntersection()) {
                    long[] r = intersection(t);
                    ib = r[0];
                    ie = r[1];
                    if (ib > ie) {
                        throw new CtfException("trace '" + t.name() + "' at " + t.path()
                                + ": no stream intersection: its streams do not overlap in time (latest beginning "
                                + ib + " ns > earliest end " + ie + " ns)");
                    }
                }
                for (DataStream ds : t.streams()) {
                    cursors.add(openStream((FsDataStream) ds, Math.max(begin, ib), ib, ie));
                }
            }
        } catch (RuntimeException e) {
            for (MessageCursor c : cursors) {
                c.close();
            }
            throw e;
        }
        MessageCursor merged = new MessageMuxer(cursors, null);
        if (begin != Long.MIN_VALUE || end != Long.MAX_VALUE) {
            merged = new MergedTrimmer(merged, begin, end);
        }
        if (options.eventNames() != null) {
            merged = new EventFilterCursor(merged, options.eventNames());
        }
        open.add(merged);
        return merged;
    }

    /**
     * One stream's cursor: packets from the one before the first that may hold {@code from}, trimmed per stream to
     * [{@code ib}, {@code ie}] in stream intersection mode (babeltrace2 puts a trimmer on each stream there).
     */
    private MessageCursor openStream(FsDataStream s, long from, long ib, long ie) {
        List<PacketIndexEntry> packets = s.packets();
        if (from != Long.MIN_VALUE) {
            packets = packets.subList(firstPacketFor(s, from), packets.size());
        }
        MessageCursor c = backend.openStream(s, packets);
        if (ib != Long.MIN_VALUE || ie != Long.MAX_VALUE) {
            c = new MergedTrimmer(c, ib, ie);
        }
        return c;
    }

    /**
     * The first packet to read for a start at {@code begin}: one before the first packet ending at or after it (so
     * that losses reported at its beginning are computed), found by binary search on packet end times.
     */
    static int firstPacketFor(FsDataStream s, long begin) {
        int n = s.packets().size();
        if (n == 0 || s.packetEndNs(0) == ClockValue.NONE) {
            return 0;
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long e = s.packetEndNs(mid);
            if (e != ClockValue.NONE && e < begin) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        while (lo > 0 && s.packetEndNs(lo - 1) != ClockValue.NONE && s.packetEndNs(lo - 1) >= begin) {
            lo--; // end times out of order: never skip a packet that may hold the time
        }
        return Math.max(0, lo - 1);
    }

    /** babeltrace2's stream intersection of a trace: [latest stream beginning, earliest stream end]. */
    private static long[] intersection(Trace t) {
        if (t.streams().isEmpty()) {
            throw new CtfException("trace '" + t.name() + "' at " + t.path()
                    + " has no streams: cannot compute its stream intersection");
        }
        long b = 0;
        long e = Long.MAX_VALUE;
        for (DataStream ds : t.streams()) {
            FsDataStream s = (FsDataStream) ds;
            int n = s.packets().size();
            long sb = s.packetBeginNs(0);
            long se = s.packetEndNs(n - 1);
            if (sb == ClockValue.NONE || se == ClockValue.NONE) {
                throw new CtfException("stream " + s.file() + ": packets have no beginning and end times: cannot "
                        + "compute the stream intersection");
            }
            if (sb < 0 || se < 0 || se < sb) {
                throw new CtfException("stream " + s.file() + ": invalid time range [" + sb + ", " + se
                        + "] ns: cannot compute the stream intersection");
            }
            b = Math.max(b, sb);
            e = Math.min(e, se);
        }
        return new long[] {b, e};
    }

    /**
     * The events of all traces in time order, as an {@code Iterable} for for-each loops. The record is reused from
     * one event to the next ({@link EventRecord#copy()} keeps one). Discarded events and packets go to the
     * options' {@link TraceListener}. Each {@code iterator()} is a new pass; it is closed when exhausted or with the
     * trace set.
     */
    public Iterable<EventRecord> events() {
        return () -> new EventIterator(messages());
    }

    /**
     * Registers a handler for {@link #run()}.
     *
     * @param eventName the event name, or null for every event
     */
    public TraceSet onEvent(String eventName, Consumer<EventRecord> handler) {
        if (eventName == null) {
            allHandlers.add(handler);
        } else {
            handlers.computeIfAbsent(eventName, k -> new ArrayList<>()).add(handler);
        }
        return this;
    }

    /** Registers a handler for discarded events and packets during {@link #run()} (else they go to the listener). */
    public TraceSet onDiscarded(Consumer<Discarded> handler) {
        discardedHandlers.add(handler);
        return this;
    }

    /**
     * Reads all messages (from the start or the {@link #seek} time) and calls the registered handlers for each event
     * in time order: first the handlers of its name, then the catch-all ones. The record passed is reused.
     */
    @SuppressWarnings("unchecked")
    public void run() {
        Map<EventClass, Consumer<EventRecord>[]> byClass = new IdentityHashMap<>();
        Consumer<EventRecord>[] none = new Consumer[0];
        MessageCursor c = messages();
        try {
            while (c.next()) {
                MessageType t = c.type();
                if (t == MessageType.EVENT) {
                    EventRecord e = c.event();
                    Consumer<EventRecord>[] hs = byClass.get(e.eventClass());
                    if (hs == null) {
                        List<Consumer<EventRecord>> l = new ArrayList<>(handlers.getOrDefault(e.name(), List.of()));
                        l.addAll(allHandlers);
                        hs = l.isEmpty() ? none : l.toArray(none);
                        byClass.put(e.eventClass(), hs);
                    }
                    for (Consumer<EventRecord> h : hs) {
                        h.accept(e);
                    }
                } else if (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS) {
                    if (discardedHandlers.isEmpty()) {
                        options.listener().discarded(t, c.discarded());
                    } else {
                        for (Consumer<Discarded> h : discardedHandlers) {
                            h.accept(c.discarded());
                        }
                    }
                }
            }
        } finally {
            open.remove(c);
            c.close();
        }
    }

    private final class EventIterator implements Iterator<EventRecord> {
        private final MessageCursor cursor;
        private boolean ready;
        private boolean done;

        EventIterator(MessageCursor cursor) {
            this.cursor = cursor;
        }

        @Override
        public boolean hasNext() {
            if (ready) {
                return true;
            }
            if (done) {
                return false;
            }
            while (cursor.next()) {
                MessageType t = cursor.type();
                if (t == MessageType.EVENT) {
                    ready = true;
                    return true;
                }
                if (t == MessageType.DISCARDED_EVENTS || t == MessageType.DISCARDED_PACKETS) {
                    options.listener().discarded(t, cursor.discarded());
                }
            }
            done = true;
            cursor.close();
            open.remove(cursor);
            return false;
        }

        @Override
        public EventRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ready = false;
            return cursor.event();
        }
    }

    /** The names of all event classes of all traces (handy to check a filter). */
    public Set<String> eventNames() {
        Set<String> names = new HashSet<>();
        for (Trace t : traces) {
            t.traceClass().streamClasses().forEach(sc -> sc.eventClasses().forEach(ec -> names.add(ec.name())));
        }
        return names;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("trace set is closed");
        }
    }

    /** Closes every cursor still open (releasing mapped files). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (MessageCursor c : open) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        open.clear();
        if (first != null) {
            throw first;
        }
    }
}
