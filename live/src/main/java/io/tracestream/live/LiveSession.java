package io.tracestream.live;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.ForwardingMessageCursor;
import io.tracestream.ctf.io.MessageTieBreak;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.live.ViewerConnection.ConnectionLost;
import io.tracestream.live.ViewerConnection.Index;
import io.tracestream.live.ViewerConnection.MetadataReply;
import io.tracestream.live.ViewerConnection.PacketReply;
import io.tracestream.live.ViewerConnection.RelaySession;
import io.tracestream.live.ViewerConnection.RelayStream;
import io.tracestream.live.ViewerConnection.StreamsReply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tracing session read live from lttng-relayd: the messages of all its streams (every tracing domain and bitness of
 * the session, and streams that appear while it runs), decoded by the CTF core and merged in time order exactly as
 * {@code babeltrace2 --input-format=lttng-live URL} merges them.
 *
 * <pre>{@code
 * try (LiveSession live = LiveSession.open(LiveUrl.parse("net://127.0.0.1/host/myhost/my-session"),
 *                                          LiveOptions.defaults())) {
 *     while (live.next()) {                 // blocks until a message is ready; false once the session is destroyed
 *         if (live.type() == MessageType.EVENT) {
 *             EventRecord e = live.event();  // reused: copy() what you keep
 *         }
 *     }
 * }
 * }</pre>
 *
 * <p>A message of one stream is delivered only when every other stream either has a later message ready or has
 * announced, with an inactivity beacon, that it is quiet beyond that time; until then {@link #next()} waits, polling
 * the relay every {@link LiveOptions#pollInterval()}. {@link #next(Duration)} waits at most a given time. The reader
 * ends when the session is destroyed (all streams hung up and no new ones can come).
 *
 * <p>{@link #positions()} is a checkpoint (per-stream packet positions) to {@link LiveOptions#resumeFrom resume} from;
 * after a lost connection the reader reconnects (for {@link LiveOptions#reconnectFor()}) and skips the packets it
 * already has, so nothing is delivered twice.
 *
 * <p>Not thread-safe: one thread reads; {@link #close()} may be called from another thread to stop a waiting reader.
 */
public final class LiveSession extends ForwardingMessageCursor {
    /** What {@link #next(Duration)} found. */
    public enum Status {
        /** A message is current. */
        MESSAGE,
        /** No message could be delivered within the time given; call again. */
        WAITING,
        /**
         * No more messages: the session ended (destroyed, or not found with {@code END}; {@link #sessionEnded()} is
         * true), or the reader was closed or its thread interrupted ({@link #sessionEnded()} is false).
         */
        END
    }

    private final LiveUrl url;
    private final LiveOptions options;
    private final String relayLabel;
    private final long pollNanos;
    private ViewerConnection conn;
    /** Attached relay sessions: id -> closed (no more new streams). */
    private final Map<Long, Boolean> sessions = new LinkedHashMap<>();
    private final Map<String, LiveTrace> tracesByKey = new LinkedHashMap<>();
    private final Map<Long, LiveTrace> tracesByRelayId = new LinkedHashMap<>();
    private final Map<String, LiveStream> streamsByKey = new LinkedHashMap<>();
    private final List<LiveStream> active = new ArrayList<>();
    private boolean established;
    /** Some relay session was attached once (later ones are read from their beginning). */
    private boolean everAttached;
    private boolean newStreamsNeeded;
    private long nextNewStreamsPoll;
    private long nextSessionsPoll;
    private LiveStream current;
    private long lastReturned = Long.MIN_VALUE;
    private volatile boolean closed;
    /** {@link #close()} ran (an interrupted reader is closed but still holds its connection until then). */
    private volatile boolean released;
    /** A thread is inside {@link #next(Duration)} (then {@link #close()} only closes the socket). */
    private volatile boolean busy;
    private boolean ended;
    /** The longest live timer (µs) of the relay sessions attached (0: none known). */
    private long liveTimerMicros;

    /** TRACESTREAM_LIVE_DEBUG=1 traces the protocol exchanges on standard error. */
    private static final boolean DEBUG = "1".equals(System.getenv("TRACESTREAM_LIVE_DEBUG"));

    private static void debug(String what) {
        if (DEBUG) {
            System.err.println("[live] " + what);
        }
    }

    private LiveSession(LiveUrl url, LiveOptions options) {
        if (!url.hasSession()) {
            throw new LiveException("the URL " + url + " names no session (expected net://HOST[:PORT]/host/HOSTNAME"
                    + "/SESSION)");
        }
        this.url = url;
        this.options = options;
        this.relayLabel = url.relay().substring("net://".length());
        this.pollNanos = options.pollInterval().toNanos();
    }

    /**
     * Connects to the relay and attaches to the session. With {@link LiveOptions.SessionNotFound#FAIL} an unknown
     * session fails here; with {@code CONTINUE} the reader waits for it in {@link #next()}; with {@code END} the
     * reader has no message.
     *
     * @throws LiveException when the relay cannot be reached, breaks the protocol, or the session is not found
     *                       ({@code FAIL})
     */
    public static LiveSession open(LiveUrl url, LiveOptions options) {
        LiveSession s = new LiveSession(url, options);
        try {
            s.connect();
            if (!s.establish()) {
                switch (options.sessionNotFound()) {
                    case FAIL -> throw s.notFound();
                    case END -> s.ended = true;
                    default -> { }
                }
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /**
     * The sessions a relay offers, one entry per session (its domains merged), in the relay's order.
     *
     * @throws LiveException when the relay cannot be reached or breaks the protocol
     */
    public static List<SessionInfo> list(LiveUrl relay, LiveOptions options) {
        try (ViewerConnection c = ViewerConnection.open(relay.host(), relay.port(),
                (int) options.connectTimeout().toMillis(), (int) options.readTimeout().toMillis())) {
            Map<String, SessionInfo> merged = new LinkedHashMap<>();
            for (RelaySession r : c.listSessions()) {
                String k = r.hostname() + "\0" + r.name();
                SessionInfo old = merged.get(k);
                if (old == null) {
                    merged.put(k, new SessionInfo(relay.withSession(r.hostname(), r.name()), r.hostname(), r.name(),
                            r.liveTimer(), r.streams(), r.clients()));
                } else {
                    merged.put(k, new SessionInfo(old.url(), old.hostname(), old.name(),
                            Math.max(old.liveTimerMicros(), r.liveTimer()), old.streams() + r.streams(),
                            old.clients() + r.clients()));
                }
            }
            return new ArrayList<>(merged.values());
        }
    }

    /**
     * True when the reader ended because the session did (destroyed and read to its end, or not found with
     * {@link LiveOptions.SessionNotFound#END}); false while it runs and when it was closed or its thread interrupted
     * (then the session may still be recording: resume from {@link #positions()} in a new reader).
     */
    public boolean sessionEnded() {
        return ended;
    }

    /** True once the session was found and attached (false when it ended because it was not found). */
    public boolean attached() {
        return everAttached;
    }

    /**
     * The one-line message saying the session is not on the relay, with the sessions that are (asks the relay).
     */
    public String notFoundMessage() {
        return conn == null ? "no session '" + url.sessionName() + "' of host '" + url.hostname() + "' at "
                + url.relay() : notFound().getMessage();
    }

    /** The URL read. */
    public LiveUrl url() {
        return url;
    }

    /**
     * The session's live timer period in µs, as the relay announced it when the reader attached (the longest of its
     * relay sessions: per domain and bitness); 0 when not attached yet. Every stream's data reaches the relay at
     * least this often while the session records.
     */
    public long liveTimerMicros() {
        return liveTimerMicros;
    }

    /** The traces seen so far (one per domain and bitness, or per process with per-PID buffers). */
    public List<Trace> traces() {
        return new ArrayList<>(tracesByKey.values());
    }

    // ------------------------------------------------------------------------------------------ connection

    private void connect() {
        conn = ViewerConnection.open(url.host(), url.port(), (int) options.connectTimeout().toMillis(),
                (int) options.readTimeout().toMillis());
        conn.createViewerSession();
    }

    /**
     * Attaches to every relay session of the session (host and name) not attached yet: the relay has one per domain
     * and bitness, and, with per-process buffers, new ones while the session runs. True when at least one was
     * attached now. Sessions found after the first attach are read from their beginning (they are new).
     */
    private boolean establish() {
        List<RelaySession> matches = new ArrayList<>();
        List<RelaySession> listed = conn.listSessions();
        debug("sessions: " + listed);
        for (RelaySession r : listed) {
            if (r.hostname().equals(url.hostname()) && r.name().equals(url.sessionName())
                    && !sessions.containsKey(r.id())) {
                matches.add(r);
            }
        }
        boolean any = false;
        for (RelaySession r : matches) {
            StreamsReply reply = conn.attach(r.id(), options.fromBeginning() || everAttached);
            debug("attach " + r + ": status " + reply.status() + ", " + reply.streams());
            switch (reply.status()) {
                case ViewerConnection.ATTACH_OK -> {
                    sessions.put(r.id(), false);
                    liveTimerMicros = Math.max(liveTimerMicros, r.liveTimer());
                    addStreams(r.id(), reply.streams());
                    any = true;
                }
                case ViewerConnection.ATTACH_UNK -> { } // destroyed between the list and the attach
                case ViewerConnection.ATTACH_ALREADY -> throw conn.error("refused the attach to session '" + r.name()
                        + "': another viewer is attached to it");
                case ViewerConnection.ATTACH_NOT_LIVE -> throw conn.error("refused the attach to session '"
                        + r.name() + "': it is not a live session (create it with 'lttng create --live')");
                default -> throw conn.error("refused the attach to session '" + r.name() + "' (status "
                        + Integer.toUnsignedString(reply.status()) + ")");
            }
        }
        if (any) {
            established = true;
            everAttached = true;
            newStreamsNeeded = true;
        }
        return any;
    }

    private LiveException notFound() {
        StringBuilder names = new StringBuilder();
        try {
            for (RelaySession r : conn.listSessions()) {
                String n = r.hostname() + "/" + r.name();
                if (names.indexOf(n) < 0) {
                    names.append(names.length() == 0 ? "" : ", ").append(n);
                }
            }
        } catch (LiveException e) {
            // the error below is the one that matters
        }
        return new LiveException("no session '" + url.sessionName() + "' of host '" + url.hostname() + "' on the "
                + conn.where() + " (sessions there: " + (names.length() == 0 ? "none" : names) + ")");
    }

    private void addStreams(long sessionId, List<RelayStream> list) {
        for (RelayStream r : list) {
            if (r.metadata()) {
                LiveTrace t = tracesByKey.computeIfAbsent(r.path(), k -> new LiveTrace(k, Path.of(relayLabel, k)));
                t.metadataStreamId = r.id();
                t.relaySessionId = sessionId;
                t.metadataNeeded = true;
                tracesByRelayId.put(r.traceId(), t);
            }
        }
        for (RelayStream r : list) {
            if (r.metadata()) {
                continue;
            }
            LiveTrace t = tracesByRelayId.get(r.traceId());
            if (t == null) {
                throw conn.error("announced stream " + Long.toUnsignedString(r.id()) + " (" + r.path() + "/"
                        + r.channel() + ") of trace " + Long.toUnsignedString(r.traceId())
                        + " without that trace's metadata stream");
            }
            String key = r.path() + "/" + r.channel();
            LiveStream s = streamsByKey.get(key);
            if (s == null || s.ended || s.state == LiveStream.State.HUNG_UP) {
                LiveStream before = s;
                s = new LiveStream(key, t, r.id(), Path.of(relayLabel, r.path(), r.channel()),
                        "stream-" + Long.toUnsignedString(r.id()));
                if (before != null) {
                    s.resume = before.position(); // a new stream of the same name (session created again)
                    s.fetchedBegin = before.fetchedBegin;
                    s.fetchedEnd = before.fetchedEnd;
                    s.fetchedOffset = before.fetchedOffset;
                } else if (options.resumeFrom() != null) {
                    s.resume = options.resumeFrom().get(key);
                }
                streamsByKey.put(key, s);
                t.streams.add(s);
                active.add(s);
            } else {
                s.relayId = r.id();
                s.nextQueryAt = 0;
            }
        }
    }

    /**
     * After a lost connection: connects again (with back-off, for {@link LiveOptions#reconnectFor()}) and re-attaches
     * from the beginning; the metadata is read again from its start and the packets already fetched are skipped.
     * Streams the relay no longer has end; when the session is gone (the relay restarted), the reader looks for it
     * again as for a session not found.
     */
    private void reconnect(ConnectionLost cause) {
        long deadline = System.nanoTime() + options.reconnectFor().toNanos();
        long wait = pollNanos;
        while (true) {
            if (conn != null) {
                conn.close();
                conn = null;
            }
            if (closed) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw cause;
            }
            sleep(Math.min(wait, Math.max(0, deadline - System.nanoTime())));
            wait = Math.min(wait * 2, 1_000_000_000L);
            try {
                connect();
                debug("reconnected to " + conn.where());
                for (LiveTrace t : tracesByKey.values()) {
                    t.resetMetadata();
                    t.metadataStreamId = -1;
                }
                tracesByRelayId.clear();
                sessions.clear();
                for (LiveStream s : active) {
                    s.relayId = -1;
                }
                established = false;
                boolean found = establish();
                for (LiveStream s : active) {
                    if (s.relayId == -1) {
                        s.hangUp(); // not on the relay any more: it ends after what was received
                    }
                }
                if (!found && options.sessionNotFound() == LiveOptions.SessionNotFound.FAIL) {
                    throw notFound();
                }
                return;
            } catch (ConnectionLost e) {
                cause = e;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    /** Moves to the next message, waiting as long as needed; false when the session ended or the reader closed. */
    @Override
    public boolean next() {
        return next(null) == Status.MESSAGE;
    }

    /**
     * Moves to the next message, waiting at most {@code maxWait} (null: no limit).
     *
     * @throws LiveException when the relay breaks the protocol or the connection is lost for good
     * @throws CtfException  when a packet cannot be decoded
     */
    public Status next(Duration maxWait) {
        busy = true;
        try {
            return advance(maxWait);
        } catch (LiveException e) {
            if (closed) {
                return Status.END;
            }
            throw e;
        } finally {
            busy = false;
        }
    }

    private Status advance(Duration maxWait) {
        long deadline = maxWait == null ? Long.MAX_VALUE : System.nanoTime() + Math.max(0, maxWait.toNanos());
        if (current != null) {
            current.hasHead = false;
            current = null;
        }
        while (true) {
            if (closed || ended) {
                return Status.END;
            }
            try {
                Status s = step(deadline);
                if (s != null) {
                    return s;
                }
            } catch (ConnectionLost e) {
                if (closed) {
                    return Status.END;
                }
                reconnect(e); // returns without a connection only when the reader was closed
            }
        }
    }

    /** One round: returns a status, or null to go round again. */
    private Status step(long deadline) {
        if (conn == null) {
            connect();
        }
        if (!established && !establish()) {
            boolean draining = false;
            for (LiveStream s : active) {
                draining |= !s.ended;
            }
            if (!draining) {
                if (options.sessionNotFound() == LiveOptions.SessionNotFound.END) {
                    ended = true;
                    return Status.END;
                }
                if (options.sessionNotFound() == LiveOptions.SessionNotFound.FAIL) {
                    throw notFound();
                }
                return pause(deadline, System.nanoTime() + pollNanos);
            }
        }
        long now = System.nanoTime();
        if (newStreamsNeeded || now - nextNewStreamsPoll >= 0) {
            pollNewStreams();
        }
        boolean progress = false;
        for (LiveStream s : active) {
            progress |= fill(s);
        }
        active.removeIf(s -> s.ended);
        LiveStream best = null;
        long bestTime = 0;
        for (LiveStream s : active) {
            if (!s.hasHead) {
                continue;
            }
            long t = effectiveTime(s);
            if (best == null || t < bestTime || (t == bestTime && MessageTieBreak.compare(s.cursor, best.cursor) < 0)) {
                best = s;
                bestTime = t;
            }
        }
        boolean blocked = false;
        long wakeAt = System.nanoTime() + pollNanos;
        for (LiveStream s : active) {
            if (s.hasHead) {
                continue;
            }
            if (s.state == LiveStream.State.QUIET && best != null && s.quietNanos >= bestTime) {
                continue;
            }
            blocked = true;
            wakeAt = Math.min(wakeAt, s.nextQueryAt);
        }
        if (best != null && !blocked) {
            return emit(best, bestTime);
        }
        if (established && active.isEmpty() && allSessionsClosed()) {
            if (options.sessionNotFound() != LiveOptions.SessionNotFound.CONTINUE) {
                ended = true;
                return Status.END;
            }
            established = false; // wait for the session (or a new one of that name) to come back
        }
        if (progress) {
            return null;
        }
        if (newStreamsNeeded) {
            return null;
        }
        return pause(deadline, wakeAt);
    }

    private Status pause(long deadline, long wakeAt) {
        long now = System.nanoTime();
        if (now - deadline >= 0) {
            return Status.WAITING;
        }
        long until = Math.min(deadline, wakeAt);
        sleep(Math.max(0, until - now));
        return null;
    }

    private boolean allSessionsClosed() {
        for (boolean c : sessions.values()) {
            if (!c) {
                return false;
            }
        }
        return true;
    }

    private long effectiveTime(LiveStream s) {
        long t = s.cursor.timeNanos();
        return t == ClockValue.NONE ? lastReturned : t;
    }

    private Status emit(LiveStream s, long t) {
        if (t < lastReturned) {
            MessageType type = s.cursor.type();
            if (type == MessageType.DISCARDED_EVENTS || type == MessageType.DISCARDED_PACKETS) {
                t = lastReturned; // its begin time comes from the packet before a beacon (babeltrace2 adjusts too)
            } else {
                throw new LiveException(s.file + ": a " + type + " message at " + t
                        + " ns comes before the previous message at " + lastReturned + " ns: cannot merge in order");
            }
        }
        lastReturned = t;
        current = s;
        if (s.lastType == MessageType.PACKET_END) {
            s.delivered(); // the checkpoint covers a packet as soon as its end is returned
        }
        return Status.MESSAGE;
    }

    /** Moves a stream toward its next message; true when something changed. */
    private boolean fill(LiveStream s) {
        boolean progress = false;
        while (!s.hasHead && !s.ended) {
            if (s.atPacketBoundary() && !s.hasReadyPacket() && s.state != LiveStream.State.HUNG_UP) {
                if (System.nanoTime() - s.nextQueryAt < 0) {
                    return progress;
                }
                if (!query(s)) {
                    return progress;
                }
                progress = true;
                continue;
            }
            if (s.cursor == null) {
                if (!s.hasReadyPacket()) {
                    s.ended = true; // hung up before any packet
                    return true;
                }
                ensureMetadata(s.trace);
                s.cursor = s.trace.decoder().openStream(s, s, s.trace.options());
            }
            progress = true;
            if (s.cursor.next()) {
                s.hasHead = true;
                s.lastType = s.cursor.type();
                if (s.lastType == MessageType.PACKET_BEGINNING && s.instanceId < 0) {
                    s.instanceId = instanceId(s.cursor.packet());
                }
            } else {
                s.ended = true;
                s.cursor.close(); // frees its buffers; the stream keeps only its position
                s.cursor = null;
            }
        }
        return progress;
    }

    /**
     * Asks the relay for a stream's next packet. True when the stream changed (a packet is ready, it hung up, or a
     * new beacon came), false when it has nothing new (asked again after the poll interval).
     */
    private boolean query(LiveStream s) {
        if (s.relayId < 0) {
            s.hangUp();
            return true;
        }
        LiveTrace t = s.trace;
        for (int attempt = 0; ; attempt++) {
            Index idx = conn.nextIndex(s.relayId);
            debug(s.name + " " + s.file + ": " + idx);
            flags(idx.flags(), t);
            switch (idx.status()) {
                case ViewerConnection.INDEX_OK -> {
                    if (attempt > 1_000_000) {
                        throw conn.error("keeps sending packets the reader already has (stream " + s.file + ")");
                    }
                    s.streamClassId = idx.streamClassId();
                    checkIndex(s, idx);
                    if (alreadyHave(s, idx)) {
                        continue;
                    }
                    if (t.metadataNeeded || !t.hasMetadata()) {
                        fetchMetadata(t); // the packet may need it: the relay refuses packets until it is read
                    }
                    byte[] data = packet(s, idx);
                    if (data == null) {
                        s.hangUp();
                        return true;
                    }
                    s.fetchedBegin = idx.tsBegin();
                    s.fetchedEnd = idx.tsEnd();
                    s.fetchedOffset = idx.offset();
                    s.setReady(new PacketIndexEntry(s.file, idx.offset(), idx.packetSizeBits(),
                            idx.contentSizeBits(), idx.tsBegin(), idx.tsEnd(), idx.discarded(), -1,
                            idx.streamClassId(), -1), data);
                    s.state = LiveStream.State.DATA;
                    return true;
                }
                case ViewerConnection.INDEX_RETRY -> {
                    if (s.state != LiveStream.State.QUIET) {
                        s.state = LiveStream.State.NO_DATA;
                    }
                    s.nextQueryAt = System.nanoTime() + pollNanos;
                    return false;
                }
                case ViewerConnection.INDEX_INACTIVE -> {
                    // A beacon of a stream that has sent no packet yet carries no stream class (-1): keep what a
                    // packet told us, so the tie-break of simultaneous messages always finds the stream's class
                    if (idx.streamClassId() >= 0) {
                        s.streamClassId = idx.streamClassId();
                    }
                    boolean changed = s.state != LiveStream.State.QUIET || idx.tsEnd() != s.quietCycles;
                    s.state = LiveStream.State.QUIET;
                    s.quietCycles = idx.tsEnd();
                    s.quietNanos = beaconNanos(s, idx.tsEnd());
                    s.nextQueryAt = changed ? System.nanoTime() : System.nanoTime() + pollNanos;
                    return changed;
                }
                case ViewerConnection.INDEX_HUP, ViewerConnection.INDEX_EOF -> {
                    s.hangUp();
                    return true;
                }
                case ViewerConnection.INDEX_ERR -> throw conn.error("reported an error for the next index of stream "
                        + s.file);
                default -> throw conn.error("sent unknown status " + Integer.toUnsignedString(idx.status())
                        + " for the next index of stream " + s.file);
            }
        }
    }

    private void checkIndex(LiveStream s, Index idx) {
        long size = idx.packetSizeBits();
        if (size <= 0 || (size & 7) != 0 || size / 8 > ViewerConnection.MAX_PACKET) {
            throw conn.error("sent an index with packet size " + Long.toUnsignedString(size) + " bits for stream "
                    + s.file + " (must be a positive multiple of 8, at most " + ViewerConnection.MAX_PACKET
                    + " bytes)");
        }
        if (Long.compareUnsigned(idx.contentSizeBits(), size) > 0) {
            throw conn.error("sent an index whose content size " + Long.toUnsignedString(idx.contentSizeBits())
                    + " bits exceeds its packet size " + size + " bits (stream " + s.file + ")");
        }
        if (idx.offset() < 0) {
            throw conn.error("sent an index with offset " + Long.toUnsignedString(idx.offset()) + " for stream "
                    + s.file);
        }
    }

    /** True when this packet was fetched before (reconnection) or delivered by the reader resumed from. */
    private static boolean alreadyHave(LiveStream s, Index idx) {
        if (s.fetchedOffset >= 0 && new LivePositions.Stream(s.key, 0, s.fetchedBegin, s.fetchedEnd,
                s.fetchedOffset).covers(idx.tsBegin(), idx.tsEnd(), idx.offset())) {
            return true;
        }
        return s.resume != null && s.resume.covers(idx.tsBegin(), idx.tsEnd(), idx.offset());
    }

    /** The packet's bytes, or null when the stream ended. */
    private byte[] packet(LiveStream s, Index idx) {
        int len = (int) (idx.packetSizeBits() / 8);
        long giveUp = System.nanoTime() + options.readTimeout().toNanos();
        while (true) {
            PacketReply r = conn.packet(s.relayId, idx.offset(), len);
            flags(r.flags(), s.trace);
            switch (r.status()) {
                case ViewerConnection.PACKET_OK -> {
                    return r.data();
                }
                case ViewerConnection.PACKET_EOF -> {
                    return null;
                }
                case ViewerConnection.PACKET_RETRY -> { }
                case ViewerConnection.PACKET_ERR -> {
                    if ((r.flags() & (ViewerConnection.FLAG_NEW_METADATA | ViewerConnection.FLAG_NEW_STREAM)) == 0) {
                        throw conn.error("reported an error for the packet at offset "
                                + Long.toUnsignedString(idx.offset()) + " of stream " + s.file);
                    }
                }
                default -> throw conn.error("sent unknown status " + Integer.toUnsignedString(r.status())
                        + " for the packet at offset " + idx.offset() + " of stream " + s.file);
            }
            if (s.trace.metadataNeeded) {
                fetchMetadata(s.trace);
            }
            if (newStreamsNeeded) {
                pollNewStreams();
            }
            if (System.nanoTime() - giveUp >= 0) {
                throw conn.error("did not deliver the packet at offset " + idx.offset() + " of stream " + s.file
                        + " within " + options.readTimeout().toMillis() + " ms");
            }
            if (r.status() == ViewerConnection.PACKET_RETRY) {
                sleep(pollNanos);
            }
        }
    }

    private void flags(int flags, LiveTrace t) {
        if ((flags & ViewerConnection.FLAG_NEW_METADATA) != 0) {
            t.metadataNeeded = true;
        }
        if ((flags & ViewerConnection.FLAG_NEW_STREAM) != 0) {
            newStreamsNeeded = true;
        }
    }

    private void pollNewStreams() {
        newStreamsNeeded = false;
        long now = System.nanoTime();
        nextNewStreamsPoll = now + pollNanos;
        if (now - nextSessionsPoll >= 0) {
            nextSessionsPoll = now + Math.max(pollNanos, 1_000_000_000L);
            establish(); // relay sessions of this session that appeared since (other domains, bitness)
        }
        for (Map.Entry<Long, Boolean> e : sessions.entrySet()) {
            if (e.getValue()) {
                continue;
            }
            StreamsReply r = conn.newStreams(e.getKey());
            debug("new streams of session " + e.getKey() + ": status " + r.status() + ", " + r.streams());
            switch (r.status()) {
                case ViewerConnection.NEW_STREAMS_OK -> addStreams(e.getKey(), r.streams());
                case ViewerConnection.NEW_STREAMS_NO_NEW -> { }
                case ViewerConnection.NEW_STREAMS_HUP -> e.setValue(true);
                case ViewerConnection.NEW_STREAMS_ERR -> throw conn.error("reported an error for the new streams of "
                        + "session " + url.sessionName());
                default -> throw conn.error("sent unknown status " + Integer.toUnsignedString(r.status())
                        + " for the new streams of session " + url.sessionName());
            }
        }
    }

    private void ensureMetadata(LiveTrace t) {
        if (t.metadataNeeded || !t.hasMetadata() || t.decoder() == null) {
            fetchMetadata(t);
        }
    }

    /** Fetches the metadata until the relay has no more, and parses it. */
    private void fetchMetadata(LiveTrace t) {
        if (t.metadataStreamId < 0) {
            throw conn.error("has no metadata stream for trace " + t.path);
        }
        long giveUp = System.nanoTime() + options.readTimeout().toNanos();
        while (true) {
            while (true) {
                MetadataReply r = conn.metadata(t.metadataStreamId);
                if (r.status() == ViewerConnection.METADATA_OK) {
                    t.appendMetadata(r.data());
                } else if (r.status() == ViewerConnection.METADATA_NO_NEW) {
                    break;
                } else if (r.status() == ViewerConnection.METADATA_ERR) {
                    throw conn.error("reported an error for the metadata of trace " + t.path);
                } else {
                    throw conn.error("sent unknown status " + Integer.toUnsignedString(r.status())
                            + " for the metadata of trace " + t.path);
                }
            }
            boolean late = System.nanoTime() - giveUp >= 0;
            if (t.hasMetadata() && t.parse(late)) {
                t.metadataNeeded = false;
                return;
            }
            if (late) {
                throw conn.error("sent no metadata for trace " + t.path + " within "
                        + options.readTimeout().toMillis() + " ms");
            }
            sleep(pollNanos); // metadata not complete yet
        }
    }

    private long beaconNanos(LiveStream s, long cycles) {
        ensureMetadata(s.trace);
        TraceClass tc = s.trace.traceClass();
        StreamClass sc = tc.streamClass(s.streamClassId);
        ClockClass clock = sc != null ? sc.defaultClock() : null;
        if (clock == null && !tc.clocks().isEmpty()) {
            clock = tc.clocks().values().iterator().next();
        }
        if (clock == null) {
            return Long.MAX_VALUE;
        }
        try {
            return clock.cyclesToNanosFromOrigin(cycles);
        } catch (ArithmeticException e) {
            throw new LiveException(s.file + ": inactivity beacon time " + Long.toUnsignedString(cycles)
                    + " cycles overflows: " + e.getMessage());
        }
    }

    private static long instanceId(Packet p) {
        long[] id = {-1};
        p.accept(Scope.PACKET_HEADER, new FieldVisitor() {
            @Override
            public void integer(String name, IntegerClass type, long value) {
                if ("stream_instance_id".equals(name)) {
                    id[0] = value;
                }
            }
        });
        return id[0];
    }

    private void sleep(long nanos) {
        if (nanos <= 0 || closed) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    // ------------------------------------------------------------------------------------------ positions

    /**
     * The per-stream positions of the packets delivered so far (with those of the checkpoint this reader resumed
     * from): pass them to {@link LiveOptions#resumeFrom} to continue in a new reader.
     */
    public LivePositions positions() {
        Map<String, LivePositions.Stream> m = new LinkedHashMap<>();
        if (options.resumeFrom() != null) {
            for (LivePositions.Stream s : options.resumeFrom().streams()) {
                m.put(s.stream(), s);
            }
        }
        for (LiveStream s : streamsByKey.values()) {
            LivePositions.Stream p = s.position();
            if (p != null) {
                m.put(p.stream(), p);
            }
        }
        return LivePositions.of(new ArrayList<>(m.values()));
    }

    /**
     * A lower bound of the time (ns from origin) of every message still to come: the time of the earliest ready
     * message, beacon or last delivered message. An event-time watermark for stream processors.
     */
    public long watermarkNanos() {
        long w = Long.MAX_VALUE;
        for (LiveStream s : active) {
            long t;
            if (s.hasHead && s != current) {
                t = effectiveTime(s);
            } else if (s.state == LiveStream.State.QUIET) {
                t = Math.max(s.quietNanos, lastReturned);
            } else {
                t = lastReturned;
            }
            w = Math.min(w, t);
        }
        return w == Long.MAX_VALUE ? lastReturned : w;
    }

    // ------------------------------------------------------------------------------------------ MessageCursor

    @Override
    protected MessageCursor delegate() {
        if (current == null) {
            throw noCurrentMessage();
        }
        return current.cursor;
    }

    @Override
    public DataStream stream() {
        return current == null ? null : current;
    }

    // ------------------------------------------------------------------------------------------ raw access

    /**
     * The stream key of the current message's stream (the relay's trace path and stream name, as in
     * {@link LivePositions}), or null when there is no current message.
     */
    public String currentStreamKey() {
        return current == null ? null : current.key;
    }

    /**
     * The raw bytes of the packet the current message belongs to (valid from its {@code PACKET_BEGINNING} until its
     * {@code PACKET_END} is returned; do not modify), or null: for consumers that store or ship packets as received.
     */
    public byte[] currentPacketBytes() {
        return current == null ? null : current.currentBytes();
    }

    /** The relay's index entry of the packet the current message belongs to, or null. */
    public PacketIndexEntry currentPacketEntry() {
        return current == null ? null : current.current;
    }

    /** A copy of the metadata bytes received so far for a trace of this session ({@link #traces()}). */
    public byte[] metadataBytes(Trace trace) {
        if (!(trace instanceof LiveTrace t)) {
            throw new IllegalArgumentException("not a trace of this live session: " + trace);
        }
        return t.metadataBytes();
    }

    /** Detaches from the session and closes the connection; a waiting {@link #next()} returns false. */
    @Override
    public void close() {
        if (released) {
            return;
        }
        released = true;
        closed = true;
        ViewerConnection c = conn;
        if (c != null) {
            if (!busy) {
                try {
                    for (Long id : sessions.keySet()) {
                        c.detach(id);
                    }
                } catch (RuntimeException e) {
                    // closing anyway
                }
            }
            c.close();
        }
        for (LiveStream s : streamsByKey.values()) {
            if (s.cursor != null) {
                s.cursor.close();
            }
        }
    }
}
