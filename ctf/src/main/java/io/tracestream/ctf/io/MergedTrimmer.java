package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.meta.ClockClass;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps the messages of a time-ordered sequence (the muxer's output, or one stream) that fall in
 * {@code [begin, end]}, as babeltrace2 2.0 does: a seek of the upstream iterator to {@code begin} (the library's
 * "auto-seek"), then {@code flt.utils.trimmer}. For {@code --begin}/{@code --end} babeltrace2 trims the muxer's
 * output; with {@code --stream-intersection} it trims each stream before the muxer.
 *
 * <p>Seek to {@code begin}: messages before it are dropped while each stream's state is followed. A discarded-items
 * message that starts before {@code begin} and ends at or after it is kept, starting at {@code begin}, with an
 * unknown count. At the first other message at or after {@code begin}, the streams that exist are restored first: a
 * stream beginning (timed at {@code begin} when the stream has shown a time) and, for those inside a packet, a
 * packet beginning timed at {@code begin}; then the kept discarded-items messages; then that message.
 *
 * <p>Trim at {@code end}: the first message after {@code end} ends every stream still open (a packet end if inside a
 * packet, then a stream end, timed at {@code end}) and nothing more is read. A discarded-items message that ends
 * after {@code end} ends at {@code end}, with an unknown count. Messages without a time never trigger a bound.
 *
 * <p>Restored and ended streams come in the order their stream beginnings were seen (babeltrace2 uses the order of a
 * hash table, which changes from run to run). Trimming needs clocks: a stream without one is an error, as in
 * babeltrace2.
 */
public final class MergedTrimmer implements MessageCursor {
    private static final class State {
        final DataStream stream;
        final ClockClass clock;
        final boolean packetsHaveBegin;
        boolean inPacket;
        boolean seenCs;
        Packet packet;

        State(DataStream stream) {
            this.stream = stream;
            this.clock = stream.streamClass().defaultClock();
            if (clock == null) {
                throw new CtfException("cannot trim " + (stream.file() != null ? stream.file() : stream.name())
                        + " by time: its stream class has no clock");
            }
            this.packetsHaveBegin = new MessageOrder.StreamKey(stream).packetsHaveBegin;
        }
    }

    /** A message this trimmer makes (or keeps a copy of) instead of the upstream's current one. */
    private record Pending(MessageType type, DataStream stream, Packet packet, long ns, long cycles,
                           Discarded discarded) {
    }

    private final MessageCursor up;
    private final long begin;
    private final long end;
    private final Map<DataStream, State> states = new LinkedHashMap<>();
    private final Map<DataStream, State> known = new IdentityHashMap<>();
    private boolean seeking;
    private boolean done;

    private final List<Pending> pending = new ArrayList<>();
    private final List<Pending> held = new ArrayList<>();
    private int pos = -1;
    /** Whether the upstream's current message follows the pending ones. */
    private boolean upstreamLast;
    private boolean stopAfterQueue;
    private final SimpleDiscarded rewritten = new SimpleDiscarded();
    private boolean upstreamRewritten;

    /**
     * @param begin first time kept (ns from origin), or {@link Long#MIN_VALUE}
     * @param end   last time kept, or {@link Long#MAX_VALUE}
     */
    public MergedTrimmer(MessageCursor upstream, long begin, long end) {
        this.up = upstream;
        this.begin = begin;
        this.end = end;
        this.seeking = begin != Long.MIN_VALUE;
    }

    @Override
    public boolean next() {
        if (pos >= 0) {
            pos++;
            if (pos < size()) {
                return true;
            }
            pending.clear();
            pos = -1;
            upstreamLast = false;
            upstreamRewritten = false;
            if (stopAfterQueue) {
                done = true;
            }
        }
        if (done) {
            return false;
        }
        if (seeking) {
            return seek();
        }
        if (!up.next()) {
            done = true;
            return false;
        }
        return handle(up.type(), up.timeNanos());
    }

    private int size() {
        return pending.size() + (upstreamLast ? 1 : 0);
    }

    private boolean onPending() {
        return pos >= 0 && pos < pending.size();
    }

    private State state(DataStream s) {
        State st = known.get(s);
        if (st == null) {
            st = new State(s);
            known.put(s, st);
        }
        return st;
    }

    private boolean seek() {
        while (up.next()) {
            MessageType type = up.type();
            long t = up.timeNanos();
            if (type == MessageType.DISCARDED_EVENTS || type == MessageType.DISCARDED_PACKETS) {
                Discarded d = up.discarded();
                if (d.beginNanos() != ClockValue.NONE && d.beginNanos() >= begin) {
                    return firstAfterBegin(type, t);
                }
                if (d.endNanos() != ClockValue.NONE && d.endNanos() >= begin) {
                    // Kept, starting at begin, count unknown; the seek goes on.
                    State s = state(up.stream());
                    SimpleDiscarded copy = new SimpleDiscarded().set(d.stream(), -1,
                            BtClock.cyclesFromNs(s.clock, begin), begin, d.endCycles(), d.endNanos());
                    held.add(new Pending(type, up.stream(), null, begin, copy.beginCycles(), copy));
                    continue;
                }
            } else if (t != ClockValue.NONE && t >= begin) {
                return firstAfterBegin(type, t);
            }
            track(type, t, true);
        }
        done = true;
        return false;
    }

    /** Restores the streams, releases the kept discarded items, then handles the first message at/after begin. */
    private boolean firstAfterBegin(MessageType type, long t) {
        seeking = false;
        pending.clear();
        for (State s : states.values()) {
            long c = s.seenCs ? BtClock.cyclesFromNs(s.clock, begin) : ClockValue.NONE;
            pending.add(new Pending(MessageType.STREAM_BEGINNING, s.stream, null, s.seenCs ? begin : ClockValue.NONE,
                    c, null));
            if (s.inPacket) {
                boolean pb = s.packetsHaveBegin;
                pending.add(new Pending(MessageType.PACKET_BEGINNING, s.stream, s.packet,
                        pb ? begin : ClockValue.NONE, pb ? BtClock.cyclesFromNs(s.clock, begin) : ClockValue.NONE,
                        null));
            }
        }
        for (Pending h : held) {
            pending.add(endTrimmed(h));
        }
        held.clear();
        return handle(type, t);
    }

    /** A kept discarded-items message with its end cut at {@code end} when it goes past it. */
    private Pending endTrimmed(Pending h) {
        Discarded d = h.discarded();
        if (end == Long.MAX_VALUE || d.endNanos() == ClockValue.NONE || d.endNanos() <= end) {
            return h;
        }
        State s = state(h.stream());
        SimpleDiscarded copy = new SimpleDiscarded().set(d.stream(), -1, d.beginCycles(), d.beginNanos(),
                BtClock.cyclesFromNs(s.clock, end), end);
        return new Pending(h.type(), h.stream(), null, h.ns(), h.cycles(), copy);
    }

    /** Decides about the upstream's current message (after any pending ones). */
    private boolean handle(MessageType type, long t) {
        if (pastEnd(type, t)) {
            endAll();
        } else {
            track(type, t, false);
            upstreamLast = true;
            if ((type == MessageType.DISCARDED_EVENTS || type == MessageType.DISCARDED_PACKETS)
                    && end != Long.MAX_VALUE) {
                Discarded d = up.discarded();
                if (d.endNanos() != ClockValue.NONE && d.endNanos() > end) {
                    rewritten.set(d.stream(), -1, d.beginCycles(), d.beginNanos(),
                            BtClock.cyclesFromNs(state(up.stream()).clock, end), end);
                    upstreamRewritten = true;
                }
            }
        }
        if (size() == 0) {
            done = true;
            return false;
        }
        pos = 0;
        return true;
    }

    private boolean pastEnd(MessageType type, long t) {
        if (end == Long.MAX_VALUE) {
            return false;
        }
        if (type == MessageType.DISCARDED_EVENTS || type == MessageType.DISCARDED_PACKETS) {
            long b = up.discarded().beginNanos();
            return b != ClockValue.NONE && b > end;
        }
        return t != ClockValue.NONE && t > end;
    }

    private void track(MessageType type, long t, boolean skipping) {
        DataStream s = up.stream();
        switch (type) {
            case STREAM_BEGINNING: {
                State st = state(s);
                st.inPacket = false;
                st.seenCs = t != ClockValue.NONE;
                states.put(s, st);
                break;
            }
            case STREAM_END:
                states.remove(s);
                break;
            case PACKET_BEGINNING: {
                State st = state(s);
                st.inPacket = true;
                st.packet = up.packet();
                st.seenCs |= skipping ? st.packetsHaveBegin : t != ClockValue.NONE;
                break;
            }
            case PACKET_END: {
                State st = state(s);
                st.inPacket = false;
                st.seenCs |= t != ClockValue.NONE;
                break;
            }
            case EVENT:
                state(s).seenCs = true;
                break;
            case DISCARDED_EVENTS:
            case DISCARDED_PACKETS:
                state(s).seenCs |= up.discarded().beginNanos() != ClockValue.NONE;
                break;
            default:
                break;
        }
    }

    private void endAll() {
        for (Iterator<State> it = states.values().iterator(); it.hasNext(); ) {
            State s = it.next();
            if (s.inPacket) {
                pending.add(new Pending(MessageType.PACKET_END, s.stream, s.packet, end,
                        BtClock.cyclesFromNs(s.clock, end), null));
            }
            pending.add(new Pending(MessageType.STREAM_END, s.stream, null, s.seenCs ? end : ClockValue.NONE,
                    s.seenCs ? BtClock.cyclesFromNs(s.clock, end) : ClockValue.NONE, null));
            it.remove();
        }
        stopAfterQueue = true;
    }

    private Pending cur() {
        return pending.get(pos);
    }

    @Override
    public MessageType type() {
        return onPending() ? cur().type() : up.type();
    }

    @Override
    public DataStream stream() {
        return onPending() ? cur().stream() : up.stream();
    }

    @Override
    public Packet packet() {
        if (onPending()) {
            Pending p = cur();
            return p.type() == MessageType.PACKET_BEGINNING || p.type() == MessageType.PACKET_END ? p.packet() : null;
        }
        return up.packet();
    }

    @Override
    public EventRecord event() {
        return onPending() ? null : up.event();
    }

    @Override
    public Discarded discarded() {
        if (onPending()) {
            return cur().discarded();
        }
        return upstreamRewritten ? rewritten : up.discarded();
    }

    @Override
    public long timeNanos() {
        return onPending() ? cur().ns() : up.timeNanos();
    }

    @Override
    public long timeCycles() {
        return onPending() ? cur().cycles() : up.timeCycles();
    }

    @Override
    public void close() {
        up.close();
    }
}
