package io.tracestream.ctf.decode;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StructClass;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The messages of one data stream, following babeltrace2's {@code src.ctf.fs} message iterator: the stream's
 * default clock value persists across packets and is updated by every clock-mapped integer field (but
 * {@code timestamp_end}); discarded events come from {@code events_discarded} deltas and discarded packets from
 * {@code packet_seq_num} gaps, both emitted before the packet beginning of the packet that shows them.
 */
final class StreamCursor implements MessageCursor {
    private static final int OPEN = 0, BEGIN_STREAM = 1, DISC_EVENTS = 2, DISC_PACKETS = 3, BEGIN_PACKET = 4,
            EVENTS = 5, QUEUED_EVENT = 6, END_PACKET = 7, QUEUED_END_PACKET = 8, DONE = 9;

    private TraceDecoder dec;
    private final DataStream stream;
    private final List<PacketIndexEntry> packets;
    /** The growing source of packets of a live stream, or null when the packets are the fixed list. */
    private final PacketFeed feed;
    private final DecodeOptions opt;
    private Machine m;
    private final FileWindows files = new FileWindows();
    private ClockClass clock;
    private final TraceDecoder.Head head = new TraceDecoder.Head();
    private final PacketImpl packet = new PacketImpl();
    private final EventImpl event;
    private final DiscardedImpl discarded = new DiscardedImpl();

    private byte[] heap = new byte[1 << 16];
    private long[] pktLog = new long[256];
    private long[] evLog = new long[256];
    private int state = OPEN;
    private int index;
    private boolean begun;
    private boolean havePrev;
    private long prevDisc;
    private long prevSeq;
    private long prevTsEnd;
    private boolean delayedBegin;
    private boolean inPacket;

    private MessageType type;
    private long cycles = ClockValue.NONE;

    StreamCursor(TraceDecoder dec, DataStream stream, List<PacketIndexEntry> packets, DecodeOptions opt) {
        this(dec, stream, packets, null, opt);
    }

    /** A cursor over the packets a feed hands out one at a time (live streams). */
    StreamCursor(TraceDecoder dec, DataStream stream, PacketFeed feed, DecodeOptions opt) {
        this(dec, stream, List.of(), feed, opt);
    }

    private StreamCursor(TraceDecoder dec, DataStream stream, List<PacketIndexEntry> packets, PacketFeed feed,
                         DecodeOptions opt) {
        this.dec = dec;
        this.stream = stream;
        this.packets = packets;
        this.feed = feed;
        this.opt = opt;
        this.m = new Machine(dec.slotCount);
        this.clock = stream.streamClass() == null ? null : stream.streamClass().defaultClock();
        this.event = new EventImpl(stream, packet);
        this.event.machine = m;
        this.event.detachPacket = packet::detached;
    }

    @Override
    public boolean next() {
        // The hot path: the next event of the packet (kept small enough for the JIT compiler to inline it).
        if (state == EVENTS && !delayedBegin && m.pos < m.end) {
            try {
                decodeEvent();
            } catch (CtfException ex) {
                return eventFailed(ex);
            }
            type = MessageType.EVENT;
            cycles = clock != null ? m.clock : ClockValue.NONE;
            return true;
        }
        return step();
    }

    /** An event that cannot be decoded: rethrown, or (lenient mode) reported and the rest of the packet skipped. */
    private boolean eventFailed(CtfException ex) {
        if (!opt.lenient()) {
            throw ex;
        }
        opt.listener().skipped(packet.entry.file(), packet.entry.offset(), ex.getMessage());
        state = END_PACKET;
        return step();
    }

