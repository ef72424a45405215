package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.meta.ClockClass;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * Merges the message cursors of several data streams into one sequence ordered by time, exactly as babeltrace2
 * 2.0's {@code flt.utils.muxer} does.
 *
 * <ul>
 * <li>A message's time is its default clock snapshot in ns from origin. A message without one (stream beginning and
 * end from CTF sources, packets of streams without packet times, everything when streams have no clock) takes the
 * time of the last message delivered, so it goes out as soon as it is at the head of its stream.</li>
 * <li>Equal times are ordered by {@link MessageOrder} (trace UUID, trace name, stream class id, stream id, message
 * type, ...); fully equal messages keep the order of the streams given.</li>
 * <li>A message earlier than the previous one delivered is an error (babeltrace2 stops there too).</li>
 * <li>Clocks must be correlatable: the first stream with a clock decides. If its clock's origin is the Unix epoch,
 * all clocks must be so; otherwise all must have its UUID, or all must have no UUID. Streams without a clock may
 * only be merged with streams without a clock.</li>
 * </ul>
 *
 * <p>Streams with timestamped heads sit in a binary heap keyed by (time, message order, stream position); heads
 * without a timestamp wait in a short side list, since their effective time is always the last delivered time. A
 * stream whose next message is still strictly the earliest (the common case within a packet) goes out again without
 * touching the heap; otherwise it takes the place of the heap's top, which goes out (one sift down). The merge
 * allocates nothing per message.
 */
public final class MessageMuxer extends ForwardingMessageCursor {
    private enum ClockExpectation { ANY, ABSOLUTE, NOT_ABS_SPEC_UUID, NOT_ABS_NO_UUID, NONE }

    private final MessageCursor[] up;
    /** Per stream, its current or last packet (a reused flyweight): where a time-order error is reported. */
    private final Packet[] lastPacket;
    private final MessageOrder.StreamKey[] keys;
    private final long[] ts;
    private final int[] heap;
    private int heapSize;
    private final int[] floating;
    private int floatingSize;
    private final boolean[] ended;
    private final BiConsumer<DataStream, CtfException> onError;
    private int current = -1;
    private boolean started;
    private boolean finished;
    private boolean closed;
    private long lastReturned = Long.MIN_VALUE;
    private ClockExpectation expectation = ClockExpectation.ANY;
    /** {@code expectation == NONE}: the streams have no clock, their messages no time. */
    private boolean noClocks;
    private UUID expectedUuid;
    private DataStream expectationSetter;

    /**
     * @param streams the per-stream cursors, in the order used when two messages are identical for
     *                {@link MessageOrder}
     * @param onError when non-null, a stream whose cursor throws a {@link CtfException} is reported to it and ended
     *                (lenient mode); when null the exception propagates
     */
    public MessageMuxer(List<? extends MessageCursor> streams, BiConsumer<DataStream, CtfException> onError) {
        int n = streams.size();
        this.up = streams.toArray(new MessageCursor[0]);
        this.lastPacket = new Packet[up.length];
        this.keys = new MessageOrder.StreamKey[n];
        this.ts = new long[n];
        this.heap = new int[n];
        this.floating = new int[n];
        this.ended = new boolean[n];
        this.onError = onError;
    }

    @Override
    public boolean next() {
        // The hot path, kept small enough for the JIT compiler to inline what it calls.
        int c = current;
        if (c >= 0) {
            current = -1;
            if (pull(c)) {
                long t = ts[c];
                // Still strictly the earliest head (the common case within a packet): no order work.
                if (floatingSize == 0 && t != ClockValue.NONE && t >= lastReturned
                        && (heapSize == 0 || t < ts[heap[0]])) {
                    lastReturned = t;
                    current = c;
                    return true;
                }
                return notEarliest(c, t);
            }
            return selectNext();
        }
        return nextNoCurrent();
    }

