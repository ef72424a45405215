package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The compiled decoder of one trace class: decoding plans for every scope (packet and stream scopes built by
 * {@link #compile}, those of an event class when an event of it is first decoded), per-stream message cursors and
 * packet scans. Thread-safe (an event class's plan is compiled once, under a lock, and published whole); each
 * cursor or scan has its own state.
 *
 * <pre>{@code
 * TraceDecoder dec = TraceDecoder.compile(traceClass);
 * List<PacketIndexEntry> packets = dec.scanPackets(streamFile);
 * try (MessageCursor c = dec.openStream(stream, packets)) {
 *     while (c.next()) { ... }
 * }
 * }</pre>
 */
public final class TraceDecoder {
    /** The CTF packet magic number. */
    public static final long MAGIC = 0xc1fc1fc1L;
    private static final long HEAD_PROBE = 64 << 10;

    final TraceClass traceClass;
    final int slotCount;
    final Program packetHeader;
    final boolean[] headerMeanings;
    private final Map<Long, StreamPlan> streams = new HashMap<>();
    private final StreamPlan onlyStream;

    private TraceDecoder(TraceClass tc) {
        this.traceClass = tc;
        Compiler c = new Compiler(tc);
        c.collect();
        this.packetHeader = c.compile(tc.packetHeader(), Scope.PACKET_HEADER, null, null);
        this.headerMeanings = meanings(packetHeader);
        StreamPlan only = null;
        List<StreamClass> classes = new ArrayList<>(tc.streamClasses());
        if (classes.isEmpty()) {
            // Packets with a header only (yactfr accepts such traces).
            classes.add(new StreamClass(0, null, null, null, null, null, null));
        }
        for (StreamClass sc : classes) {
            StreamPlan sp = new StreamPlan(sc, c);
            streams.put(sc.id(), sp);
            only = sp;
        }
        this.onlyStream = streams.size() == 1 ? only : null;
        this.slotCount = c.slotCount();
    }

    /**
     * Compiles the decoding plans of {@code tc}: those of the packet and stream scopes now, those of an event class
     * when an event of it is first decoded.
     */
    public static TraceDecoder compile(TraceClass tc) {
        return new TraceDecoder(tc);
    }

    public TraceClass traceClass() {
        return traceClass;
    }

    /**
     * A cursor over one data stream: STREAM_BEGINNING, for each packet (in list order) the discarded events and
     * discarded packets messages it implies, PACKET_BEGINNING, EVENTs, PACKET_END, and STREAM_END, as
     * babeltrace2's {@code src.ctf.fs} produces them. Strict: the first error throws {@link CtfException}.
     */
    public MessageCursor openStream(DataStream stream, List<PacketIndexEntry> packets) {
        return openStream(stream, packets, DecodeOptions.DEFAULT.withQuirksFor(traceClass));
    }

    /** As {@link #openStream(DataStream, List)} with options (lenient mode, quirks). */
    public MessageCursor openStream(DataStream stream, List<PacketIndexEntry> packets, DecodeOptions options) {
        return new StreamCursor(this, stream, List.copyOf(packets), options);
    }

    /**
     * A cursor over a stream whose packets arrive while it is read (LTTng live): as
     * {@link #openStream(DataStream, List, DecodeOptions)}, but packets come one at a time from {@code feed}, which
     * may also hand over a decoder compiled from grown metadata between packets.
     */
    public MessageCursor openStream(DataStream stream, PacketFeed feed, DecodeOptions options) {
        return new StreamCursor(this, stream, feed, options);
    }

    /** The packets of a stream file, from their headers and contexts (for traces without index files). */
    public List<PacketIndexEntry> scanPackets(Path file) {
        return scanPackets(file, DecodeOptions.DEFAULT);
    }

    /**
     * The packets of a stream file. In lenient mode a packet whose header or context is broken but whose size is
     * known is reported and skipped; when its size is unknown the rest of the file is reported and the scan stops.
     */
    public List<PacketIndexEntry> scanPackets(Path file, DecodeOptions options) {
        List<PacketIndexEntry> out = new ArrayList<>();
        Machine m = new Machine(slotCount);
        Head h = new Head();
        try (FileWindows w = new FileWindows()) {
            long size = w.size(file);
            long off = 0;
            while (off < size) {
                long rest = size - off;
                try {
                    h.totalBits = -1;
                    try {
                        readHead(m, w.slice(file, off, Math.min(rest, HEAD_PROBE)), file, off, rest * 8, options, h);
                    } catch (CtfException e) {
                        if (rest <= HEAD_PROBE) {
                            throw e;
                        }
                        h.totalBits = -1;
                        readHead(m, w.slice(file, off, Math.min(rest, Integer.MAX_VALUE - 8)), file, off,
                                rest * 8, options, h);
                    }
                    out.add(new PacketIndexEntry(file, off, h.totalBits, h.contentBits, h.tsBegin, h.tsEnd,
                            h.disc, h.seq, h.sp.sc.id(), h.instanceId));
                    off += h.totalBits / 8;
                } catch (CtfException e) {
                    if (!options.lenient()) {
                        throw e;
                    }
                    options.listener().skipped(file, off, e.getMessage());
                    if (h.totalBits > 0 && h.totalBits % 8 == 0 && h.totalBits / 8 <= rest) {
                        off += h.totalBits / 8;
                    } else {
                        break;
                    }
                }
            }
        }
        return out;
    }

    /**
     * The complete packets of a stream file that may still be growing, from byte {@code fromOffset} on: scanning
     * stops, without an error, at the first packet whose header or {@code packet_size} bytes are not all in the file
     * yet (a packet without {@code packet_size} is never complete here, since it extends to the end of the file).
     * Used to follow traces being written; {@link #scanPackets} reads finished files.
     *
     * @throws CtfException when a packet that is entirely in the file is invalid (bad magic, unknown stream class,
     *                      inconsistent sizes)
     */
    public List<PacketIndexEntry> scanCompletePackets(Path file, long fromOffset, DecodeOptions options) {
        List<PacketIndexEntry> out = new ArrayList<>();
        Machine m = new Machine(slotCount);
        Head h = new Head();
        try (FileWindows w = new FileWindows()) {
            long size = w.size(file);
            long off = fromOffset;
            while (off < size) {
                long rest = size - off;
                h.totalBits = -1;
                try {
                    readHead(m, w.slice(file, off, Math.min(rest, HEAD_PROBE)), file, off, Long.MAX_VALUE / 2,
                            options, h);
                } catch (CtfException e) {
                    if (rest <= HEAD_PROBE) {
                        break; // the header may not be all there yet
                    }
                    throw e;
                }
                if (h.totalBits > rest * 8 || h.totalBits >= Long.MAX_VALUE / 4) {
                    break;
                }
                out.add(new PacketIndexEntry(file, off, h.totalBits, h.contentBits, h.tsBegin, h.tsEnd,
                        h.disc, h.seq, h.sp.sc.id(), h.instanceId));
                off += h.totalBits / 8;
            }
        }
        return out;
    }

    StreamPlan streamPlan(long id) {
        return streams.get(id);
    }

    /** What a packet header and context say. Clock values are raw; absent values are -1 / NONE. */
    static final class Head {
        StreamPlan sp;
        long totalBits;
        long contentBits;
        long tsBegin;
        long tsEnd;
        long disc;
        long seq;
        long cpu;
        long instanceId;
        int contextLogStart;
        /** Bits taken by the packet header and context. */
        long headBits;
    }

    static boolean[] meanings(Program p) {
        return p == null ? new boolean[Compiler.MEANING_SLOTS] : p.meanings;
    }

    /**
     * Decodes the packet header and context of the packet at the start of {@code bb} and validates them; fills
     * {@code h}. {@code availableBits} bounds the packet (what the file or index says is there).
     */
    void readHead(Machine m, ByteBuffer bb, Path file, long off, long availableBits, DecodeOptions opt, Head h) {
        CtfException badMagic = null;
        try {
            readHead(m, bb, file, off, availableBits, opt, h, null);
        } catch (BadMagic e) {
            badMagic = e.error;
            h.totalBits = -1;
            // Read on to learn the packet's size, so that a lenient reader can skip it.
            try {
                readHead(m, bb, file, off, availableBits, opt.checks(false, opt.checkUuid()), h, null);
            } catch (CtfException ignored) {
                h.totalBits = -1;
            }
            throw badMagic;
        }
    }

    /** Signals a bad magic number from the inner {@code readHead}. */
    private static final class BadMagic extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CtfException error;

        BadMagic(CtfException error) {
            super(null, null, false, false);
            this.error = error;
        }
    }

    private void readHead(Machine m, ByteBuffer bb, Path file, long off, long availableBits, DecodeOptions opt, Head h,
                          Void unused) {
        CtfException badMagic = null;
        m.setPacket(bb, file, off, Math.min(availableBits, (long) bb.limit() * 8));
        m.n = 0;
        long[] s = m.slots;
        if (packetHeader != null) {
            m.run(packetHeader);
            if (opt.checkMagic() && headerMeanings[Compiler.S_MAGIC] && s[Compiler.S_MAGIC] != MAGIC) {
                badMagic = CtfException.atOffset(file, off, "bad packet magic number 0x"
                        + Long.toHexString(s[Compiler.S_MAGIC]) + " (expected 0xc1fc1fc1)");
            }
            if (opt.checkUuid()) {
                UUID want = traceClass.uuid();
                if (headerMeanings[Compiler.S_UUID_POS] && want != null) {
                    long p = s[Compiler.S_UUID_POS];
                    if ((p & 7) == 0 && p + 128 <= m.pos) {
                        int i = (int) (p >>> 3);
                        long hi = Long.reverseBytes(bb.getLong(i));
                        long lo = Long.reverseBytes(bb.getLong(i + 8));
                        if (hi != want.getMostSignificantBits() || lo != want.getLeastSignificantBits()) {
                            throw CtfException.atOffset(file, off + i, "packet UUID " + new UUID(hi, lo)
                                    + " differs from the trace UUID " + want);
                        }
                    }
                }
            }
        }
        if (badMagic != null) {
            throw new BadMagic(badMagic);
        }
        StreamPlan sp;
        if (headerMeanings[Compiler.S_SC_ID]) {
            sp = streams.get(s[Compiler.S_SC_ID]);
            if (sp == null) {
                throw CtfException.atOffset(file, off, "unknown stream class id "
                        + Long.toUnsignedString(s[Compiler.S_SC_ID]));
            }
        } else {
            sp = onlyStream != null ? onlyStream : streams.get(0L);
            if (sp == null) {
                throw CtfException.atOffset(file, off, "packet header has no stream_id and the trace has "
                        + streams.size() + " stream classes");
            }
        }
        h.sp = sp;
        h.instanceId = headerMeanings[Compiler.S_INSTANCE_ID] ? s[Compiler.S_INSTANCE_ID] : -1;
        h.contextLogStart = m.n;
        boolean[] cm = sp.contextMeanings;
        if (sp.packetContext != null) {
            m.run(sp.packetContext);
        }
        long total = cm[Compiler.S_TOTAL] ? s[Compiler.S_TOTAL] : -1;
        long content = cm[Compiler.S_CONTENT] ? s[Compiler.S_CONTENT] : -1;
        if (total < 0 && content >= 0) {
            total = content;
        } else if (total >= 0 && content < 0) {
            content = total;
        } else if (total < 0) {
            total = availableBits;
            content = availableBits;
        }
        h.totalBits = total;
        h.contentBits = content;
        if ((total & 7) != 0) {
            throw CtfException.atOffset(file, off, "packet size " + total + " bits is not a multiple of 8");
        }
        if (Long.compareUnsigned(content, total) > 0) {
            throw CtfException.atOffset(file, off, "packet content size " + Long.toUnsignedString(content)
                    + " bits is larger than the packet size " + total + " bits");
        }
        if (content < m.pos) {
            throw CtfException.atOffset(file, off, "packet content size " + content
                    + " bits is smaller than its header and context (" + m.pos + " bits)");
        }
        if (total > availableBits) {
            throw CtfException.atOffset(file, off, "packet size " + total / 8 + " bytes goes beyond the end of the "
                    + "data (" + availableBits / 8 + " bytes)");
        }
        if (total == 0) {
            throw CtfException.atOffset(file, off, "packet size is 0");
        }
        h.tsBegin = cm[Compiler.S_TS_BEGIN] ? s[Compiler.S_TS_BEGIN] : io.tracestream.ctf.ClockValue.NONE;
        h.tsEnd = cm[Compiler.S_TS_END] ? s[Compiler.S_TS_END] : io.tracestream.ctf.ClockValue.NONE;
        h.disc = cm[Compiler.S_DISC] ? s[Compiler.S_DISC] : -1;
        h.seq = cm[Compiler.S_SEQ] ? s[Compiler.S_SEQ] : -1;
        h.cpu = cm[Compiler.S_CPU] ? s[Compiler.S_CPU] : -1;
        h.headBits = m.pos;
        m.end = content;
    }

    /** Compiled plans of one stream class. */
    static final class StreamPlan {
        final StreamClass sc;
        final Program packetContext;
        final Program eventHeader;
        final Program commonContext;
        final boolean[] contextMeanings;
        final boolean headerHasId;
        final boolean hasTsBegin;
        final boolean hasTsEnd;
        final boolean hasDiscardedEvents;
        final boolean hasDiscardedPackets;
        /**
         * Event plans by id, compiled when an event of the class is first decoded: a kernel trace declares hundreds
         * of event classes and uses few. Plans are immutable (final fields): one published by a racy read is whole.
         */
        private final EventPlan[] dense;
        private final EventClass[] denseClasses;
        private final Map<Long, EventPlan> sparse = new java.util.concurrent.ConcurrentHashMap<>();
        private final Map<Long, EventClass> sparseClasses = new HashMap<>();
        private final EventClass only;
        private final Compiler compiler;

        StreamPlan(StreamClass sc, Compiler c) {
            this.sc = sc;
            this.compiler = c;
            this.packetContext = c.compile(sc.packetContext(), Scope.PACKET_CONTEXT, sc, null);
            this.eventHeader = c.compile(sc.eventHeader(), Scope.EVENT_HEADER, sc, null);
            this.commonContext = c.compile(sc.eventCommonContext(), Scope.EVENT_COMMON_CONTEXT, sc, null);
            this.contextMeanings = meanings(packetContext);
            this.headerHasId = eventHeader != null && eventHeader.meaningsAnywhere[Compiler.S_EVENT_ID];
            this.hasTsBegin = contextMeanings[Compiler.S_TS_BEGIN];
            this.hasTsEnd = contextMeanings[Compiler.S_TS_END];
            this.hasDiscardedEvents = contextMeanings[Compiler.S_DISC];
            this.hasDiscardedPackets = contextMeanings[Compiler.S_SEQ];
            long max = -1;
            for (EventClass ec : sc.eventClasses()) {
                if (ec.id() >= 0 && ec.id() < 4096) {
                    max = Math.max(max, ec.id());
                }
            }
            dense = new EventPlan[(int) (max + 1)];
            denseClasses = new EventClass[(int) (max + 1)];
            java.util.Set<Long> ids = new java.util.HashSet<>();
            EventClass last = null;
            for (EventClass ec : sc.eventClasses()) {
                if (ec.id() >= 0 && ec.id() < dense.length) {
                    denseClasses[(int) ec.id()] = ec; // the last class of an id wins
                } else {
                    sparseClasses.put(ec.id(), ec);
                }
                ids.add(ec.id());
                last = ec;
            }
            only = ids.size() == 1 ? last : null;
        }

        EventPlan event(long id) {
            if (id >= 0 && id < dense.length) {
                EventPlan p = dense[(int) id];
                return p != null ? p : compileDense((int) id);
            }
            EventPlan p = sparse.get(id);
            return p != null || !sparseClasses.containsKey(id) ? p : compileSparse(id);
        }

        private EventPlan compileDense(int id) {
            EventClass ec = denseClasses[id];
            if (ec == null) {
                return null;
            }
            synchronized (compiler) {
                EventPlan p = dense[id];
                if (p == null) {
                    p = new EventPlan(ec, this, compiler);
                    dense[id] = p;
                }
                return p;
            }
        }

        private EventPlan compileSparse(long id) {
            synchronized (compiler) {
                EventPlan p = sparse.get(id);
                if (p == null) {
                    p = new EventPlan(sparseClasses.get(id), this, compiler);
                    sparse.put(id, p);
                }
                return p;
            }
        }

        /** How many event plans were compiled so far. */
        int compiledEventPlans() {
            synchronized (compiler) {
                int n = sparse.size();
                for (EventPlan p : dense) {
                    n += p == null ? 0 : 1;
                }
                return n;
            }
        }

        /** The event class when the header has no id: the only one, else id 0. */
        EventPlan eventWithoutId() {
            return only != null ? event(only.id()) : event(0);
        }
    }

    /** Compiled plans of one event class and its field-name lookups. */
    static final class EventPlan {
        final EventClass ec;
        final StreamPlan sp;
        final Program specificContext;
        final Program payload;
        /** Common context, specific context and payload in one program. */
        final Program body;
        /** Log index of each body part relative to the body start, -1 when in marks, MIN_VALUE when absent. */
        final int[] staticStarts;
        /**
         * When the body can be decoded lazily: its size in bits when it starts at a multiple of {@link #lazyAlign}
         * bits; else -1. Only bodies of byte-aligned fixed-size fields without side effects (no lengths,
         * selectors, clocks) qualify: skipping them cannot miss an error once the size fits the packet.
         */
        final long lazyBits;
        final long lazyAlign;

        private static long[] lazyLayout(Program[] parts, Program body) {
            long[] no = {-1, 1};
            int[] code = body.code;
            for (int pc = 0; pc < code.length; pc += Program.STRIDE) {
                int op = code[pc];
                boolean ok = switch (op) {
                    case Program.U8, Program.S8, Program.U16L, Program.S16L, Program.U16B, Program.S16B,
                            Program.U32L, Program.S32L, Program.U32B, Program.S32B, Program.U64L, Program.U64B ->
                            code[pc + 3] == 0;
                    case Program.BYTES, Program.ALIGN, Program.ARRS, Program.ARREND, Program.MARKLOG, Program.END ->
                            true;
                    default -> false;
                };
                if (!ok) {
                    return no;
                }
            }
            long align = 1;
            for (Program p : parts) {
                if (p != null) {
                    if (!p.root.isFixedSize()) {
                        return no;
                    }
                    align = Math.max(align, maxAlign(p.root));
                }
            }
            long pos = 0;
            for (Program p : parts) {
                if (p != null) {
                    pos = layout(p.root, pos);
                    if (pos < 0) {
                        return no;
                    }
                }
            }
            return new long[] {pos, align};
        }

        private static long maxAlign(io.tracestream.ctf.meta.FieldClass fc) {
            long a = fc.alignment();
            if (fc instanceof StructClass st) {
                for (StructClass.Member mb : st.members()) {
                    a = Math.max(a, maxAlign(mb.type()));
                }
            } else if (fc instanceof io.tracestream.ctf.meta.ArrayClass ac) {
                a = Math.max(a, maxAlign(ac.elementType()));
            }
            return a;
        }

        /** End bit of a fixed-size field starting at {@code pos} (after its alignment), or -1. */
        private static long layout(io.tracestream.ctf.meta.FieldClass fc, long pos) {
            long a = fc.alignment();
            pos = (pos + a - 1) & -a;
            if (fc instanceof StructClass st) {
                for (StructClass.Member mb : st.members()) {
                    pos = layout(mb.type(), pos);
                    if (pos < 0) {
                        return -1;
                    }
                }
                return pos;
            }
            if (fc instanceof io.tracestream.ctf.meta.ArrayClass ac && !Compiler.byteText(ac)) {
                if (ac.staticLength() > 4096) {
                    return -1;
                }
                for (long i = 0; i < ac.staticLength(); i++) {
                    pos = layout(ac.elementType(), pos);
                    if (pos < 0) {
                        return -1;
                    }
                }
                return pos;
            }
            long bits = fc.fixedSizeBits();
            return bits < 0 ? -1 : pos + bits;
        }
        /** name -> scope index (0 header, 1 common context, 2 specific context, 3 payload) << 24 | member. */
        final Map<String, Integer> lookup = new HashMap<>();

        EventPlan(EventClass ec, StreamPlan sp, Compiler c) {
            this.ec = ec;
            this.sp = sp;
            this.specificContext = c.compile(ec.specificContext(), Scope.EVENT_SPECIFIC_CONTEXT, sp.sc, ec);
            this.payload = c.compile(ec.payload(), Scope.EVENT_PAYLOAD, sp.sc, ec);
            int[] st = new int[3];
            int off = 0;
            Program[] parts = {sp.commonContext, specificContext, payload};
            for (int k = 0; k < 3; k++) {
                st[k] = off;
                if (parts[k] != null && off >= 0) {
                    int cnt = LogWalker.staticLogCount(parts[k].root);
                    off = cnt < 0 ? -1 : off + cnt;
                }
            }
            this.body = Program.fuse(st, parts);
            this.staticStarts = st;
            long[] lz = lazyLayout(parts, body);
            this.lazyBits = lz[0];
            this.lazyAlign = lz[1];
            add(3, ec.payload());
            add(2, ec.specificContext());
            add(1, sp.sc.eventCommonContext());
            add(0, sp.sc.eventHeader());
        }

        private void add(int scope, StructClass st) {
            if (st == null) {
                return;
            }
            for (int i = 0; i < st.memberCount(); i++) {
                lookup.putIfAbsent(st.member(i).name(), scope << 24 | i);
            }
        }

        Program program(int scope) {
            return switch (scope) {
                case 0 -> sp.eventHeader;
                case 1 -> sp.commonContext;
                case 2 -> specificContext;
                default -> payload;
            };
        }
    }
}