    /** The state machine: every message but the events that {@link #next} decodes itself. */
    private boolean step() {
        while (true) {
            switch (state) {
                case OPEN -> {
                    PacketIndexEntry e = feed != null ? feed.next() : index < packets.size() ? packets.get(index)
                            : null;
                    if (e == null) {
                        state = DONE;
                        if (begun) {
                            emit(MessageType.STREAM_END, ClockValue.NONE);
                            return true;
                        }
                        return false;
                    }
                    if (feed != null && feed.decoder() != dec) {
                        useDecoder(feed.decoder());
                    }
                    try {
                        openPacket(e);
                    } catch (CtfException ex) {
                        if (!opt.lenient()) {
                            throw ex;
                        }
                        opt.listener().skipped(e.file(), e.offset(), ex.getMessage());
                        index++;
                        continue;
                    }
                    state = BEGIN_STREAM;
                }
                case BEGIN_STREAM -> {
                    state = DISC_EVENTS;
                    if (!begun) {
                        begun = true;
                        emit(MessageType.STREAM_BEGINNING, ClockValue.NONE);
                        return true;
                    }
                }
                case DISC_EVENTS -> {
                    state = DISC_PACKETS;
                    if (discardedEvents()) {
                        return true;
                    }
                }
                case DISC_PACKETS -> {
                    state = BEGIN_PACKET;
                    if (discardedPackets()) {
                        return true;
                    }
                }
                case BEGIN_PACKET -> {
                    state = EVENTS;
                    inPacket = true;
                    if (opt.barectfEventBeforePacketQuirk()) {
                        delayedBegin = true;
                    } else {
                        emit(MessageType.PACKET_BEGINNING, head.sp.hasTsBegin ? head.tsBegin : ClockValue.NONE);
                        return true;
                    }
                }
                case EVENTS -> {
                    if (m.pos >= m.end) {
                        state = END_PACKET;
                        continue;
                    }
                    try {
                        decodeEvent();
                    } catch (CtfException ex) {
                        if (!opt.lenient()) {
                            throw ex;
                        }
                        opt.listener().skipped(packet.entry.file(), packet.entry.offset(), ex.getMessage());
                        state = END_PACKET;
                        continue;
                    }
                    if (delayedBegin) {
                        emitDelayedBegin();
                        state = QUEUED_EVENT;
                        return true;
                    }
                    emit(MessageType.EVENT, clock != null ? m.clock : ClockValue.NONE);
                    return true;
                }
                case QUEUED_EVENT -> {
                    state = EVENTS;
                    emit(MessageType.EVENT, clock != null ? m.clock : ClockValue.NONE);
                    return true;
                }
                case END_PACKET -> {
                    if (delayedBegin) {
                        emitDelayedBegin();
                        state = QUEUED_END_PACKET;
                        return true;
                    }
                    state = QUEUED_END_PACKET;
                }
                case QUEUED_END_PACKET -> {
                    endPacket();
                    return true;
                }
                case DONE -> {
                    return false;
                }
                default -> throw new IllegalStateException();
            }
        }
    }

    private void emit(MessageType t, long cyc) {
        type = t;
        cycles = cyc;
    }

    private void emitDelayedBegin() {
        delayedBegin = false;
        long c = head.tsBegin;
        if (head.sp.hasTsBegin && Long.compareUnsigned(m.clock, head.tsBegin) < 0) {
            c = m.clock;
        }
        emit(MessageType.PACKET_BEGINNING, head.sp.hasTsBegin ? c : ClockValue.NONE);
    }

    /** Switches to the decoder of grown metadata (live streams), keeping the stream's clock value. */
    private void useDecoder(TraceDecoder d) {
        Machine fresh = new Machine(d.slotCount);
        fresh.clock = m.clock;
        dec = d;
        m = fresh;
        event.machine = fresh;
    }

