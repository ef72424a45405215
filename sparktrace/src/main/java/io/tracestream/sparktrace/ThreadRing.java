package io.tracestream.sparktrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A single-producer single-consumer byte ring: the thread that owns it appends whole records, the flusher thread
 * reads them. No locks: the producer publishes its tail with a release store after copying a record, the consumer
 * publishes its head the same way after decoding records; each side reads the other's index with an acquire load.
 * When a record does not fit, it is dropped and counted (the count becomes the stream's discarded-event counter).
 *
 * <p>Record layout (little endian): {@code int length} (whole record, header included), {@code int eventTypeId},
 * {@code long timestamp}, then the payload encoded by {@link Emitter}.
 */
final class ThreadRing {
    static final int HEADER = 16;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle DROPPED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(ThreadRing.class, "head", long.class);
            TAIL = l.findVarHandle(ThreadRing.class, "tail", long.class);
            DROPPED = l.findVarHandle(ThreadRing.class, "dropped", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final byte[] buf;
    private final int mask;
    /** Index of this ring in its recorder (the data stream's instance id). */
    final int index;
    /** Linux thread id and process id of the owner thread. */
    final int tid;
    final int pid;
    /** The owner thread (to retire the ring once the thread has died and the ring is drained). */
    final Thread owner;

    // consumer-owned, producer reads
    @SuppressWarnings("unused")
    private volatile long head;
    // producer-owned, consumer reads
    @SuppressWarnings("unused")
    private volatile long tail;
    @SuppressWarnings("unused")
    private volatile long dropped;
    // producer only
    private long cachedHead;
    private long producerTail;
    private long producerDropped;
    /** Producer only: timestamp of the last record (timestamps never decrease within a ring). */
    long lastTimestamp;

    ThreadRing(int capacityPowerOfTwo, int index, int tid, int pid, Thread owner) {
        if (Integer.bitCount(capacityPowerOfTwo) != 1) {
            throw new IllegalArgumentException("ring capacity must be a power of two: " + capacityPowerOfTwo);
        }
        this.buf = new byte[capacityPowerOfTwo];
        this.mask = capacityPowerOfTwo - 1;
        this.index = index;
        this.tid = tid;
        this.pid = pid;
        this.owner = owner;
    }

    int capacity() {
        return buf.length;
    }

    // ------------------------------------------------------------------ producer

    /**
     * Appends {@code length} bytes of {@code record}; false (and the record counted as dropped) when the ring has no
     * room. Only the owner thread calls this.
     */
    boolean append(byte[] record, int length) {
        long t = producerTail;
        int cap = buf.length;
        if (t + length - cachedHead > cap) {
            cachedHead = (long) HEAD.getAcquire(this);
            if (t + length - cachedHead > cap) {
                DROPPED.setRelease(this, ++producerDropped);
                return false;
            }
        }
        int p = (int) (t & mask);
        int first = Math.min(length, cap - p);
        System.arraycopy(record, 0, buf, p, first);
        if (first < length) {
            System.arraycopy(record, first, buf, 0, length - first);
        }
        producerTail = t + length;
        TAIL.setRelease(this, producerTail);
        return true;
    }

    /** Counts one record as dropped. Only the owner thread calls this. */
    void drop() {
        DROPPED.setRelease(this, ++producerDropped);
    }

    /** Producer side: whether more than half of the ring is in use (time to wake the flusher). */
    boolean halfFull() {
        return producerTail - cachedHead > buf.length / 2;
    }

    // ------------------------------------------------------------------ consumer

    long publishedTail() {
        return (long) TAIL.getAcquire(this);
    }

    long consumerHead() {
        return (long) HEAD.getOpaque(this);
    }

    void release(long newHead) {
        HEAD.setRelease(this, newHead);
    }

    long droppedCount() {
        return (long) DROPPED.getAcquire(this);
    }

    /** Copies {@code length} bytes at ring position {@code pos} into {@code dst} (handles the wrap). */
    void copyOut(long pos, byte[] dst, int length) {
        int p = (int) (pos & mask);
        int first = Math.min(length, buf.length - p);
        System.arraycopy(buf, p, dst, 0, first);
        if (first < length) {
            System.arraycopy(buf, 0, dst, first, length - first);
        }
    }

    /** The little-endian int at ring position {@code pos}. */
    int intAt(long pos) {
        int v = 0;
        for (int i = 3; i >= 0; i--) {
            v = (v << 8) | (buf[(int) ((pos + i) & mask)] & 0xFF);
        }
        return v;
    }
}
