package io.tracestream.ctf.text;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.decode.Utf8FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.zone.ZoneRules;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Prints messages as babeltrace2's {@code sink.text.pretty} component does, byte for byte: one line per event on
 * the output stream, and the discarded events / packets warnings on the error stream.
 *
 * <pre>{@code
 * try (MessageCursor c = ...) {
 *     new PrettyPrinter(new PrettyOptions(), System.out, System.err).print(c);
 * }
 * }</pre>
 *
 * <p>Lines are built in a reused byte buffer and written in large chunks; call {@link #flush()} (or use
 * {@link #print(MessageCursor)}, which flushes at the end). Not thread safe.
 */
public final class PrettyPrinter implements Utf8FieldVisitor {
    private static final long NS_PER_S = 1_000_000_000L;
    private static final int FLUSH_AT = 1 << 16;
    private static final String[] LOG_LEVELS = {
        "TRACE_EMERG", "TRACE_ALERT", "TRACE_CRIT", "TRACE_ERR", "TRACE_WARNING", "TRACE_NOTICE", "TRACE_INFO",
        "TRACE_DEBUG_SYSTEM", "TRACE_DEBUG_PROGRAM", "TRACE_DEBUG_PROCESS", "TRACE_DEBUG_MODULE",
        "TRACE_DEBUG_UNIT", "TRACE_DEBUG_FUNCTION", "TRACE_DEBUG_LINE", "TRACE_DEBUG",
    };
    private static final byte[] UNKNOWN_TIME = ascii("??:??:??.?????????");
    private static final byte[] UNKNOWN_DELTA = ascii("+?.?????????");
    private static final byte[] UNKNOWN_DELTA_CYCLES = ascii("+??????????\u003f\u003f");
    private static final byte[] COMMA = ascii(", ");
    private static final byte[] CONTAINER = ascii(" : container = ");
    /** " [0] = ", ", [1] = ", ...: array element prefixes with names. */
    private static final byte[][] INDEX_PREFIXES = new byte[256][];

    /** {@link #INDEX_PREFIXES} as {@link TextBuffer#words}. */
    private static final long[][] INDEX_WORDS = new long[INDEX_PREFIXES.length][];
    /** " " and ", " as {@link TextBuffer#words}: array element prefixes without names. */
    private static final long[][] SEPARATOR_WORDS = {TextBuffer.words(ascii(" ")), TextBuffer.words(ascii(", "))};

    static {
        for (int i = 0; i < INDEX_PREFIXES.length; i++) {
            INDEX_PREFIXES[i] = ascii((i == 0 ? " " : ", ") + "[" + i + "] = ");
            INDEX_WORDS[i] = TextBuffer.words(INDEX_PREFIXES[i]);
        }
    }
    private static final String BOLD = "\033[1m";
    private static final String RESET = "\033[0m";
    private static final byte[] C_RESET = ascii(RESET);
    private static final byte[] C_BOLD = ascii(BOLD);
    // babeltrace2 2.0 shows "bright" colours as bold + the normal colour by default.
    private static final byte[] C_UNKNOWN = ascii(BOLD + BOLD + "\033[31m");
    private static final byte[] C_EVENT_NAME = ascii(BOLD + BOLD + "\033[35m");
    private static final byte[] C_TIMESTAMP = ascii(BOLD + BOLD + "\033[33m");

    private final PrettyOptions opt;
    private final OutputStream out;
    private final OutputStream err;
    private final TextBuffer buf = new TextBuffer(FLUSH_AT + 4096);
    private final TextBuffer scratch = new TextBuffer(256);
    private final ZoneRules zone;
    private final boolean colors;

    private final Map<TraceClass, IrLayout> layouts = new IdentityHashMap<>();
    private final Map<EventClass, EventPlan> eventPlans = new IdentityHashMap<>();
    private final Map<DataStream, PacketCache> packetCaches = new IdentityHashMap<>();
    private static final int PLAN_CACHE = 64;
    private final EventPlan[] planCache = new EventPlan[PLAN_CACHE];
    private final PacketCache[] firstStreams = new PacketCache[8];

    // babeltrace2's pretty component state: -1 means "none yet" for the unsigned last/delta values.
    private long lastRealTimestamp = -1;
    private long deltaRealTimestamp = -1;
    private long lastCycles = -1;
    private long deltaCycles = -1;
    private boolean negativeTimestampWarningDone;

    // Wall-clock cache: the last whole second printed and its "[YYYY-MM-DD ]HH:MM:SS." bytes.
    private long cachedSecond = Long.MIN_VALUE;
    private final byte[] cachedClock = new byte[40];
    private int cachedClockLength;
    private long[] cachedClockWords;
    /** The default timestamp and delta (no names, colours, cycles or seconds): {@link #event} writes them fast. */
    private final boolean plainTime;

    // Field walk state.
    private TextBuffer target;
    private FieldNode[] nodeStack = new FieldNode[16];
    private int[] countStack = new int[16];
    private int[] selStack = new int[16];
    private boolean[] hiddenStack = new boolean[16];
    private int depth;
    private FieldNode rootNode;
    private boolean walkNames;

    public PrettyPrinter(PrettyOptions options, OutputStream out, OutputStream err) {
        this.opt = options;
        this.out = out;
        this.err = err;
        this.zone = (options.clockGmt ? ZoneOffset.UTC : options.zone).getRules();
        this.colors = options.color;
        this.plainTime = !options.nameHeader && !options.color && !options.clockCycles && !options.clockSeconds
                && !options.noDelta;
    }

    /** Prints every message of the cursor, then flushes. */
    public void print(MessageCursor cursor) {
        while (cursor.next()) {
            message(cursor);
        }
        flush();
    }

    /** Prints the cursor's current message (events and discarded-items warnings; other messages print nothing). */
    public void message(MessageCursor cursor) {
        MessageType t = cursor.type();
        if (t == MessageType.EVENT) {
            event(cursor.event());
        } else if (t == MessageType.DISCARDED_EVENTS) {
            discarded(cursor.discarded(), "event");
        } else if (t == MessageType.DISCARDED_PACKETS) {
            discarded(cursor.discarded(), "packet");
        }
    }

    /** Writes buffered text to the output stream and flushes it. */
    public void flush() {
        try {
            buf.writeTo(out);
            buf.clear();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ events

    /** Prints one event line. */
    public void event(EventRecord e) {
        EventClass ec = e.eventClass();
        DataStream stream = e.stream();
        EventPlan plan = plan(ec, stream);
        TextBuffer b = buf;
        long ns;
        if (plan.clock && plainTime && (ns = e.timestamp()) >= 0) {
            // the default header, "[HH:MM:SS.NNNNNNNNN] (+S.NNNNNNNNN) ...name: ", written in one go
            if (lastRealTimestamp != -1) {
                deltaRealTimestamp = ns - lastRealTimestamp;
            }
            lastRealTimestamp = ns;
            long sec = ns / NS_PER_S;
            if (sec != cachedSecond) {
                fillClock(sec);
            }
            b.timeHeader(cachedClockWords, cachedClockLength, (int) (ns - sec * NS_PER_S), deltaRealTimestamp,
                    plan.headerWords, plan.headerAfterTime.length);
        } else {
            header(e, plan, b);
        }
        fields(e, stream, plan, b);
    }

    /** The header of an event line, from its timestamp to its name, with any options. */
    private void header(EventRecord e, EventPlan plan, TextBuffer b) {
        boolean names = opt.nameHeader;
        if (plan.clock) {
            if (names) {
                nameEqual(b, "timestamp");
            } else {
                b.append('[');
            }
            if (colors) {
                b.append(C_TIMESTAMP);
            }
            if (opt.clockCycles) {
                long cycles = e.cycles();
                b.padded(cycles, 20);
                if (lastCycles != -1) {
                    deltaCycles = cycles - lastCycles;
                }
                lastCycles = cycles;
            } else {
                long ns = e.timestamp();
                if (ns == ClockValue.NONE) {
                    b.append(UNKNOWN_TIME);
                } else {
                    if (lastRealTimestamp != -1) {
                        deltaRealTimestamp = ns - lastRealTimestamp;
                    }
                    lastRealTimestamp = ns;
                    wall(b, ns);
                }
            }
            if (colors) {
                b.append(C_RESET);
            }
            if (!names) {
                b.append(']').append(' ');
            }
            if (!opt.noDelta) {
                if (names) {
                    b.append(COMMA);
                    nameEqual(b, "delta");
                } else {
                    b.append('(');
                }
                if (opt.clockCycles) {
                    if (deltaCycles == -1) {
                        b.append(UNKNOWN_DELTA_CYCLES);
                    } else {
                        b.append('+').padded(deltaCycles, 12);
                    }
                } else if (deltaRealTimestamp != -1) {
                    long d = deltaRealTimestamp;
                    if (d >= 0) {
                        long q = d / NS_PER_S;
                        b.append('+').unsignedDecimal(q).append('.').nineDigits((int) (d - q * NS_PER_S));
                    } else {
                        b.append('+').unsignedDecimal(Long.divideUnsigned(d, NS_PER_S)).append('.')
                                .nineDigits((int) Long.remainderUnsigned(d, NS_PER_S));
                    }
                } else {
                    b.append(UNKNOWN_DELTA);
                }
                if (!names) {
                    b.append(')').append(' ');
                }
            }
            b.append(plan.headerAfterTime);
        } else {
            b.append(plan.headerNoTime);
        }
    }

    /** The scopes of an event line and its end. */
    private void fields(EventRecord e, DataStream stream, EventPlan plan, TextBuffer b) {
        boolean startLine = true;
        Packet p = e.packet();
        FieldNode[] ss = plan.streamScopes;
        if (ss[0] != null && ss[0].inIr && p != null) {
            startLine = false;
            packetContext(stream, p, ss[0]);
        }
        if (ss[1] != null && ss[1].inIr) {
            if (!startLine) {
                b.append(COMMA);
            }
            startLine = false;
            if (opt.nameScope) {
                nameEqual(b, "stream.event.context");
            }
            walk(e, Scope.EVENT_COMMON_CONTEXT, ss[1], opt.nameContext, b);
        }
        FieldNode[] es = plan.eventScopes;
        if (es[0] != null && es[0].inIr) {
            if (!startLine) {
                b.append(COMMA);
            }
            startLine = false;
            if (opt.nameScope) {
                nameEqual(b, "event.context");
            }
            walk(e, Scope.EVENT_SPECIFIC_CONTEXT, es[0], opt.nameContext, b);
        }
        if (es[1] != null && es[1].inIr) {
            if (!startLine) {
                b.append(COMMA);
            }
            if (opt.nameScope) {
                nameEqual(b, "event.fields");
            }
            walk(e, Scope.EVENT_PAYLOAD, es[1], opt.namePayload, b);
        }
        b.append('\n');
        if (b.length() >= FLUSH_AT) {
            drain();
        }
    }

    private void packetContext(DataStream stream, Packet p, FieldNode root) {
        // a few streams take turns (one per CPU): the first ones are found without hashing
        PacketCache pc = null;
        PacketCache[] fc = firstStreams;
        for (int i = 0; i < fc.length; i++) {
            PacketCache c = fc[i];
            if (c == null || c.stream == stream) {
                pc = c;
                break;
            }
        }
        if (pc == null) {
            pc = packetCaches.get(stream);
            if (pc == null) {
                pc = new PacketCache();
                pc.stream = stream;
                packetCaches.put(stream, pc);
                for (int i = 0; i < fc.length; i++) {
                    if (fc[i] == null) {
                        fc[i] = pc;
                        break;
                    }
                }
            }
        }
        if (pc.packetOffset != p.offset() || pc.text == null) {
            scratch.clear();
            if (opt.nameScope) {
                nameEqual(scratch, "stream.packet.context");
            }
            rootNode = root;
            walkNames = opt.nameContext;
            target = scratch;
            depth = 0;
            p.accept(Scope.PACKET_CONTEXT, this);
            pc.text = Arrays.copyOf(scratch.array(), scratch.length());
            pc.packetOffset = p.offset();
        }
        buf.append(pc.text);
    }

    private void nameEqual(TextBuffer b, String name) {
        if (colors) {
            b.append(C_BOLD).ascii(name).append(C_RESET);
        } else {
            b.ascii(name);
        }
        b.ascii(" = ");
    }

    private void walk(EventRecord e, Scope scope, FieldNode root, boolean names, TextBuffer b) {
        rootNode = root;
        walkNames = names;
        target = b;
        depth = 0;
        e.accept(scope, this);
    }

    private void drain() {
        try {
            buf.writeTo(out);
            buf.clear();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ------------------------------------------------------------------------------------------------ time

    /** babeltrace2's wall-clock timestamp: {@code HH:MM:SS.NNNNNNNNN} in the local or UTC zone, or SEC.NS. */
    private void wall(TextBuffer b, long ns) {
        long sec = ns / NS_PER_S;
        long nsec = ns % NS_PER_S;
        boolean negative;
        long secAbs;
        long nsecAbs;
        if (sec >= 0 && nsec >= 0) {
            negative = false;
            secAbs = sec;
            nsecAbs = nsec;
        } else if (sec > 0) { // nsec < 0
            negative = false;
            secAbs = sec - 1;
            nsecAbs = NS_PER_S + nsec;
        } else if (sec == 0) { // nsec < 0
            negative = true;
            secAbs = 0;
            nsecAbs = -nsec;
        } else if (nsec > 0) {
            negative = true;
            secAbs = -(sec + 1);
            nsecAbs = NS_PER_S - nsec;
        } else { // sec < 0, nsec <= 0
            negative = true;
            secAbs = -sec;
            nsecAbs = -nsec;
        }
        if (!opt.clockSeconds) {
            if (negative && !negativeTimestampWarningDone) {
                negativeTimestampWarningDone = true;
                writeErr(ascii("[warning] Fallback to [sec.ns] to print negative time value. Use --clock-seconds.\n"));
            } else {
                if (secAbs != cachedSecond) {
                    fillClock(secAbs);
                }
                b.append(cachedClock, 0, cachedClockLength);
                b.nineDigits((int) nsecAbs);
                return;
            }
        }
        if (negative) {
            b.append('-');
        }
        b.unsignedDecimal(secAbs).append('.').nineDigits((int) nsecAbs);
    }

    private void fillClock(long epochSecond) {
        int offset = zone.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        long local = epochSecond + offset;
        long day = Math.floorDiv(local, 86_400L);
        int sod = (int) Math.floorMod(local, 86_400L);
        scratch.clear();
        if (opt.clockDate) {
            LocalDate d = LocalDate.ofEpochDay(day);
            int y = d.getYear();
            if (y >= 0 && y < 1000) {
                scratch.padded(y, 4);
            } else {
                scratch.decimal(y);
            }
            scratch.append('-').twoDigits(d.getMonthValue()).append('-').twoDigits(d.getDayOfMonth()).append(' ');
        }
        scratch.twoDigits(sod / 3600).append(':').twoDigits(sod / 60 % 60).append(':').twoDigits(sod % 60)
                .append('.');
        System.arraycopy(scratch.array(), 0, cachedClock, 0, scratch.length());
        cachedClockLength = scratch.length();
        cachedClockWords = TextBuffer.words(Arrays.copyOf(cachedClock, cachedClockLength));
        cachedSecond = epochSecond;
    }

    // ------------------------------------------------------------------------------------------------ discarded

    /** Prints a discarded events ({@code "event"}) or packets ({@code "packet"}) warning on the error stream. */
    public void discarded(Discarded d, String what) {
        DataStream stream = d.stream();
        Trace trace = stream.trace();
        TextBuffer b = new TextBuffer(256);
        String yellow = opt.warningColors ? "\033[33m" : "";
        String bold = opt.warningColors ? "\033[1m" : "";
        String reset = opt.warningColors ? "\033[0m" : "";
        long count = d.count();
        b.ascii(yellow).ascii(bold).ascii("WARNING").ascii(reset).ascii(yellow).append(':').append(' ');
        b.ascii(count == -1 ? "Tracer may have discarded" : "Tracer discarded").append(' ');
        if (count == -1) {
            b.ascii(what).append('s');
        } else {
            b.unsignedDecimal(count).append(' ').ascii(what);
            if (count != 1) {
                b.append('s');
            }
        }
        b.append(' ');
        if (d.beginCycles() != ClockValue.NONE && d.endCycles() != ClockValue.NONE) {
            b.ascii("between [");
            wall(b, d.beginNanos());
            b.ascii("] and [");
            wall(b, d.endNanos());
            b.append(']');
        } else {
            b.ascii("(unknown time range)");
        }
        String name = trace.name();
        b.ascii(" in trace \"").utf8(name == null ? "(unknown)" : name).ascii("\" ");
        UUID uuid = trace.traceClass().uuid();
        if (uuid != null) {
            b.ascii("(UUID: ").ascii(uuid.toString()).ascii(") ");
        } else {
            b.ascii("(no UUID) ");
        }
        String sname = stream.name();
        b.ascii("within stream \"").utf8(sname == null ? "(unknown)" : sname).ascii("\" (stream class ID: ")
                .unsignedDecimal(stream.streamClass().id()).ascii(", ");
        long streamId = stream.id();
        if (streamId >= 0) {
            b.ascii("stream ID: ").unsignedDecimal(streamId);
        } else {
            b.ascii("no stream ID");
        }
        b.ascii(").").ascii(reset).append('\n');
        writeErr(Arrays.copyOf(b.array(), b.length()));
    }

    private void writeErr(byte[] text) {
        try {
            // Keep stdout and stderr in order when both go to one terminal or file.
            drain();
            out.flush();
            err.write(text);
            err.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    // ------------------------------------------------------------------------------------------------ plans

    /** Per event class: its scopes and the constant part of its line between the timestamp and the scopes. */
    private static final class EventPlan {
        EventClass ec;
        Trace trace;
        FieldNode[] streamScopes;
        FieldNode[] eventScopes;
        /** From after "[time] (+delta) " to the end of "name: ". */
        byte[] headerAfterTime;
        /** {@link #headerAfterTime} as {@link TextBuffer#words}. */
        long[] headerWords;
        /** The whole header for a stream class without a default clock. */
        byte[] headerNoTime;
        /** The event's stream class has a default clock: the line starts with a timestamp. */
        boolean clock;
    }

    private static final class PacketCache {
        DataStream stream;
        long packetOffset = -1;
        byte[] text;
    }

    /** The plan of an event class: from a small direct-mapped cache (by class id), else from the map. */
    private EventPlan plan(EventClass ec, DataStream stream) {
        int slot = (int) ec.id() & (PLAN_CACHE - 1);
        EventPlan p = planCache[slot];
        Trace trace = stream.trace();
        if (p != null && p.ec == ec && p.trace == trace) {
            return p;
        }
        p = eventPlans.get(ec);
        if (p == null || p.trace != trace) {
            p = rebuild(ec, stream);
        }
        planCache[slot] = p;
        return p;
    }

    private EventPlan rebuild(EventClass ec, DataStream stream) {
        Trace trace = stream.trace();
        TraceClass tc = trace.traceClass();
        IrLayout layout = layouts.get(tc);
        if (layout == null || !layout.events.containsKey(ec)) {
            layout = IrLayout.of(tc);
            for (FieldNode[] s : layout.streams.values()) {
                prefixes(s[0], opt.nameContext);
                prefixes(s[1], opt.nameContext);
            }
            for (FieldNode[] s : layout.events.values()) {
                prefixes(s[0], opt.nameContext);
                prefixes(s[1], opt.namePayload);
            }
            layouts.put(tc, layout);
        }
        EventPlan p = new EventPlan();
        p.ec = ec;
        p.trace = trace;
        p.clock = ec.streamClass() != null && ec.streamClass().defaultClock() != null;
        StreamClass sc = ec.streamClass() != null ? ec.streamClass() : stream.streamClass();
        p.streamScopes = layout.streams.getOrDefault(sc, new FieldNode[2]);
        p.eventScopes = layout.events.getOrDefault(ec, new FieldNode[2]);
        boolean names = opt.nameHeader;
        p.headerAfterTime = header(trace, ec, !names);
        p.headerWords = TextBuffer.words(p.headerAfterTime);
        p.headerNoTime = header(trace, ec, true);
        eventPlans.put(ec, p);
        return p;
    }

    private void prefixes(FieldNode n, boolean names) {
        if (n != null) {
            n.prefixes(names, colors);
        }
    }

    /** The header from the trace fields to the event name, as print_event_header builds it. */
    private byte[] header(Trace trace, EventClass ec, boolean startLineInitially) {
        TextBuffer b = new TextBuffer(128);
        boolean names = opt.nameHeader;
        boolean startLine = startLineInitially;
        boolean domPrint = false;
        Map<String, Object> env = trace.traceClass().environment();
        if (opt.fieldTrace) {
            String name = trace.name();
            if (name != null) {
                if (!startLine) {
                    b.append(COMMA);
                }
                if (names) {
                    nameEqual(b, "trace");
                }
                b.utf8(name);
                if (names) {
                    b.append(COMMA);
                }
            }
        }
        if (opt.fieldHostname && env.get("hostname") instanceof String s) {
            if (!startLine) {
                b.append(COMMA);
            }
            if (names) {
                nameEqual(b, "trace:hostname");
            }
            b.utf8(s);
            domPrint = true;
        }
        if (opt.fieldDomain && env.get("domain") instanceof String s) {
            domainLike(b, startLine, names, domPrint, "trace:domain");
            b.utf8(s);
            domPrint = true;
        }
        if (opt.fieldProcname && env.get("procname") instanceof String s) {
            domainLike(b, startLine, names, domPrint, "trace:procname");
            b.utf8(s);
            domPrint = true;
        }
        if (opt.fieldVpid && env.get("vpid") instanceof Long v) {
            domainLike(b, startLine, names, domPrint, "trace:vpid");
            b.append('(').decimal(v).append(')');
            domPrint = true;
        }
        if (opt.fieldLoglevel && ec.logLevel() != null && ec.logLevel() >= 0 && ec.logLevel() < LOG_LEVELS.length) {
            int ll = (int) (long) ec.logLevel();
            domainLike(b, startLine, names, domPrint, "loglevel");
            b.ascii(LOG_LEVELS[ll]).ascii(" (").decimal(ll).append(')');
            domPrint = true;
        }
        if (opt.fieldEmf && ec.emfUri() != null) {
            domainLike(b, startLine, names, domPrint, "model.emf.uri");
            b.utf8(ec.emfUri());
            domPrint = true;
        }
        if (domPrint && !names) {
            b.append(' ');
        }
        if (!startLine) {
            b.append(COMMA);
        }
        if (names) {
            nameEqual(b, "name");
        }
        if (colors) {
            b.append(ec.name() != null ? C_EVENT_NAME : C_UNKNOWN);
        }
        b.utf8(ec.name() != null ? ec.name() : "<unknown>");
        if (colors) {
            b.append(C_RESET);
        }
        b.ascii(names ? ", " : ": ");
        return Arrays.copyOf(b.array(), b.length());
    }

    private void domainLike(TextBuffer b, boolean startLine, boolean names, boolean domPrint, String label) {
        if (!startLine) {
            b.append(COMMA);
        }
        if (names) {
            nameEqual(b, label);
        } else if (domPrint) {
            b.append(':');
        }
    }

    // ------------------------------------------------------------------------------------------------ fields

    private void push(FieldNode n, boolean hidden) {
        if (depth == nodeStack.length) {
            int cap = depth * 2;
            nodeStack = Arrays.copyOf(nodeStack, cap);
            countStack = Arrays.copyOf(countStack, cap);
            selStack = Arrays.copyOf(selStack, cap);
            hiddenStack = Arrays.copyOf(hiddenStack, cap);
        }
        nodeStack[depth] = n;
        countStack[depth] = 0;
        selStack[depth] = 0;
        hiddenStack[depth] = hidden;
        depth++;
    }

    /**
     * Finds the node of the next field delivered in the current compound, prints its separator and name when it
     * is shown, and returns it; returns null when the field is hidden (not in babeltrace2's IR).
     */
    private FieldNode enter() {
        if (depth == 0) {
            return rootNode;
        }
        int d = depth - 1;
        FieldNode parent = nodeStack[d];
        byte pk = parent.kind;
        FieldNode[] children = parent.children;
        if (pk == FieldNode.STRUCT) {
            // the common case: a structure member, whose separator and name are known in advance
            int i = selStack[d]++;
            if (i >= children.length) {
                return null;
            }
            FieldNode n = children[i];
            if (!n.inIr || hiddenStack[d]) {
                return null;
            }
            target.appendWords(n.prefixWords, n.prefixLength);
            return n;
        }
        FieldNode n;
        if (pk == FieldNode.VARIANT) {
            int i = selStack[d];
            n = i >= 0 && i < children.length ? children[i] : null;
        } else {
            n = children.length > 0 ? children[0] : null;
        }
        if (n == null || hiddenStack[d] || !n.inIr) {
            return null;
        }
        if (pk == FieldNode.ARRAY) {
            TextBuffer b = target;
            int i = countStack[d]++;
            if (walkNames && i < INDEX_PREFIXES.length) {
                b.append(INDEX_PREFIXES[i]);
            } else {
                b.append(i == 0 ? ' ' : ',');
                if (i != 0) {
                    b.append(' ');
                }
                if (walkNames) {
                    b.append('[').decimal(i).ascii("] = ");
                }
            }
        }
        return n;
    }

    /** The node for a compound being entered (null when hidden), pushing a frame either way. */
    private FieldNode enterCompound() {
        FieldNode n = enter();
        FieldNode frame = n;
        if (n == null) {
            frame = hiddenFrameNode();
        }
        push(frame, n == null);
        return n;
    }

    /** A node for the structure of a hidden compound, so that its children can still be matched. */
    private FieldNode hiddenFrameNode() {
        if (depth == 0) {
            return rootNode;
        }
        int d = depth - 1;
        FieldNode parent = nodeStack[d];
        if (parent.kind == FieldNode.STRUCT) {
            int i = selStack[d] - 1;
            return i >= 0 && i < parent.children.length ? parent.children[i] : parent;
        }
        if (parent.kind == FieldNode.VARIANT) {
            int i = selStack[d];
            return i >= 0 && i < parent.children.length ? parent.children[i] : parent;
        }
        return parent.children.length > 0 ? parent.children[0] : parent;
    }

    @Override
    public void integer(String name, IntegerClass type, long value) {
        int d = depth - 1;
        if (d >= 0 && !colors) {
            // the common case: a plain integer member of a shown structure, printed with its prefix in one go
            FieldNode parent = nodeStack[d];
            byte pk = parent.kind;
            FieldNode[] children = parent.children;
            if (pk == FieldNode.STRUCT) {
                int i = selStack[d];
                if (i < children.length) {
                    FieldNode n = children[i];
                    if (n.intFormat != FieldNode.INT_OTHER && n.type == type && n.inIr && !hiddenStack[d]) {
                        selStack[d] = i + 1;
                        target.prefixedInteger(n.prefixWords, n.prefixLength, n.intFormat, value, n.intMask);
                        return;
                    }
                }
            } else if (pk == FieldNode.ARRAY && children.length > 0) {
                // an array element: " [i] = " / ", [i] = " with names, " " / ", " without
                FieldNode n = children[0];
                int i = countStack[d];
                if (n.intFormat != FieldNode.INT_OTHER && n.type == type && n.inIr && !hiddenStack[d]
                        && i < INDEX_PREFIXES.length) {
                    countStack[d] = i + 1;
                    int k = walkNames ? i : i == 0 ? 0 : 1;
                    long[][] words = walkNames ? INDEX_WORDS : SEPARATOR_WORDS;
                    target.prefixedInteger(words[k], walkNames ? INDEX_PREFIXES[i].length : k + 1, n.intFormat,
                            value, n.intMask);
                    return;
                }
            }
        }
        FieldNode n = enter();
        if (n == null) {
            return;
        }
        if (n.type != type || colors) {
            integerValue(n, type, value);
            return;
        }
        TextBuffer b = target;
        switch (n.intFormat) {
            case FieldNode.INT_UNSIGNED -> b.unsignedDecimal(value);
            case FieldNode.INT_SIGNED -> b.decimal(value);
            case FieldNode.INT_HEX -> b.append('0', 'x').hex(value & n.intMask);
            case FieldNode.INT_OCTAL -> b.append('0').octal(value & n.intMask);
            case FieldNode.INT_BINARY -> b.append('0', 'b').binary(value, (int) n.intMask);
            default -> integerValue(n, type, value);
        }
    }

    private void integerValue(FieldNode n, IntegerClass type, long value) {
        TextBuffer b = target;
        IntegerClass.Kind kind = type.kind();
        if (kind == IntegerClass.Kind.BOOLEAN) {
            if (colors) {
                b.append(C_BOLD);
            }
            b.ascii(value != 0 ? "true" : "false");
            if (colors) {
                b.append(C_RESET);
            }
            return;
        }
        if (kind == IntegerClass.Kind.BIT_ARRAY) {
            if (colors) {
                b.append(C_BOLD);
            }
            b.append('0').append('x').hex(value);
            if (colors) {
                b.append(C_RESET);
            }
            return;
        }
        if (n.enumeration) {
            // "( labels : container = value )", cached whole by value (for the node's own class)
            boolean cache = n.type == type;
            byte[] l = cache ? n.enumLabels(value) : null;
            if (l == null) {
                TextBuffer t = new TextBuffer(64);
                t.append('(', ' ').append(labels(type, value, colors)).append(CONTAINER);
                colorNumber(t, type, value);
                t.append(' ', ')');
                l = Arrays.copyOf(t.array(), t.length());
                if (cache) {
                    n.enumPut(value, l);
                }
            }
            b.append(l);
            return;
        }
        colorNumber(b, type, value);
    }

    private void colorNumber(TextBuffer b, IntegerClass type, long value) {
        if (colors) {
            b.append(C_BOLD);
            number(b, type, value);
            b.append(C_RESET);
        } else {
            number(b, type, value);
        }
    }

    private static byte[] labels(IntegerClass type, long value, boolean colors) {
        TextBuffer t = new TextBuffer(64);
        boolean signed = type.signed();
        List<IntegerClass.Mapping> ms = type.mappings();
        int count = 0;
        outer:
        for (int i = 0; i < ms.size(); i++) {
            IntegerClass.Mapping m = ms.get(i);
            if (!m.contains(value, signed)) {
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (ms.get(j).label().equals(m.label()) && ms.get(j).contains(value, signed)) {
                    continue outer;
                }
            }
            if (count++ > 0) {
                t.append(COMMA);
            }
            if (colors) {
                t.append(C_BOLD);
            }
            escape(t, m.label());
            if (colors) {
                t.append(C_RESET);
            }
        }
        if (count == 0) {
            if (colors) {
                t.append(C_UNKNOWN);
            }
            t.ascii("<unknown>");
            if (colors) {
                t.append(C_RESET);
            }
        }
        return Arrays.copyOf(t.array(), t.length());
    }

    private static void number(TextBuffer b, IntegerClass type, long v) {
        int len = type.variableLength() ? 64 : type.length();
        switch (type.base()) {
            case 2 -> b.append('0').append('b').binary(v, len);
            case 8 -> {
                if (type.signed() && len < 64) {
                    int rounded = ((len - 1) / 3 + 1) * 3;
                    if (rounded < 64) {
                        v &= (1L << rounded) - 1;
                    }
                }
                b.append('0').octal(v);
            }
            case 16 -> {
                if (len < 64) {
                    int rounded = (len + 3) & ~3;
                    if (rounded < 64) {
                        v &= (1L << rounded) - 1;
                    }
                }
                b.append('0').append('x').hex(v);
            }
            default -> {
                if (type.signed()) {
                    b.decimal(v);
                } else {
                    b.unsignedDecimal(v);
                }
            }
        }
    }

    @Override
    public void floating(String name, FloatClass type, double value) {
        if (enter() != null) {
            double v = type.length() == 32 ? (double) (float) value : value;
            if (colors) {
                target.append(C_BOLD);
                FloatFormat.g(target, v);
                target.append(C_RESET);
            } else {
                FloatFormat.g(target, v);
            }
        }
    }

    @Override
    public void string(String name, FieldClass type, String value) {
        if (enter() != null) {
            if (colors) {
                target.append(C_BOLD);
                escape(target, value);
                target.append(C_RESET);
            } else {
                escape(target, value);
            }
        }
    }

    @Override
    public void utf8(String name, FieldClass type, byte[] bytes, int offset, int length) {
        int d = depth - 1;
        if (d >= 0 && !colors) {
            // the common case: a member of a shown structure, plain ASCII that needs no escape
            FieldNode parent = nodeStack[d];
            if (parent.kind == FieldNode.STRUCT) {
                int i = selStack[d];
                FieldNode[] children = parent.children;
                if (i < children.length) {
                    FieldNode n = children[i];
                    if (n.inIr && !hiddenStack[d] && plainAscii(bytes, offset, length)) {
                        selStack[d] = i + 1;
                        target.prefixedQuoted(n.prefixWords, n.prefixLength, bytes, offset, length);
                        return;
                    }
                }
            }
        }
        if (enter() != null) {
            if (colors) {
                target.append(C_BOLD);
                escape(target, bytes, offset, length);
                target.append(C_RESET);
            } else {
                escape(target, bytes, offset, length);
            }
        }
    }

    @Override
    public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
        if (enter() != null) {
            // babeltrace2 2.0 has no BLOB fields; print like a byte array.
            TextBuffer b = target;
            b.append('[');
            for (int i = 0; i < length; i++) {
                b.ascii(i == 0 ? " " : ", ");
                if (walkNames) {
                    b.append('[').decimal(i).ascii("] = ");
                }
                b.decimal(bytes[offset + i] & 0xFF);
            }
            b.ascii(" ]");
        }
    }

    @Override
    public void beginStruct(String name, StructClass type) {
        FieldNode n = enterCompound();
        if (n != null) {
            target.append('{');
        }
    }

    @Override
    public void endStruct(String name, StructClass type) {
        if (!hiddenStack[--depth]) {
            target.append(' ', '}');
        }
    }

    @Override
    public void beginArray(String name, ArrayClass type, long length) {
        FieldNode n = enterCompound();
        if (n != null) {
            target.append('[');
        }
    }

    @Override
    public void endArray(String name, ArrayClass type) {
        if (!hiddenStack[--depth]) {
            target.append(' ', ']');
        }
    }

    @Override
    public void beginVariant(String name, VariantClass type, int optionIndex) {
        FieldNode n = enterCompound();
        selStack[depth - 1] = optionIndex;
        if (n != null) {
            target.append('{', ' ');
        }
    }

    @Override
    public void endVariant(String name, VariantClass type) {
        if (!hiddenStack[--depth]) {
            target.append(' ', '}');
        }
    }

    @Override
    public void beginOptional(String name, OptionalClass type, boolean present) {
        FieldNode n = enterCompound();
        if (n != null) {
            target.ascii(present ? "{ " : "<none>");
        }
        countStack[depth - 1] = present ? 1 : 0;
    }

    @Override
    public void endOptional(String name, OptionalClass type) {
        int d = --depth;
        if (!hiddenStack[d] && countStack[d] == 1) {
            target.append(' ', '}');
        }
    }

    // ------------------------------------------------------------------------------------------------ strings

    /** babeltrace2's print_escape_string: quotes, backslash escapes, control characters; stops at a NUL. */
    static void escape(TextBuffer b, String s) {
        b.append('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                i = b.utf8Char(s, i);
                continue;
            }
            switch (c) {
                case '\\' -> b.append('\\').append('\\');
                case '\'' -> b.append('\\').append('\'');
                case '"' -> b.append('\\').append('"');
                case '?' -> b.append('\\').append('?');
                case 0 -> i = n;
                case 7 -> b.append('\\').append('a');
                case 8 -> b.append('\\').append('b');
                case 27 -> b.append('\\').append('e');
                case 12 -> b.append('\\').append('f');
                case '\n' -> b.append('\\').append('n');
                case '\r' -> b.append('\\').append('r');
                case '\t' -> b.append('\\').append('t');
                case 11 -> b.append('\\').append('v');
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        b.append('\\').append('x').append(hexDigit(c >> 4)).append(hexDigit(c & 0xF));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }

    /** ASCII bytes that {@link #escape(TextBuffer, String)} does not copy as they are. */
    private static final boolean[] SPECIAL = new boolean[128];

    /** Per byte value: 0 copied as it is, 1 an ASCII character to escape, 2 the lead of a multi-byte sequence. */
    private static final byte[] BYTE_CLASS = new byte[256];

    static {
        for (int c = 0; c < 128; c++) {
            SPECIAL[c] = c < 0x20 || c == 0x7F || c == '\\' || c == '\'' || c == '"' || c == '?';
            BYTE_CLASS[c] = (byte) (SPECIAL[c] ? 1 : 0);
        }
        for (int c = 128; c < 256; c++) {
            BYTE_CLASS[c] = 2;
        }
    }

    /**
     * {@link #escape(TextBuffer, String)} of UTF-8 bytes (without NUL): ASCII and well-formed multi-byte sequences
     * are copied straight from the bytes (decoding and re-encoding them would give the same bytes); text with a
     * malformed sequence is decoded to a String first, exactly as a string field would be.
     */
    static void escape(TextBuffer b, byte[] bytes, int offset, int length) {
        int start = b.length();
        b.append('"');
        int run = offset;
        int end = offset + length;
        byte[] cls = BYTE_CLASS;
        for (int i = offset; i < end; i++) {
            byte k = cls[bytes[i] & 0xFF];
            if (k == 0) {
                continue;
            }
            if (k == 2) {
                int n = wellFormedUtf8(bytes, i, end);
                if (n > 0) {
                    i += n - 1;
                    continue;
                }
                b.setLength(start);
                escape(b, new String(bytes, offset, length, StandardCharsets.UTF_8));
                return;
            }
            b.append(bytes, run, i - run);
            run = i + 1;
            escapeAscii(b, (char) bytes[i]);
        }
        b.append(bytes, run, end - run);
        b.append('"');
    }

    /** The bytes are ASCII without any character {@link #escape(TextBuffer, String)} changes. */
    private static boolean plainAscii(byte[] bytes, int offset, int length) {
        byte[] cls = BYTE_CLASS;
        int acc = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            acc |= cls[bytes[i] & 0xFF];
        }
        return acc == 0;
    }

    /**
     * Length of the well-formed UTF-8 multi-byte sequence at {@code i} (Unicode's table: no overlong forms, no
     * surrogates, nothing above U+10FFFF), or 0.
     */
    static int wellFormedUtf8(byte[] a, int i, int end) {
        int b0 = a[i] & 0xFF;
        int n;
        int lo = 0x80;
        int hi = 0xBF;
        if (b0 >= 0xC2 && b0 <= 0xDF) {
            n = 2;
        } else if (b0 >= 0xE0 && b0 <= 0xEF) {
            n = 3;
            if (b0 == 0xE0) {
                lo = 0xA0;
            } else if (b0 == 0xED) {
                hi = 0x9F;
            }
        } else if (b0 >= 0xF0 && b0 <= 0xF4) {
            n = 4;
            if (b0 == 0xF0) {
                lo = 0x90;
            } else if (b0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return 0;
        }
        if (i + n > end) {
            return 0;
        }
        int b1 = a[i + 1] & 0xFF;
        if (b1 < lo || b1 > hi) {
            return 0;
        }
        for (int k = 2; k < n; k++) {
            int x = a[i + k] & 0xFF;
            if (x < 0x80 || x > 0xBF) {
                return 0;
            }
        }
        return n;
    }

    /** The escape of one special ASCII character (not NUL). */
    private static void escapeAscii(TextBuffer b, char c) {
        switch (c) {
            case '\\' -> b.append('\\').append('\\');
            case '\'' -> b.append('\\').append('\'');
            case '"' -> b.append('\\').append('"');
            case '?' -> b.append('\\').append('?');
            case 7 -> b.append('\\').append('a');
            case 8 -> b.append('\\').append('b');
            case 27 -> b.append('\\').append('e');
            case 12 -> b.append('\\').append('f');
            case '\n' -> b.append('\\').append('n');
            case '\r' -> b.append('\\').append('r');
            case '\t' -> b.append('\\').append('t');
            case 11 -> b.append('\\').append('v');
            default -> b.append('\\').append('x').append(hexDigit(c >> 4)).append(hexDigit(c & 0xF));
        }
    }

    private static char hexDigit(int d) {
        return (char) (d < 10 ? '0' + d : 'a' + d - 10);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