    private void openPacket(PacketIndexEntry e) {
        long total = e.totalSizeBits();
        if (feed != null && (total <= 0 || (total & 7) != 0)) {
            throw CtfException.atOffset(e.file(), e.offset(), "packet size " + total + " bits is not a positive "
                    + "multiple of 8");
        }
        if (total <= 0 || (total & 7) != 0) {
            long size = files.size(e.file());
            total = (size - e.offset()) * 8;
        }
        if (total / 8 > Integer.MAX_VALUE - 8) {
            throw CtfException.atOffset(e.file(), e.offset(), "packet of " + total / 8 + " bytes is larger than 2 GiB");
        }
        // Read the packet into a reused heap buffer: heap reads are cheaper than mapped ones, the copy costs a small
        // fraction of decoding the packet, and no mapping keeps file pages resident (memory stays flat however
        // large the trace).
        int size = (int) (total / 8);
        if (heap.length < size) {
            heap = new byte[(int) Math.max(size, Math.min(Integer.MAX_VALUE - 8, heap.length * 2L))];
        }
        if (feed != null) {
            feed.read(e, size, heap);
        } else {
            files.read(e.file(), e.offset(), size, heap);
        }
        ByteBuffer bb = ByteBuffer.wrap(heap, 0, size).slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        m.log = pktLog;
        dec.readHead(m, bb, e.file(), e.offset(), total, opt, head);
        pktLog = m.log;
        clock = head.sp.sc.defaultClock();
        packet.set(e, head, m, bb);
        event.buf = bb;
        // The packet keeps its log; events use the other one.
        m.log = evLog;
        m.n = 0;
    }

    private boolean discardedEvents() {
        TraceDecoder.StreamPlan sp = head.sp;
        if (!sp.hasDiscardedEvents) {
            return false;
        }
        boolean cs = sp.hasTsBegin && sp.hasTsEnd;
        if (!havePrev || prevDisc == -1) {
            if (head.disc == 0 || head.disc == -1) {
                return false;
            }
            discarded.set(-1, cs ? head.tsBegin : ClockValue.NONE, cs ? head.tsEnd : ClockValue.NONE);
        } else {
            if (head.disc - prevDisc == 0) {
                return false;
            }
            discarded.set(head.disc - prevDisc, cs ? prevTsEnd : ClockValue.NONE, cs ? head.tsEnd : ClockValue.NONE);
        }
        emit(MessageType.DISCARDED_EVENTS, discarded.beginCycles);
        return true;
    }

    private boolean discardedPackets() {
        TraceDecoder.StreamPlan sp = head.sp;
        if (!sp.hasDiscardedPackets || !havePrev || prevSeq == -1) {
            return false;
        }
        if (Long.compareUnsigned(head.seq - prevSeq, 1) <= 0) {
            return false;
        }
        boolean cs = sp.hasTsBegin && sp.hasTsEnd;
        discarded.set(head.seq - prevSeq - 1, cs ? prevTsEnd : ClockValue.NONE, cs ? head.tsBegin : ClockValue.NONE);
        emit(MessageType.DISCARDED_PACKETS, discarded.beginCycles);
        return true;
    }

    private void decodeEvent() {
        final Machine m = this.m;
        final EventImpl event = this.event;
        TraceDecoder.StreamPlan sp = head.sp;
        long start = m.pos;
        m.n = 0;
        if (sp.eventHeader != null) {
            event.starts[0] = 0;
            m.runHeader(sp.eventHeader);
        } else {
            event.starts[0] = -1;
        }
        TraceDecoder.EventPlan ep = sp.headerHasId ? sp.event(m.slots[Compiler.S_EVENT_ID]) : sp.eventWithoutId();
        if (ep == null) {
            throw noEventClass(sp, start);
        }
        int n0 = m.n;
        event.plan = ep;
        long pos = m.pos;
        long lazy = ep.lazyBits;
        if (lazy >= 0 && (pos & (ep.lazyAlign - 1)) == 0 && pos + lazy <= m.end) {
            // A fixed layout of byte-aligned fields with no side effects: decoded when first asked for.
            event.pending(pos, n0);
            m.pos = pos += lazy;
        } else {
            event.pending = false;
            m.run(ep.body);
            event.bodyDone(n0);
            pos = m.pos;
        }
        if (pos == start) {
            throw m.error(start, "event record of zero bits");
        }
        long[] log = m.log;
        evLog = log;
        event.log = log;
        event.n = m.n;
        event.walkScope = -1;
        ClockClass clock = this.clock;
        event.cycles = clock != null ? m.clock : ClockValue.NONE;
        event.clock = clock;
    }

