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
 * touching the heap. The merge allocates nothing per message.
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
        if (finished) {
            return false;
        }
        if (!started) {
            started = true;
            for (int i = 0; i < up.length; i++) {
                advance(i);
            }
        } else if (current >= 0) {
            int c = current;
            current = -1;
            if (pull(c)) {
                long t = ts[c];
                // Still strictly the earliest head (the common case within a packet): no heap or order work.
                if (floatingSize == 0 && t != ClockValue.NONE && t >= lastReturned
                        && (heapSize == 0 || t < ts[heap[0]])) {
                    lastReturned = t;
                    current = c;
                    return true;
                }
                file(c);
            }
        }
        int pick = select();
        if (pick < 0) {
            finished = true;
            return false;
        }
        long t = effectiveTime(pick);
        if (t < lastReturned) {
            String what = "cannot merge streams in time order: " + describe(pick) + " has a message at " + t
                    + " ns, before the previous message at " + lastReturned + " ns";
            Packet p = up[pick].packet() != null ? up[pick].packet() : lastPacket[pick];
            if (p != null && p.file() != null) {
                throw CtfException.atOffset(p.file(), p.offset(), what);
            }
            java.nio.file.Path f = up[pick].stream() != null ? up[pick].stream().file() : null;
            throw f != null ? CtfException.atOffset(f, 0, what) : new CtfException(what);
        }
        lastReturned = t;
        current = pick;
        return true;
    }

    /** Moves stream {@code i} to its next message and files it in the heap or the side list. */
    private void advance(int i) {
        if (pull(i)) {
            file(i);
        }
    }

    /** Moves stream {@code i} to its next message and sets its time; false when it ended. */
    private boolean pull(int i) {
        boolean has;
        try {
            has = up[i].next();
        } catch (CtfException e) {
            if (onError == null) {
                throw e;
            }
            onError.accept(keys[i] != null ? keys[i].stream : safeStream(up[i]), e);
            has = false;
        }
        if (!has) {
            ended[i] = true;
            return false;
        }
        if (keys[i] == null) {
            keys[i] = new MessageOrder.StreamKey(up[i].stream());
        }
        MessageType type = up[i].type();
        if (type == MessageType.STREAM_BEGINNING) {
            validateClock(i);
        } else if (type == MessageType.PACKET_BEGINNING) {
            lastPacket[i] = up[i].packet();
        }
        ts[i] = expectation == ClockExpectation.NONE ? ClockValue.NONE : up[i].timeNanos();
        return true;
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
        int k = 0;
        int half = heapSize >>> 1;
        while (k < half) {
            int child = 2 * k + 1;
            int right = child + 1;
            if (right < heapSize && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], last)) {
                break;
            }
            heap[k] = heap[child];
            k = child;
        }
        if (heapSize > 0) {
            heap[k] = last;
        }
        return top;
    }

    private void validateClock(int i) {
        DataStream s = keys[i].stream;
        ClockClass cc = s.streamClass().defaultClock();
        if (cc == null) {
            if (expectation == ClockExpectation.ANY) {
                expectation = ClockExpectation.NONE;
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