    /** {@link #next} before the first message, after the last, or after a stream ended. */
    private boolean nextNoCurrent() {
        if (finished) {
            return false;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < up.length; i++) {
                advance(i);
            }
        }
        return selectNext();
    }

    /**
     * Delivers the next message when stream {@code c}'s new head (at {@code t}) is not strictly the earliest. With
     * a time not before the last delivered, it is compared with the earliest head of the heap, which is not later:
     * the earlier one goes out, and when that is the heap's top, {@code c} takes its place (one sift instead of a
     * push and a pop).
     */
    private boolean notEarliest(int c, long t) {
        if (floatingSize != 0 || t == ClockValue.NONE || t < lastReturned) {
            file(c);
            return selectNext();
        }
        int top = heap[0];
        if (less(top, c)) {
            heap[0] = c;
            siftDown(0);
            long tt = ts[top];
            if (tt < lastReturned) {
                throw outOfOrder(top, tt);
            }
            lastReturned = tt;
            current = top;
            return true;
        }
        lastReturned = t;
        current = c;
        return true;
    }

    /** Delivers the head that goes next from the heap and the side list; false when all streams ended. */
    private boolean selectNext() {
        int pick = select();
        if (pick < 0) {
            finished = true;
            return false;
        }
        long t = effectiveTime(pick);
        if (t < lastReturned) {
            throw outOfOrder(pick, t);
        }
        lastReturned = t;
        current = pick;
        return true;
    }

    /** The error of stream {@code pick}'s head at {@code t}, earlier than the last message delivered. */
    private CtfException outOfOrder(int pick, long t) {
        String what = "cannot merge streams in time order: " + describe(pick) + " has a message at " + t
                + " ns, before the previous message at " + lastReturned + " ns";
        Packet p = up[pick].packet() != null ? up[pick].packet() : lastPacket[pick];
        if (p != null && p.file() != null) {
            return CtfException.atOffset(p.file(), p.offset(), what);
        }
        java.nio.file.Path f = up[pick].stream() != null ? up[pick].stream().file() : null;
        return f != null ? CtfException.atOffset(f, 0, what) : new CtfException(what);
    }

    /** Moves stream {@code i} to its next message and files it in the heap or the side list. */
    private void advance(int i) {
        if (pull(i)) {
            file(i);
        }
    }

    /** Moves stream {@code i} to its next message and sets its time; false when it ended. */
    private boolean pull(int i) {
        MessageCursor u = up[i];
        boolean has;
        try {
            has = u.next();
        } catch (CtfException e) {
            has = failed(i, e);
        }
        if (!has) {
            ended[i] = true;
            return false;
        }
        MessageType type = u.type();
        if (type != MessageType.EVENT || keys[i] == null) {
            notAnEvent(i, type);
        }
        ts[i] = noClocks ? ClockValue.NONE : u.timeNanos();
        return true;
    }

    /** Stream {@code i}'s cursor threw {@code e}: rethrown, or (lenient mode) reported and the stream ended. */
    private boolean failed(int i, CtfException e) {
        if (onError == null) {
            throw e;
        }
        onError.accept(keys[i] != null ? keys[i].stream : safeStream(up[i]), e);
        return false;
    }

    /** What {@link #pull} does for a message other than an event (or the first of a stream). */
    private void notAnEvent(int i, MessageType type) {
        if (keys[i] == null) {
            keys[i] = new MessageOrder.StreamKey(up[i].stream());
        }
        if (type == MessageType.STREAM_BEGINNING) {
            validateClock(i);
        } else if (type == MessageType.PACKET_BEGINNING) {
            lastPacket[i] = up[i].packet();
        }
    }

    /** Files stream {@code i}'s head in the heap, or in the side list when it has no time. */
    private void file(int i) {
        if (ts[i] == ClockValue.NONE) {
            floating[floatingSize++] = i;
        } else {
            heapPush(i);
        }
    }

    private static DataStream safeStream(MessageCursor c) {
        try {
            return c.stream();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private long effectiveTime(int i) {
        return ts[i] == ClockValue.NONE ? lastReturned : ts[i];
    }

    /** Picks the stream whose head goes next and removes it from its structure; -1 when all ended. */
    private int select() {
        if (floatingSize == 0) {
            return heapSize == 0 ? -1 : heapPop();
        }
        int bestPos = 0;
        for (int k = 1; k < floatingSize; k++) {
            if (orderCompare(floating[k], floating[bestPos]) < 0) {
                bestPos = k;
            }
        }
        int best = floating[bestPos];
        if (heapSize > 0 && ts[heap[0]] == lastReturned && orderCompare(heap[0], best) < 0) {
            return heapPop();
        }
        System.arraycopy(floating, bestPos + 1, floating, bestPos, floatingSize - bestPos - 1);
        floatingSize--;
        return best;
    }

    /** Message order for equal times; identical messages keep stream order. */
    private int orderCompare(int a, int b) {
        int c = MessageOrder.compare(keys[a], up[a], keys[b], up[b]);
        return c != 0 ? c : Integer.compare(a, b);
    }

    private boolean less(int a, int b) {
        if (ts[a] != ts[b]) {
            return ts[a] < ts[b];
        }
        return orderCompare(a, b) < 0;
    }

    private void heapPush(int i) {
        int k = heapSize++;
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            if (!less(i, heap[parent])) {
                break;
            }
            heap[k] = heap[parent];
            k = parent;
        }
        heap[k] = i;
    }

    private int heapPop() {
        int top = heap[0];
        int last = heap[--heapSize];
        if (heapSize > 0) {
            heap[0] = last;
            siftDown(0);
        }
        return top;
    }

    /** Moves the entry at heap position {@code k} down to its place. */
    private void siftDown(int k) {
        int e = heap[k];
        int half = heapSize >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < heapSize && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], e)) {
                break;
            }
            heap[k] = heap[child];
            k = child;
        }
        heap[k] = e;
    }

    private void validateClock(int i) {
        DataStream s = keys[i].stream;
        ClockClass cc = s.streamClass().defaultClock();
        if (cc == null) {
            if (expectation == ClockExpectation.ANY) {
                expectation = ClockExpectation.NONE;
                noClocks = true;
                expectationSetter = s;
            } else if (expectation != ClockExpectation.NONE) {
                throw clockError(s, "has no clock, but " + describeStream(expectationSetter) + " has one");
            }
            return;
        }
        if (expectation == ClockExpectation.ANY) {
            expectationSetter = s;
            if (cc.originIsUnixEpoch()) {
                expectation = ClockExpectation.ABSOLUTE;
            } else if (cc.uuid() != null) {
                expectation = ClockExpectation.NOT_ABS_SPEC_UUID;
                expectedUuid = cc.uuid();
            } else {
                expectation = ClockExpectation.NOT_ABS_NO_UUID;
            }
        }
        String first = describeStream(expectationSetter);
        switch (expectation) {
            case ABSOLUTE:
                if (!cc.originIsUnixEpoch()) {
                    throw clockError(s, "has clock '" + cc.name() + "' whose origin is not the Unix epoch, but "
                            + first + " has an absolute clock");
                }
                break;
            case NOT_ABS_NO_UUID:
                if (cc.originIsUnixEpoch()) {
                    throw clockError(s, "has the absolute clock '" + cc.name() + "', but " + first
                            + " has a clock with an unknown origin and no UUID");
                }
                if (cc.uuid() != null) {
                    throw clockError(s, "has clock '" + cc.name() + "' with UUID " + cc.uuid() + ", but " + first
                            + " has a clock with an unknown origin and no UUID");
                }
                break;
            case NOT_ABS_SPEC_UUID:
                if (cc.originIsUnixEpoch()) {
                    throw clockError(s, "has the absolute clock '" + cc.name() + "', but " + first
                            + " has a clock with an unknown origin (UUID " + expectedUuid + ")");
                }
                if (cc.uuid() == null) {
                    throw clockError(s, "has clock '" + cc.name() + "' with no UUID, but " + first
                            + " has a clock with an unknown origin and UUID " + expectedUuid);
                }
                if (!cc.uuid().equals(expectedUuid)) {
                    throw clockError(s, "has clock '" + cc.name() + "' with UUID " + cc.uuid() + ", but " + first
                            + " has a clock with an unknown origin and UUID " + expectedUuid);
                }
                break;
            case NONE:
                throw clockError(s, "has clock '" + cc.name() + "', but " + first + " has no clock");
            default:
                break;
        }
    }

    private static CtfException clockError(DataStream s, String what) {
        return new CtfException("cannot order the messages of several traces in time (their clocks cannot be "
                + "correlated): " + describeStream(s) + " " + what);
    }

    private static String describeStream(DataStream s) {
        if (s == null) {
            return "a stream";
        }
        String file = s.file() != null ? s.file().toString() : s.name();
        return "stream " + file;
    }

    private String describe(int i) {
        return describeStream(keys[i] != null ? keys[i].stream : null);
    }

    @Override
    protected MessageCursor delegate() {
        if (current < 0) {
            throw noCurrentMessage();
        }
        return up[current];
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RuntimeException first = null;
        for (MessageCursor c : up) {
            try {
                c.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        finished = true;
        current = -1;
        if (first != null) {
            throw first;
        }
    }
}