    private CtfException noEventClass(TraceDecoder.StreamPlan sp, long start) {
        if (sp.headerHasId) {
            return m.error(start, "unknown event record class id " + Long.toUnsignedString(m.slots[Compiler.S_EVENT_ID])
                    + " in stream class " + sp.sc.id());
        }
        return m.error(start, "stream class " + sp.sc.id() + " has no event record class to decode with");
    }

    private void endPacket() {
        inPacket = false;
        boolean update = true;
        if (opt.lttngCrashQuirk() && head.tsBegin != 0 && head.tsEnd == 0) {
            update = false;
        }
        if (opt.lttngEventAfterPacketQuirk() && head.sp.hasTsEnd
                && Long.compareUnsigned(head.tsEnd, m.clock) < 0) {
            update = false;
        }
        if (head.sp.hasTsEnd && update) {
            m.clock = head.tsEnd;
        }
        emit(MessageType.PACKET_END, head.sp.hasTsEnd ? m.clock : ClockValue.NONE);
        havePrev = true;
        prevDisc = head.disc;
        prevSeq = head.seq;
        prevTsEnd = head.tsEnd;
        index++;
        state = OPEN;
    }

    @Override
    public MessageType type() {
        return type;
    }

    @Override
    public DataStream stream() {
        return stream;
    }

    @Override
    public Packet packet() {
        return type == MessageType.PACKET_BEGINNING || type == MessageType.EVENT || type == MessageType.PACKET_END
                ? packet : null;
    }

    @Override
    public EventRecord event() {
        return type == MessageType.EVENT ? event : null;
    }

    @Override
    public Discarded discarded() {
        return type == MessageType.DISCARDED_EVENTS || type == MessageType.DISCARDED_PACKETS ? discarded : null;
    }

    @Override
    public long timeNanos() {
        return toNanos(cycles);
    }

    @Override
    public long timeCycles() {
        return cycles;
    }

    /** The clock of 1 GHz whose ns from origin are {@link #nsBase} + cycles for cycles in [0, {@link #nsMax}]. */
    private ClockClass nsClock;
    private long nsBase;
    private long nsMax;

    private long toNanos(long c) {
        ClockClass cc = clock;
        if (c == ClockValue.NONE || cc == null) {
            return ClockValue.NONE;
        }
        if (cc == nsClock && Long.compareUnsigned(c, nsMax) <= 0) {
            return nsBase + c;
        }
        return toNanosSlow(cc, c);
    }

    private long toNanosSlow(ClockClass cc, long c) {
        if (cc.frequency() == 1_000_000_000L && nsClock != cc) {
            try {
                // ClockClass.cyclesToNanosFromOrigin's arithmetic at 1 GHz: the origin's ns plus the cycles
                long base = cc.cyclesToNanosFromOrigin(0);
                nsBase = base;
                nsMax = base > 0 ? Long.MAX_VALUE - base : Long.MAX_VALUE;
                nsClock = cc;
            } catch (ArithmeticException e) {
                // an origin out of the ns range: every conversion fails below
            }
        }
        try {
            return cc.cyclesToNanosFromOrigin(c);
        } catch (ArithmeticException e) {
            PacketIndexEntry p = packets.isEmpty() ? packet.entry : packets.get(Math.min(index, packets.size() - 1));
            if (p == null) {
                throw new CtfException(e.getMessage());
            }
            throw CtfException.atOffset(p.file(), p.offset(), e.getMessage());
        }
    }

    @Override
    public void close() {
        files.close();
        state = DONE;
    }

