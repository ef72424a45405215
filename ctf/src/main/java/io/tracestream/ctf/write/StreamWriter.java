package io.tracestream.ctf.write;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StreamClass;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Writes one data stream (one file of a trace, for instance {@code channel0_3}): packets of events of one stream
 * class. Created by {@link CtfWriter#openStream(StreamClass, long)}.
 *
 * <p>Events go into a packet buffer; a packet is written to the file when the next event does not fit in it (or on
 * {@link #flushPacket()} and {@link #close()}), with its packet header (magic, trace UUID, stream class id, stream
 * instance id) and packet context (timestamp_begin/end, content_size, packet_size, events_discarded,
 * packet_seq_num, and the members set by {@link #packetContext(String, long)}, for instance {@code cpu_id}) filled
 * in, and padded with zeros to the packet size. An event larger than a packet gets a packet of its own, as large
 * as needed (a multiple of the packet size). An LTTng index entry is kept for each packet.
 *
 * <p>Timestamps are raw clock values (cycles of the stream class's default clock). They should not decrease within
 * a stream: an event header field narrower than 64 bits (LTTng's compact header has a 27-bit timestamp) can only
 * encode a timestamp at most {@code 2^bits - 1} cycles after the previous one, and the writer picks the most
 * compact header encoding that can; when none can, {@link #beginEvent} throws.
 *
 * <p><b>Thread safety:</b> a stream writer and its {@link EventBuilder} must be used by one thread at a time (give
 * each thread its own stream, as LTTng does with per-CPU or per-thread buffers). Different stream writers of one
 * {@link CtfWriter} may be used by different threads concurrently.
 */
public final class StreamWriter implements Closeable {
    private static final long MAGIC = 0xC1FC1FC1L;

    private final CtfWriter owner;
    private final StreamPlan plan;
    private final Path file;
    private final FileChannel channel;
    private final long instanceId;
    private final long packetBits;
    /**
     * No packet_size in the packet context: the stream file is one packet. Its bytes are flushed as the buffer fills
     * (in multiples of the largest alignment, so alignment stays relative to the packet start), and the packet
     * context is written over the start of the file when the stream is closed.
     */
    private final boolean single;
    private final int flushAlignBytes;
    /** Single-packet mode: packet bits already flushed before {@code b.buf[0]}, and the first bytes as flushed. */
    private long baseBits;
    private byte[] head;
    private long contextEnd;
    private final byte[] uuid = new byte[16];
    private final BitBuffer b;
    private final long[] slots;
    private final long[] userValues;
    private final EventBuilder builder;
    private final PacketIndexWriter index;
    private final Map<EventClass, StreamPlan.EventPlan> plans = new IdentityHashMap<>();
    private StreamPlan.EventPlan[] byId = new StreamPlan.EventPlan[16];

    private boolean packetOpen;
    private long contextStart;
    private long firstEventPos;
    private long tsBegin;
    private long lastTs;
    private long tsEndOverride = -1;
    private boolean hasTsEndOverride;
    private long discarded;
    private long discardedInLastPacket;
    private long seq;
    private long fileOffset;
    private long eventCount;
    private long packetCount;
    private boolean closed;

    // State of the event being written.
    private long eventStart;
    private byte savedByte;
    private long eventTs;
    private long prevTs;
    private StreamPlan.EventPlan eventPlan;

    StreamWriter(CtfWriter owner, StreamPlan plan, Path file, long instanceId, int packetBytes, int indexMinor)
            throws IOException {
        this.owner = owner;
        this.plan = plan;
        this.file = file;
        this.instanceId = instanceId;
        this.single = !plan.hasPacketSize;
        this.packetBits = (long) packetBytes * 8;
        this.flushAlignBytes = Math.max(8, plan.maxAlignment() / 8);
        UUID u = plan.trace.uuid();
        if (u != null) {
            ByteBuffer.wrap(uuid).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
        }
        this.b = new BitBuffer(packetBytes + 64);
        this.slots = new long[Math.max(1, plan.slotCount())];
        this.userValues = new long[plan.userContextNames.size()];
        int cpu = plan.userContextNames.indexOf("cpu_id");
        if (cpu >= 0) {
            userValues[cpu] = instanceId;
        }
        this.builder = new EventBuilder(this, b, slots);
        this.index = indexMinor < 0 ? null : new PacketIndexWriter(indexMinor);
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** The stream class of this stream. */
    public StreamClass streamClass() {
        return plan.stream;
    }

    /** The data stream (instance) id written in each packet header. */
    public long instanceId() {
        return instanceId;
    }

    /** The stream file. */
    public Path file() {
        return file;
    }

    /** Number of events written so far. */
    public long eventCount() {
        return eventCount;
    }

    /** Number of packets written to the file so far. */
    public long packetCount() {
        return packetCount;
    }

    /** Bytes written to the stream file so far (whole packets). */
    public long bytesWritten() {
        return fileOffset;
    }

    /**
     * Starts an event record of class {@code ec} (of this stream's class) at raw clock value {@code timestamp},
     * writes its header and returns the (reused) builder for its fields. Call {@link EventBuilder#end()} before the
     * next event.
     */
    public EventBuilder beginEvent(EventClass ec, long timestamp) {
        if (builder.active) {
            throw new IllegalStateException("event '" + builder.eventClass().name()
                    + "' is not ended: call end() (or abort()) before starting another");
        }
        if (closed) {
            throw new IllegalStateException("stream " + file + " is closed");
        }
        StreamPlan.EventPlan p;
        long id = ec.id();
        if (id >= 0 && id < byId.length && (p = byId[(int) id]) != null && p.eventClass == ec) {
            // found
        } else {
            p = lookup(ec);
        }
        if (!packetOpen) {
            openPacket(timestamp);
        }
        eventPlan = p;
        eventTs = timestamp;
        startEvent();
        builder.start(ec, p.program, !single && (p.maxBits < 0 || eventStart + p.maxBits > packetBits));
        return builder;
    }

    private StreamPlan.EventPlan lookup(EventClass ec) {
        StreamPlan.EventPlan p = plans.get(ec);
        if (p == null) {
            p = plan.event(ec);
            plans.put(ec, p);
            long id = ec.id();
            if (id >= 0 && id < 1 << 16) {
                if (id >= byId.length) {
                    byId = java.util.Arrays.copyOf(byId, (int) Math.max(id + 1, byId.length * 2L));
                }
                byId[(int) id] = p;
            }
        }
        return p;
    }

    private void startEvent() {
        b.ensure(8);
        eventStart = b.pos;
        savedByte = b.buf[(int) (b.pos >>> 3)];
        prevTs = lastTs;
        writeHeader(eventPlan, eventTs);
        lastTs = eventTs;
    }

    /** Starts an event at the same timestamp as the previous one (or 0). */
    public EventBuilder beginEvent(EventClass ec) {
        return beginEvent(ec, lastTs);
    }

    /**
     * Writes the values {@code visitor}-style: a convenience for copying a decoded event whose fields arrive
     * through a {@link FieldVisitor}; same as {@code beginEvent(ec, timestamp).visitor()}.
     */
    public FieldVisitor beginEventVisitor(EventClass ec, long timestamp) {
        return beginEvent(ec, timestamp).visitor();
    }

    /** Counts {@code n} events as lost; the counter snapshot goes into the packet context's events_discarded. */
    public void discardEvents(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative discarded event count " + n);
        }
        discarded += n;
    }

    /** Sets the discarded event counter (a snapshot, as copied from another trace's packet context). */
    public void setDiscardedEventCounter(long total) {
        discarded = total;
    }

    /**
     * Sets a packet context member that the writer does not fill itself (for instance {@code cpu_id}, which
     * defaults to the instance id); it applies to the current packet and the following ones. Unknown names are
     * rejected.
     */
    public void packetContext(String name, long value) {
        int i = plan.userContextNames.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("stream class " + plan.stream.id() + " has no settable packet context"
                    + " member '" + name + "' (settable: " + plan.userContextNames + ")");
        }
        userValues[i] = value;
    }

    /**
     * Sets the timestamp_end of the current packet (default: the timestamp of its last event); it must not be
     * before that. Useful when a packet covers a time range longer than its events (for instance a tiler).
     */
    public void packetEndTimestamp(long timestamp) {
        tsEndOverride = timestamp;
        hasTsEndOverride = true;
    }

    /**
     * A visitor that takes a decoded packet context (for instance from the trace being copied): its top-level
     * integer members set the corresponding members of this stream's next packets ({@code events_discarded}
     * sets the discarded counter; sizes, timestamps and sequence numbers are recomputed and ignored).
     */
    public FieldVisitor packetContextVisitor() {
        return new FieldVisitor() {
            private int depth;

            @Override
            public void beginStruct(String name, io.tracestream.ctf.meta.StructClass type) {
                depth++;
            }

            @Override
            public void endStruct(String name, io.tracestream.ctf.meta.StructClass type) {
                depth--;
            }

            @Override
            public void integer(String name, IntegerClass type, long value) {
                if (depth > 1 || name == null) {
                    return;
                }
                if (name.equals("events_discarded")
                        || type.hasRole(IntegerClass.Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT)) {
                    discarded = value;
                    return;
                }
                int i = plan.userContextNames.indexOf(name);
                if (i >= 0) {
                    userValues[i] = value;
                }
            }
        };
    }

    /**
     * Starts a new packet with timestamp_begin {@code timestamp} (writing the current one first): the next events go
     * into it, and {@link #flushPacket()} writes it even without events. With {@link #packetEndTimestamp} a copy of a
     * packet keeps its time range, for instance a tiler's copies of LTTng's empty packets at a session's stop.
     */
    public void beginPacket(long timestamp) {
        checkIdle();
        if (closed) {
            throw new IllegalStateException("stream " + file + " is closed");
        }
        if (!single) {
            if (packetOpen) {
                closePacket();
            }
            openPacket(timestamp);
        }
    }

    /** Writes the current packet (if it has events or was started by {@link #beginPacket}) to the file now. */
    public void flushPacket() {
        checkIdle();
        if (packetOpen && !single) {
            closePacket();
        }
    }

    /**
     * Writes the last packet, and an empty packet when events were discarded after it (so readers see the loss),
     * and the index file. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        if (builder.active) {
            builder.abort();
        }
        try {
            if (packetOpen) {
                closePacket();
            }
            if (discarded != discardedInLastPacket && plan.hasDiscarded && !single) {
                openPacket(lastTs);
                closePacket();
            }
            closed = true;
            channel.close();
            if (index != null) {
                index.write(owner.indexFile(file));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        } finally {
            closed = true;
            owner.streamClosed(this);
        }
    }

    private void checkIdle() {
        if (builder.active) {
            throw new IllegalStateException("an event is being written: end() it first");
        }
    }

    // ------------------------------------------------------------------ called by EventBuilder

    void endEvent() {
        if (single) {
            if (b.pos > packetBits) {
                flushSingle();
            }
        } else if (b.pos > capacity() && eventStart > firstEventPos) {
            // Does not fit: move the event to a new packet.
            if (!builder.logged()) {
                throw new IllegalStateException("internal error: event '" + eventPlan.eventClass.name()
                        + "' overflowed its packet but its size bound said it could not");
            }
            long ts = eventTs;
            b.rollback(eventStart, savedByte);
            lastTs = prevTs;
            closePacket();
            openPacket(ts);
            startEvent();
            builder.replay();
        }
        eventCount++;
    }

    void abortEvent() {
        b.rollback(eventStart, savedByte);
        lastTs = prevTs;
    }

    private long capacity() {
        return packetBits;
    }

    // ------------------------------------------------------------------ packets

    private void writeHeader(StreamPlan.EventPlan p, long ts) {
        StreamPlan.HeaderCandidate[] hs = p.headers;
        StreamPlan.HeaderCandidate h = null;
        long prev = lastTs;
        for (StreamPlan.HeaderCandidate c : hs) {
            if (c.tsBits >= 64 || Long.compareUnsigned(ts, prev) >= 0 && Long.compareUnsigned(ts - prev,
                    1L << c.tsBits) < 0) {
                h = c;
                break;
            }
        }
        if (h == null) {
            throw new IllegalArgumentException("event '" + p.eventClass.name() + "': timestamp "
                    + Long.toUnsignedString(ts) + " cannot be encoded in the event header after timestamp "
                    + Long.toUnsignedString(prev) + " (the header's timestamp field is too narrow)");
        }
        BitBuffer buf = b;
        long id = p.eventClass.id();
        for (FixedField f : h.fields) {
            long v = switch (f.source) {
                case FixedField.EVENT_ID -> id;
                case FixedField.TIMESTAMP -> ts;
                case FixedField.CONST -> f.constant;
                default -> 0;
            };
            f.write(buf, v);
            if (f.slot >= 0) {
                slots[f.slot] = v;
            }
        }
    }

    private void openPacket(long ts) {
        BitBuffer buf = b;
        buf.pos = 0;
        for (FixedField f : plan.packetHeader) {
            long v = switch (f.source) {
                case FixedField.MAGIC -> MAGIC;
                case FixedField.UUID_BYTE -> uuid[(int) f.constant] & 0xFF;
                case FixedField.STREAM_CLASS_ID -> plan.stream.id();
                case FixedField.STREAM_INSTANCE_ID -> instanceId;
                default -> 0;
            };
            f.write(buf, v);
            if (f.slot >= 0) {
                slots[f.slot] = v;
            }
        }
        contextStart = buf.pos;
        // Leave the (fixed-size) packet context zero: it is written when the packet is closed.
        long p = buf.pos;
        for (FixedField f : plan.packetContext) {
            p = (p + f.align - 1) & -(long) f.align;
            p += f.size;
        }
        buf.pos = p;
        buf.ensure(0);
        contextEnd = p;
        firstEventPos = p;
        tsBegin = ts;
        lastTs = ts;
        hasTsEndOverride = false;
        packetOpen = true;
    }

    /** Single-packet mode: writes the whole bytes of the buffer (a multiple of the largest alignment) to the file. */
    private void flushSingle() {
        BitBuffer buf = b;
        int k = (int) (buf.pos >>> 3) / flushAlignBytes * flushAlignBytes;
        int headLength = (int) ((contextEnd + 7) >>> 3);
        if (head == null) {
            if (k < headLength) {
                return;
            }
            head = java.util.Arrays.copyOf(buf.buf, headLength);
        }
        write(buf.buf, 0, k, -1);
        int end = (int) ((buf.pos + 7) >>> 3);
        System.arraycopy(buf.buf, k, buf.buf, 0, end - k);
        java.util.Arrays.fill(buf.buf, end - k, end, (byte) 0);
        buf.pos -= (long) k << 3;
        baseBits += (long) k << 3;
    }

    private void write(byte[] bytes, int offset, int length, long position) {
        try {
            ByteBuffer bb = ByteBuffer.wrap(bytes, offset, length);
            while (bb.hasRemaining()) {
                if (position < 0) {
                    channel.write(bb);
                } else {
                    position += channel.write(bb, position);
                }
            }
        } catch (IOException e) {
            throw CtfException.atOffset(file, fileOffset, "cannot write packet: " + e.getMessage());
        }
        if (position < 0) {
            fileOffset += length;
        }
    }

    private void writeContext(BitBuffer target, long content, long total, long tsEnd) {
        target.pos = contextStart;
        for (FixedField f : plan.packetContext) {
            long v = switch (f.source) {
                case FixedField.TS_BEGIN -> tsBegin;
                case FixedField.TS_END -> tsEnd;
                case FixedField.CONTENT_SIZE -> content;
                case FixedField.PACKET_SIZE -> total;
                case FixedField.DISCARDED -> discarded;
                case FixedField.SEQ_NUM -> seq;
                case FixedField.USER -> userValues[plan.userContextNames.indexOf(f.name)];
                default -> 0;
            };
            f.write(target, v);
            if (f.slot >= 0) {
                slots[f.slot] = v;
            }
        }
    }

    private void closePacket() {
        BitBuffer buf = b;
        long content = baseBits + buf.pos;
        long packetStart = single ? 0 : fileOffset;
        long total = Math.max(packetBits, (content + packetBits - 1) / packetBits * packetBits);
        if (!plan.hasContentSize || single) {
            total = (content + 7) & ~7L; // no padding possible without content_size (or packet_size)
        }
        long tsEnd = hasTsEndOverride && Long.compareUnsigned(tsEndOverride, lastTs) > 0 ? tsEndOverride : lastTs;
        long pos = buf.pos;
        if (head == null) {
            writeContext(buf, content, total, tsEnd);
            buf.pos = pos;
            int bytes = (int) ((total - baseBits) >>> 3);
            if (bytes + 8 > buf.buf.length) {
                buf.ensure(total - content);
            }
            write(buf.buf, 0, bytes, -1);
        } else {
            // Single packet already partly flushed: write the rest, then the packet context over the file start.
            write(buf.buf, 0, (int) ((pos + 7) >>> 3), -1);
            BitBuffer h = new BitBuffer(head.length + 64);
            System.arraycopy(head, 0, h.buf, 0, head.length);
            writeContext(h, content, total, tsEnd);
            write(h.buf, 0, head.length, 0);
        }
        if (index != null) {
            index.add(packetStart, total, content, tsBegin, tsEnd, discarded, plan.stream.id(), instanceId, seq);
        }
        discardedInLastPacket = discarded;
        seq++;
        packetCount++;
        buf.reset();
        baseBits = 0;
        head = null;
        packetOpen = false;
    }
}