    /** The current packet (reused). */
    private final class PacketImpl implements Packet {
        PacketIndexEntry entry;
        long total;
        long content;
        long tsBegin;
        long tsEnd;
        long seq;
        long disc;
        long cpu;
        long[] log;
        int contextStart;
        ByteBuffer buf;
        TraceDecoder.StreamPlan sp;
        long headBits;
        int headLogSize;
        /** A detached copy of this packet, made for the first event copy of the packet. */
        Packet snapshot;

        void set(PacketIndexEntry e, TraceDecoder.Head h, Machine mm, ByteBuffer bb) {
            snapshot = null;
            headBits = h.headBits;
            headLogSize = mm.n;
            entry = e;
            total = h.totalBits;
            content = h.contentBits;
            tsBegin = h.tsBegin;
            tsEnd = h.tsEnd;
            seq = h.seq;
            disc = h.disc;
            cpu = h.cpu;
            log = mm.log;
            contextStart = h.contextLogStart;
            buf = bb;
            sp = h.sp;
        }

        /** A copy that stays valid after the cursor moves (header and context bytes and values copied). */
        Packet detached() {
            if (snapshot == null) {
                PacketImpl c = new PacketImpl();
                c.entry = entry;
                c.total = total;
                c.content = content;
                c.tsBegin = tsBegin;
                c.tsEnd = tsEnd;
                c.seq = seq;
                c.disc = disc;
                c.cpu = cpu;
                c.log = java.util.Arrays.copyOf(log, headLogSize);
                c.contextStart = contextStart;
                int bytes = (int) ((headBits + 7) >>> 3);
                byte[] a = new byte[bytes];
                buf.get(0, a, 0, bytes);
                c.buf = ByteBuffer.wrap(a).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                c.sp = sp;
                c.headBits = headBits;
                c.headLogSize = headLogSize;
                c.snapshot = c;
                snapshot = c;
            }
            return snapshot;
        }

        @Override
        public DataStream stream() {
            return stream;
        }

        @Override
        public long offset() {
            return entry.offset();
        }

        @Override
        public java.nio.file.Path file() {
            return entry.file();
        }

        @Override
        public long totalSizeBits() {
            return total;
        }

        @Override
        public long contentSizeBits() {
            return content;
        }

        @Override
        public long beginCycles() {
            return tsBegin;
        }

        @Override
        public long beginNanos() {
            return toNanos(tsBegin);
        }

        @Override
        public long endCycles() {
            return tsEnd;
        }

        @Override
        public long endNanos() {
            return toNanos(tsEnd);
        }

        @Override
        public long sequenceNumber() {
            return seq;
        }

        @Override
        public long discardedEventCounter() {
            return disc;
        }

        @Override
        public long cpuId() {
            return cpu;
        }

        @Override
        public void accept(Scope scope, FieldVisitor visitor) {
            if (scope == Scope.PACKET_HEADER) {
                StructClass h = dec.traceClass.packetHeader();
                if (h != null) {
                    LogWalker.walk(h, null, log, 0, buf, visitor);
                }
            } else if (scope == Scope.PACKET_CONTEXT) {
                StructClass c = sp.sc.packetContext();
                if (c != null) {
                    LogWalker.walk(c, null, log, contextStart, buf, visitor);
                }
            } else {
                throw new IllegalArgumentException("not a packet scope: " + scope);
            }
        }
    }

    /** The current discarded events/packets message (reused). */
    private final class DiscardedImpl implements Discarded {
        long count;
        long beginCycles;
        long endCycles;

        void set(long c, long b, long e) {
            count = c;
            beginCycles = b;
            endCycles = e;
        }

        @Override
        public DataStream stream() {
            return stream;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public long beginCycles() {
            return beginCycles;
        }

        @Override
        public long beginNanos() {
            return toNanos(beginCycles);
        }

        @Override
        public long endCycles() {
            return endCycles;
        }

        @Override
        public long endNanos() {
            return toNanos(endCycles);
        }
    }
}
