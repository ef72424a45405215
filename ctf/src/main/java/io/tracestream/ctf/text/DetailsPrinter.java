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
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Writes messages the way babeltrace2's {@code sink.text.details} component does, byte for byte: the trace class,
 * stream class and event class descriptions the first time they are used, then every message with its default
 * clock snapshot and field values.
 *
 * <pre>{@code
 * DetailsPrinter p = DetailsPrinter.builder().withTraceName(false).withStreamName(false).build(System.out);
 * try (MessageCursor c = traces.cursor()) { p.printAll(c); }
 * }</pre>
 *
 * <p>The output shows the trace as babeltrace2's CTF source translates it to its trace IR: fields with a special
 * meaning (packet sizes, packet timestamps, discarded-event counter, ...) or mapped to a clock are left out unless a
 * sequence or variant depends on them, CTF 1.8 names lose one leading underscore, and lengths and selectors are
 * shown as IR field paths. {@link Style} chooses between babeltrace2 2.0's format and the later one (master),
 * which prints clock classes and trace UIDs differently and, with message interchange protocol 1, field locations
 * by name. Colors are never written ({@code color=never}).
 *
 * <p>Not thread-safe; one instance per output.
 */
public final class DetailsPrinter {

    /** Which babeltrace2 version's format to reproduce. */
    public enum Style {
        /** babeltrace2 2.0 (the installed reference). */
        BT2_0,
        /** babeltrace2 master with message interchange protocol 0 (CTF 1.8 traces). */
        MASTER_MIP0,
        /** babeltrace2 master with message interchange protocol 1 (CTF 1.8 or CTF 2 traces). */
        MASTER_MIP1
    }

    /** Options, named after the component's parameters. */
    public static final class Builder {
        private boolean withMetadata = true;
        private boolean withData = true;
        private boolean withTime = true;
        private boolean withTraceName = true;
        private boolean withStreamName = true;
        private boolean withStreamClassName = true;
        private boolean withUuid = true;
        private boolean compact;
        private Style style = Style.BT2_0;
        private String traceName;

        private Builder() {
        }

        public Builder withMetadata(boolean v) { withMetadata = v; return this; }
        public Builder withData(boolean v) { withData = v; return this; }
        public Builder withTime(boolean v) { withTime = v; return this; }
        public Builder withTraceName(boolean v) { withTraceName = v; return this; }
        public Builder withStreamName(boolean v) { withStreamName = v; return this; }
        public Builder withStreamClassName(boolean v) { withStreamClassName = v; return this; }
        public Builder withUuid(boolean v) { withUuid = v; return this; }
        public Builder compact(boolean v) { compact = v; return this; }
        public Builder style(Style s) { style = s; return this; }

        /** Shows every trace under this name (like {@code src.ctf.fs}'s {@code trace-name} parameter). */
        public Builder traceName(String name) { traceName = name; return this; }

        /**
         * Applies one {@code key=value} parameter as babeltrace2 spells it ({@code with-metadata}, {@code with-data},
         * {@code with-time}, {@code with-trace-name}, {@code with-stream-name}, {@code with-stream-class-name},
         * {@code with-uuid}, {@code compact}: {@code yes}/{@code no}/{@code true}/{@code false}; {@code color}: only
         * {@code never} and {@code auto} are accepted, since no color is ever written).
         */
        public Builder parameter(String key, String value) {
            if (key.equals("color")) {
                if (!value.equals("never") && !value.equals("auto")) {
                    throw new IllegalArgumentException("unsupported color mode `" + value + "` (only never)");
                }
                return this;
            }
            boolean b = switch (value.toLowerCase(java.util.Locale.ROOT)) {
                case "yes", "true", "1" -> true;
                case "no", "false", "0" -> false;
                default -> throw new IllegalArgumentException("`" + key + "`: expecting yes or no, got `" + value + "`");
            };
            switch (key) {
                case "with-metadata" -> withMetadata = b;
                case "with-data" -> withData = b;
                case "with-time" -> withTime = b;
                case "with-trace-name" -> withTraceName = b;
                case "with-stream-name" -> withStreamName = b;
                case "with-stream-class-name" -> withStreamClassName = b;
                case "with-uuid" -> withUuid = b;
                case "compact" -> compact = b;
                default -> throw new IllegalArgumentException("unknown sink.text.details parameter `" + key + "`");
            }
            return this;
        }

        /** Applies comma-separated parameters, as in {@code -p with-trace-name=no,compact=yes}. */
        public Builder parameters(String list) {
            for (String kv : list.split(",")) {
                if (kv.isBlank()) {
                    continue;
                }
                int eq = kv.indexOf('=');
                if (eq < 0) {
                    throw new IllegalArgumentException("expecting key=value, got `" + kv + "`");
                }
                parameter(kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
            return this;
        }

        public DetailsPrinter build(Appendable out) {
            return new DetailsPrinter(this, out);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private final boolean withMetadata;
    private final boolean withData;
    private final boolean withTime;
    private final boolean withTraceName;
    private final boolean withStreamName;
    private final boolean withStreamClassName;
    private final boolean withUuid;
    private final boolean compact;
    private final Style style;
    private final String traceNameOverride;
    private final Appendable out;

    private final StringBuilder sb = new StringBuilder(4096);
    private int indent;
    private boolean printedSomething;
    private final DetailsIr.Cache irCache = new DetailsIr.Cache();
    /** Written metadata objects per trace class: the trace class itself, its stream classes and event classes. */
    private final Map<TraceClass, Set<Object>> writtenMeta = new IdentityHashMap<>();
    private final Map<Trace, Long> traceIds = new HashMap<>();
    private final ValueWriter valueWriter = new ValueWriter();

    private DetailsPrinter(Builder b, Appendable out) {
        this.withMetadata = b.withMetadata;
        this.withData = b.withData;
        this.withTime = b.withTime;
        this.withTraceName = b.withTraceName;
        this.withStreamName = b.withStreamName;
        this.withStreamClassName = b.withStreamClassName;
        this.withUuid = b.withUuid;
        this.compact = b.compact;
        this.style = b.style;
        this.traceNameOverride = b.traceName;
        this.out = out;
    }

    /** Prints every remaining message of the cursor. */
    public void printAll(MessageCursor cursor) {
        while (cursor.next()) {
            print(cursor);
        }
        flush();
    }

    /** Prints the cursor's current message. */
    public void print(MessageCursor c) {
        sb.setLength(0);
        indent = 0;
        switch (c.type()) {
            case STREAM_BEGINNING -> streamBeginning(c);
            case STREAM_END -> streamEnd(c);
            case PACKET_BEGINNING -> packetBeginning(c);
            case PACKET_END -> packetEnd(c);
            case EVENT -> event(c);
            case DISCARDED_EVENTS, DISCARDED_PACKETS -> discarded(c);
            default -> throw new IllegalStateException("unknown message type " + c.type());
        }
        if (sb.length() > 0) {
            if (printedSomething && !compact) {
                sb.insert(0, '\n');
            }
            try {
                out.append(sb);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            printedSomething = true;
        }
    }

    /** Flushes the output when it is {@link java.io.Flushable}. */
    public void flush() {
        if (out instanceof java.io.Flushable f) {
            try {
                f.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    // ------------------------------------------------------------------------------------------- primitives

    private void nl() {
        sb.append('\n');
    }

    private void writeIndent() {
        for (int i = 0; i < indent; i++) {
            sb.append(' ');
        }
    }

    private void propNameLine(String name) {
        writeIndent();
        sb.append(name).append(':');
    }

    private void strPropLine(String name, String value) {
        writeIndent();
        sb.append(name).append(": ").append(value);
        nl();
    }

    private void uintPropLine(String name, long value) {
        writeIndent();
        sb.append(name).append(": ");
        DetailsFormat.appendUnsigned(sb, value, 10);
        nl();
    }

    private void intPropLine(String name, long value) {
        writeIndent();
        sb.append(name).append(": ");
        DetailsFormat.appendSigned(sb, value, 10);
        nl();
    }

    private void boolPropLine(String name, boolean value) {
        writeIndent();
        sb.append(name).append(": ").append(value ? "Yes" : "No");
        nl();
    }

    private void uint(long v) {
        DetailsFormat.appendUnsigned(sb, v, 10);
    }

    private static String plural(long v) {
        return v == 1 ? "" : "s";
    }

    private boolean master() {
        return style != Style.BT2_0;
    }

    private boolean mip1() {
        return style == Style.MASTER_MIP1;
    }

    // ------------------------------------------------------------------------------------------ user attributes

    /** Writes a value as babeltrace2 writes a {@code bt_value} (maps with sorted keys). */
    private void writeValue(Object value, String name) {
        if (name != null) {
            propNameLine(name);
        }
        if (value == null) {
            sb.append(" Null");
        } else if (value instanceof Boolean b) {
            sb.append(' ').append(b ? "Yes" : "No");
        } else if (value instanceof Double || value instanceof Float) {
            sb.append(' ').append(DetailsFormat.formatReal(((Number) value).doubleValue()));
        } else if (value instanceof java.math.BigInteger bi) {
            sb.append(' ');
            if (bi.signum() < 0) {
                DetailsFormat.appendSigned(sb, bi.longValue(), 10);
            } else {
                DetailsFormat.appendUnsigned(sb, bi.longValue(), 10);
            }
        } else if (value instanceof Number n) {
            sb.append(' ');
            DetailsFormat.appendSigned(sb, n.longValue(), 10);
        } else if (value instanceof CharSequence s) {
            sb.append(' ').append(s);
        } else if (value instanceof List<?> list) {
            if (list.isEmpty()) {
                sb.append(" Empty");
            } else {
                sb.append(" Length ");
                uint(list.size());
                sb.append(':');
            }
            indent += 2;
            for (int i = 0; i < list.size(); i++) {
                nl();
                writeIndent();
                sb.append('[');
                uint(i);
                sb.append("]:");
                writeValue(list.get(i), null);
            }
            indent -= 2;
        } else if (value instanceof Map<?, ?> map) {
            if (map.isEmpty()) {
                sb.append(" Empty");
            } else {
                TreeMap<String, Object> sorted = new TreeMap<>(DetailsPrinter::compareUtf8);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    sorted.put(String.valueOf(e.getKey()), e.getValue());
                }
                indent += 2;
                for (Map.Entry<String, Object> e : sorted.entrySet()) {
                    nl();
                    writeValue(e.getValue(), e.getKey());
                }
                indent -= 2;
            }
        } else {
            sb.append(' ').append(value);
        }
    }

    /** Writes non-empty user attributes; returns true when something was written. */
    private boolean userAttributes(Map<String, Object> attrs, boolean newline) {
        if (attrs == null || attrs.isEmpty()) {
            return false;
        }
        writeValue(attrs, "User attributes");
        if (newline) {
            nl();
        }
        return true;
    }

    /** strcmp() order of the UTF-8 encodings. */
    static int compareUtf8(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean xs = Character.isSurrogate(x);
                boolean ys = Character.isSurrogate(y);
                if (xs != ys) {
                    return xs ? 1 : -1; // supplementary code points encode above the BMP in UTF-8
                }
                return Character.compare(x, y);
            }
        }
        return Integer.compare(a.length(), b.length());
    }

    // ---------------------------------------------------------------------------------------- field classes

    /** Member and option names as the model has them (the TSDL parser already removed one leading underscore). */
    private static String displayName(TraceClass tc, String name) {
        return name;
    }

    private static boolean isEnumeration(IntegerClass ic) {
        return ic.kind() == IntegerClass.Kind.INTEGER && (ic.isEnumeration() || !ic.mappings().isEmpty());
    }

    private static String integerTypeName(IntegerClass ic) {
        return switch (ic.kind()) {
            case BOOLEAN -> "Boolean";
            case BIT_ARRAY -> "Bit array";
            case INTEGER -> isEnumeration(ic)
                    ? (ic.signed() ? "Signed enumeration" : "Unsigned enumeration")
                    : (ic.signed() ? "Signed integer" : "Unsigned integer");
        };
    }

    private static int displayBase(IntegerClass ic) {
        int b = ic.base();
        return b == 2 || b == 8 || b == 16 ? b : 10;
    }

    private void intProps(IntegerClass ic, boolean close) {
        sb.append('(');
        uint(ic.variableLength() ? 64 : ic.length());
        sb.append("-bit, Base ");
        uint(displayBase(ic));
        if (close) {
            sb.append(')');
        }
    }

    /** Ranges sorted as babeltrace2 sorts them (by lower, then upper bound). */
    private static List<IntegerClass.Range> sortedRanges(List<IntegerClass.Range> ranges, boolean signed) {
        List<IntegerClass.Range> l = new ArrayList<>(ranges);
        Comparator<IntegerClass.Range> c = signed
                ? Comparator.<IntegerClass.Range>comparingLong(IntegerClass.Range::lower)
                        .thenComparingLong(IntegerClass.Range::upper)
                : (a, b) -> {
                    int r = Long.compareUnsigned(a.lower(), b.lower());
                    return r != 0 ? r : Long.compareUnsigned(a.upper(), b.upper());
                };
        l.sort(c);
        return l;
    }

    private void intRange(IntegerClass.Range r, boolean signed) {
        // babeltrace2 2.0 writes the bounds of unsigned ranges through its signed formatter: a bound above
        // INT64_MAX (e.g. an lttng-ust enum value of UINT64_MAX) shows as negative. Master prints it unsigned.
        signed |= style == Style.BT2_0;
        sb.append('[');
        if (signed) {
            DetailsFormat.appendSigned(sb, r.lower(), 10);
        } else {
            DetailsFormat.appendUnsigned(sb, r.lower(), 10);
        }
        if (r.lower() != r.upper()) {
            sb.append(", ");
            if (signed) {
                DetailsFormat.appendSigned(sb, r.upper(), 10);
            } else {
                DetailsFormat.appendUnsigned(sb, r.upper(), 10);
            }
        }
        sb.append(']');
    }

    private static String scopeName(Scope s) {
        return switch (s) {
            case PACKET_HEADER -> "Packet header";
            case PACKET_CONTEXT -> "Packet context";
            case EVENT_HEADER -> "Event header";
            case EVENT_COMMON_CONTEXT -> "Event common context";
            case EVENT_SPECIFIC_CONTEXT -> "Event specific context";
            case EVENT_PAYLOAD -> "Event payload";
        };
    }

    private void fieldPath(TraceClass tc, DetailsIr.Node target) {
        sb.append('[').append(scopeName(target.scope)).append(": ");
        if (mip1()) {
            List<String> names = DetailsIr.namePath(target);
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                sb.append(displayName(tc, names.get(i)));
            }
        } else {
            List<Integer> items = DetailsIr.indexPath(target);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                Integer idx = items.get(i);
                if (idx == null) {
                    sb.append("<current>");
                } else {
                    uint(idx);
                }
            }
        }
        sb.append(']');
    }

    private String pathWord() {
        return mip1() ? "location" : "path";
    }

    private void writeFieldClass(TraceClass tc, DetailsIr.Node n) {
        FieldClass fc = n.fc;
        boolean enumeration = false;
        IntegerClass selector = null;
        if (fc instanceof IntegerClass ic) {
            sb.append(integerTypeName(ic));
            enumeration = isEnumeration(ic);
            if (ic.kind() == IntegerClass.Kind.BOOLEAN) {
                // no single-line properties
            } else if (ic.kind() == IntegerClass.Kind.BIT_ARRAY) {
                sb.append(" (");
                uint(ic.variableLength() ? 64 : ic.length());
                sb.append("-bit)");
            } else if (enumeration) {
                sb.append(' ');
                intProps(ic, false);
                sb.append(", ");
                uint(ic.mappings().size());
                sb.append(" mapping").append(plural(ic.mappings().size())).append(')');
            } else {
                sb.append(' ');
                intProps(ic, true);
            }
        } else if (fc instanceof FloatClass f) {
            sb.append(f.length() == 32 ? "Single-precision real" : "Double-precision real");
        } else if (fc instanceof StringClass || fc instanceof ArrayClass a0 && a0.isText()) {
            sb.append("String");
        } else if (fc instanceof BlobClass b) {
            if (b.isStaticLength()) {
                sb.append("Static BLOB (Length ");
                uint(b.staticLength());
                sb.append(", Media type ").append(b.mediaType()).append(')');
            } else if (n.target != null && n.targetInIr) {
                sb.append("Dynamic BLOB (with length field) (Length field ").append(pathWord()).append(' ');
                fieldPath(tc, n.target);
                sb.append(", Media type ").append(b.mediaType()).append(')');
            } else {
                sb.append("Dynamic BLOB (no length field) (Media type ").append(b.mediaType()).append(')');
            }
        } else if (fc instanceof StructClass) {
            sb.append("Structure (");
            uint(n.irChildCount);
            sb.append(" member").append(plural(n.irChildCount)).append(')');
        } else if (fc instanceof ArrayClass a) {
            if (a.isStaticLength()) {
                sb.append("Static array (Length ");
                uint(a.staticLength());
                sb.append(')');
            } else if (n.target != null && n.targetInIr) {
                sb.append("Dynamic array (with length field) (Length field ").append(pathWord()).append(' ');
                fieldPath(tc, n.target);
                sb.append(')');
            } else {
                sb.append("Dynamic array (no length field)");
            }
        } else if (fc instanceof OptionalClass) {
            selector = DetailsIr.selectorClass(n);
            if (n.target == null || !n.targetInIr) {
                sb.append("Option (no selector)");
            } else {
                if (selector == null || selector.kind() == IntegerClass.Kind.BOOLEAN) {
                    sb.append("Option (boolean selector)");
                } else {
                    sb.append(selector.signed() ? "Option (signed integer selector)"
                            : "Option (unsigned integer selector)");
                }
                sb.append(" (Selector field ").append(pathWord()).append(' ');
                fieldPath(tc, n.target);
                sb.append(')');
            }
        } else if (fc instanceof VariantClass) {
            selector = n.target != null && n.targetInIr ? DetailsIr.selectorClass(n) : null;
            if (selector == null) {
                sb.append("Variant (no selector)");
            } else {
                sb.append(selector.signed() ? "Variant (signed integer selector)"
                        : "Variant (unsigned integer selector)");
            }
            sb.append(" (");
            uint(n.children.length);
            sb.append(" option").append(plural(n.children.length));
            if (selector != null) {
                sb.append(", Selector field ").append(pathWord()).append(' ');
                fieldPath(tc, n.target);
            }
            sb.append(')');
        }

        indent += 2;
        boolean wroteAttrs = false;
        if (!fc.attributes().isEmpty()) {
            sb.append(":\n");
            wroteAttrs = userAttributes(fc.attributes(), false);
        }

        if (enumeration) {
            IntegerClass ic = (IntegerClass) fc;
            if (!ic.mappings().isEmpty()) {
                openComplex(wroteAttrs, "Mappings");
                List<IntegerClass.Mapping> maps = new ArrayList<>(ic.mappings());
                maps.sort((x, y) -> compareUtf8(x.label(), y.label()));
                for (IntegerClass.Mapping m : maps) {
                    nl();
                    propNameLine(m.label());
                    for (IntegerClass.Range r : sortedRanges(m.ranges(), ic.signed())) {
                        sb.append(' ');
                        intRange(r, ic.signed());
                    }
                }
                closeComplex(wroteAttrs);
            }
        } else if (fc instanceof StructClass st) {
            if (n.irChildCount > 0) {
                openComplex(wroteAttrs, "Members");
                for (int i = 0; i < n.children.length; i++) {
                    DetailsIr.Node c = n.children[i];
                    if (!c.inIr) {
                        continue;
                    }
                    nl();
                    writeIndent();
                    sb.append(displayName(tc, c.name)).append(':');
                    Map<String, Object> memberAttrs = st.member(i).attributes();
                    memberOrOption(tc, c, memberAttrs);
                }
                closeComplex(wroteAttrs);
            }
        } else if (fc instanceof ArrayClass a && !a.isText()) {
            if (wroteAttrs) {
                nl();
            } else {
                sb.append(":\n");
            }
            propNameLine("Element");
            sb.append(' ');
            writeFieldClass(tc, n.children[0]);
        } else if (fc instanceof OptionalClass o) {
            if (wroteAttrs) {
                nl();
            } else {
                sb.append(":\n");
            }
            if (n.target != null && n.targetInIr) {
                if (selector == null || selector.kind() == IntegerClass.Kind.BOOLEAN) {
                    boolPropLine("Selector is reversed", false);
                } else if (!o.selectorRanges().isEmpty()) {
                    propNameLine("Selector ranges");
                    for (IntegerClass.Range r : sortedRanges(o.selectorRanges(), selector.signed())) {
                        sb.append(' ');
                        intRange(r, selector.signed());
                    }
                    nl();
                }
            }
            propNameLine("Content");
            sb.append(' ');
            writeFieldClass(tc, n.children[0]);
        } else if (fc instanceof VariantClass v) {
            if (!v.options().isEmpty()) {
                openComplex(wroteAttrs, "Options");
                for (int i = 0; i < n.children.length; i++) {
                    VariantClass.Option opt = v.options().get(i);
                    DetailsIr.Node c = n.children[i];
                    nl();
                    writeIndent();
                    sb.append(displayName(tc, opt.name())).append(':');
                    if (selector != null) {
                        for (IntegerClass.Range r : sortedRanges(optionRanges(tc, opt, selector), selector.signed())) {
                            sb.append(' ');
                            intRange(r, selector.signed());
                        }
                        sb.append(':');
                    }
                    memberOrOption(tc, c, opt.attributes());
                }
                closeComplex(wroteAttrs);
            }
        }
        indent -= 2;
    }

    /** The ranges that select a variant option: CTF 2 ranges, or the CTF 1.8 tag mapping of the option's name. */
    private static List<IntegerClass.Range> optionRanges(TraceClass tc, VariantClass.Option opt, IntegerClass sel) {
        if (!opt.selectorRanges().isEmpty()) {
            return opt.selectorRanges();
        }
        String name = opt.name();
        for (IntegerClass.Mapping m : sel.mappings()) {
            if (m.label().equals(name)) {
                return m.ranges();
            }
        }
        String shown = displayName(tc, name);
        for (IntegerClass.Mapping m : sel.mappings()) {
            if (m.label().equals(shown) || m.label().equals("_" + name)) {
                return m.ranges();
            }
        }
        return List.of();
    }

    private void memberOrOption(TraceClass tc, DetailsIr.Node c, Map<String, Object> attrs) {
        if (attrs == null || attrs.isEmpty()) {
            sb.append(' ');
            writeFieldClass(tc, c);
        } else {
            nl();
            indent += 2;
            propNameLine("Field class");
            sb.append(' ');
            writeFieldClass(tc, c);
            nl();
            userAttributes(attrs, false);
            indent -= 2;
        }
    }

    private void openComplex(boolean wroteAttrs, String title) {
        if (wroteAttrs) {
            nl();
            writeIndent();
            sb.append(title).append(':');
            indent += 2;
        } else {
            sb.append(':');
        }
    }

    private void closeComplex(boolean wroteAttrs) {
        if (wroteAttrs) {
            indent -= 2;
        }
    }

    private void rootFieldClass(TraceClass tc, String name, DetailsIr.Node root) {
        writeIndent();
        sb.append(name).append(": ");
        writeFieldClass(tc, root);
        nl();
    }

    // ------------------------------------------------------------------------------------------ meta objects

    private static final String[] LOG_LEVELS = {
        "Emergency", "Alert", "Critical", "Error", "Warning", "Notice", "Info", "Debug (system)", "Debug (program)",
        "Debug (process)", "Debug (module)", "Debug (unit)", "Debug (function)", "Debug (line)", "Debug"
    };

    private static final List<String> LTTNG_LOG_LEVELS = List.of(
            "emergency", "alert", "critical", "error", "warning", "notice", "info", "debug:system",
            "debug:program", "debug:process", "debug:module", "debug:unit", "debug:function", "debug:line",
            "debug");

    private static Long logLevel(EventClass ec) {
        if (ec.logLevel() != null) {
            return ec.logLevel();
        }
        if (ec.attributes().get("lttng.org,2009") instanceof Map<?, ?> lttng
                && lttng.get("log-level") instanceof String s) {
            int i = LTTNG_LOG_LEVELS.indexOf(s);
            return i < 0 ? null : (long) i;
        }
        return null;
    }

    private void writeEventClass(DetailsIr ir, EventClass ec) {
        TraceClass tc = ir.traceClass;
        writeIndent();
        sb.append("Event class");
        if (ec.name() != null && !ec.name().isEmpty()) {
            sb.append(" `").append(ec.name()).append('`');
        }
        sb.append(" (ID ");
        uint(ec.id());
        sb.append("):\n");
        indent += 2;
        userAttributes(ec.attributes(), true);
        Long ll = logLevel(ec);
        if (ll != null && ll >= 0 && ll < LOG_LEVELS.length) {
            strPropLine("Log level", LOG_LEVELS[(int) (long) ll]);
        }
        if (ec.emfUri() != null && !ec.emfUri().isEmpty()) {
            strPropLine("EMF URI", ec.emfUri());
        }
        DetailsIr.EventIr e = ir.event(ec);
        if (DetailsIr.translated(e.specificContext)) {
            rootFieldClass(tc, "Specific context field class", e.specificContext);
        }
        if (DetailsIr.translated(e.payload)) {
            rootFieldClass(tc, "Payload field class", e.payload);
        }
        indent -= 2;
    }

    /** Offsets as babeltrace2 stores them: whole seconds of the cycle offset moved into the seconds. */
    private static long[] calibratedOffset(ClockClass cc) {
        long s = cc.offsetSeconds();
        long c = cc.offsetCycles();
        long f = cc.frequency();
        if (Long.compareUnsigned(c, f) >= 0) {
            s += Long.divideUnsigned(c, f);
            c = Long.remainderUnsigned(c, f);
        }
        return new long[] {s, c};
    }

    private void clockClassLines(TraceClass tc, ClockClass cc) {
        if (cc.name() != null && !cc.name().isEmpty()) {
            strPropLine("Name", cc.name());
        }
        if (mip1()) {
            String uid = cc.uid() != null ? cc.uid() : cc.uuid() != null ? cc.uuid().toString() : null;
            if (uid != null) {
                strPropLine("UID", uid);
            }
        } else if (master() && withUuid && cc.uuid() != null) {
            strPropLine("UUID", cc.uuid().toString());
        }
        userAttributes(cc.attributes(), true);
        if (cc.description() != null && !cc.description().isEmpty()) {
            strPropLine("Description", cc.description());
        }
        uintPropLine("Frequency (Hz)", cc.frequency());
        if (cc.precision() >= 0) {
            uintPropLine("Precision (cycles)", cc.precision());
        } else if (!master()) {
            uintPropLine("Precision (cycles)", 0);
        }
        long[] off = calibratedOffset(cc);
        if (master()) {
            intPropLine("Offset from origin (s)", off[0]);
            uintPropLine("Offset from origin (cycles)", off[1]);
            if (cc.originIsUnixEpoch()) {
                strPropLine("Origin", "Unix epoch");
            }
        } else {
            intPropLine("Offset (s)", off[0]);
            uintPropLine("Offset (cycles)", off[1]);
            boolPropLine("Origin is Unix epoch", cc.originIsUnixEpoch());
            if (withUuid && cc.uuid() != null) {
                strPropLine("UUID", cc.uuid().toString());
            }
        }
    }

    private void writeStreamClass(DetailsIr ir, StreamClass sc) {
        TraceClass tc = ir.traceClass;
        DetailsIr.StreamIr s = ir.stream(sc);
        writeIndent();
        sb.append("Stream class");
        if (withStreamClassName && sc.name() != null && !sc.name().isEmpty()) {
            sb.append(" `").append(sc.name()).append('`');
        }
        sb.append(" (ID ");
        uint(sc.id());
        sb.append("):\n");
        indent += 2;
        userAttributes(sc.attributes(), true);
        boolPropLine("Supports packets", true);
        boolPropLine("Packets have beginning default clock snapshot", s.packetsHaveBegin);
        boolPropLine("Packets have end default clock snapshot", s.packetsHaveEnd);
        boolPropLine("Supports discarded events", s.discardedEvents);
        if (s.discardedEvents) {
            boolPropLine("Discarded events have default clock snapshots", s.discardedEventsHaveCs);
        }
        boolPropLine("Supports discarded packets", s.discardedPackets);
        if (s.discardedPackets) {
            boolPropLine("Discarded packets have default clock snapshots", s.discardedPacketsHaveCs);
        }
        if (sc.defaultClock() != null) {
            writeIndent();
            sb.append("Default clock class:");
            nl();
            indent += 2;
            clockClassLines(tc, sc.defaultClock());
            indent -= 2;
        }
        if (DetailsIr.translated(s.packetContext)) {
            rootFieldClass(tc, "Packet context field class", s.packetContext);
        }
        if (DetailsIr.translated(s.commonContext)) {
            rootFieldClass(tc, "Event common context field class", s.commonContext);
        }
        List<EventClass> ecs = new ArrayList<>(sc.eventClasses());
        ecs.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        for (EventClass ec : ecs) {
            writeEventClass(ir, ec);
        }
        indent -= 2;
    }

    private void writeTraceClass(DetailsIr ir) {
        TraceClass tc = ir.traceClass;
        writeIndent();
        sb.append("Trace class");
        List<StreamClass> scs = new ArrayList<>(tc.streamClasses());
        scs.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
        boolean printedProp = false;
        if (!scs.isEmpty()) {
            sb.append(":\n");
            printedProp = true;
        }
        indent += 2;
        if (userAttributes(tc.attributes(), true)) {
            printedProp = true;
        }
        for (StreamClass sc : scs) {
            writeStreamClass(ir, sc);
        }
        if (!printedProp) {
            nl();
        }
        indent -= 2;
    }

    /** Writes the metadata objects a message needs that were not written yet. */
    private void tryWriteMeta(TraceClass tc, StreamClass sc, EventClass ec) {
        if (!withMetadata) {
            return;
        }
        DetailsIr ir = irCache.get(tc);
        Set<Object> written = writtenMeta.get(tc);
        if (written == null) {
            if (compact && printedSomething) {
                nl();
            }
            writeTraceClass(ir);
            written = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            writtenMeta.put(tc, written);
            for (StreamClass s : tc.streamClasses()) {
                written.add(s);
                written.addAll(s.eventClasses());
            }
            return;
        }
        if (sc != null && !written.contains(sc)) {
            if (compact && printedSomething) {
                nl();
            }
            writeStreamClass(ir, sc);
            written.add(sc);
            written.addAll(sc.eventClasses());
            return;
        }
        if (ec != null && !written.contains(ec)) {
            if (compact && printedSomething) {
                nl();
            }
            writeEventClass(ir, ec);
            written.add(ec);
        }
    }

    // ----------------------------------------------------------------------------------------------- messages

    /** babeltrace2's nanoseconds from origin of a clock value, or null when it does not fit a signed 64-bit. */
    static Long nsFromOrigin(ClockClass cc, long cycles) {
        long[] off = calibratedOffset(cc);
        long freq = cc.frequency();
        long offS = off[0];
        if (offS <= Long.MIN_VALUE / 1_000_000_000L - 1 || offS >= Long.MAX_VALUE / 1_000_000_000L - 1) {
            return null;
        }
        long base = offS * 1_000_000_000L + nsFromValue(freq, off[1]);
        long valueNs = nsFromValue(freq, cycles);
        if (Long.compareUnsigned(valueNs, Long.MAX_VALUE) >= 0) {
            return null;
        }
        if (base > 0 && valueNs > Long.MAX_VALUE - base) {
            return null;
        }
        return base + valueNs;
    }

    /** Cycles to nanoseconds as babeltrace2 computes it (in double precision unless the clock is 1 GHz). */
    private static long nsFromValue(long freq, long cycles) {
        if (freq == 1_000_000_000L) {
            return cycles;
        }
        double c = cycles >= 0 ? (double) cycles : (double) (cycles >>> 1) * 2.0 + (cycles & 1);
        double f = freq >= 0 ? (double) freq : (double) (freq >>> 1) * 2.0 + (freq & 1);
        double r = 1e9 * c / f;
        if (r >= 18446744073709551616.0) {
            return -1L; // UINT64_MAX
        }
        if (r >= 9223372036854775808.0) {
            return (long) (r - 9223372036854775808.0) + Long.MIN_VALUE;
        }
        return (long) r;
    }

    private void writeTime(ClockClass cc, long cycles) {
        if (!withTime) {
            return;
        }
        sb.append('[');
        uint(cycles);
        if (!compact) {
            sb.append(" cycles");
        }
        Long ns = nsFromOrigin(cc, cycles);
        if (ns != null) {
            sb.append(compact ? " " : ", ");
            DetailsFormat.appendSigned(sb, ns, 10);
            if (!compact) {
                sb.append(" ns from origin");
            }
        }
        sb.append(']');
        sb.append(compact ? ' ' : '\n');
    }

    private void writeTimeStr(String s) {
        if (!withTime) {
            return;
        }
        sb.append('[').append(s).append(']');
        sb.append(compact ? ' ' : '\n');
    }

    private long traceId(Trace t) {
        Long id = traceIds.get(t);
        if (id == null) {
            id = (long) traceIds.size();
            traceIds.put(t, id);
        }
        return id;
    }

    private void followTag(DataStream s) {
        String tid = Long.toUnsignedString(traceId(s.trace()));
        String scid = Long.toUnsignedString(s.streamClass().id());
        String sid = Long.toUnsignedString(s.id());
        if (compact) {
            sb.append('{').append(tid).append(' ').append(scid).append(' ').append(sid).append("} ");
        } else {
            sb.append("{Trace ").append(tid).append(", Stream class ID ").append(scid).append(", Stream ID ")
                    .append(sid).append("}\n");
        }
    }

    private void streamBeginning(MessageCursor c) {
        DataStream s = c.stream();
        StreamClass sc = s.streamClass();
        TraceClass tc = s.trace().traceClass();
        tryWriteMeta(tc, sc, null);
        if (!withData) {
            return;
        }
        if (sb.length() > 0) {
            nl();
        }
        if (sc.defaultClock() != null) {
            if (c.timeCycles() != ClockValue.NONE) {
                writeTime(sc.defaultClock(), c.timeCycles());
            } else {
                writeTimeStr("Unknown");
            }
        }
        followTag(s);
        sb.append("Stream beginning");
        if (compact) {
            nl();
            return;
        }
        sb.append(":\n");
        indent += 2;
        if (withStreamName && s.name() != null) {
            strPropLine("Name", s.name());
        }
        if (withStreamClassName && sc.name() != null && !sc.name().isEmpty()) {
            strPropLine("Class name", sc.name());
        }
        writeTrace(s.trace());
        indent -= 2;
    }

    private void writeTrace(Trace trace) {
        TraceClass tc = trace.traceClass();
        writeIndent();
        sb.append("Trace");
        String name = traceNameOverride != null ? traceNameOverride : trace.name();
        if (withTraceName && name != null) { // babeltrace2's CTF source always names traces, maybe ""
            sb.append(" `").append(name).append('`');
        }
        boolean printedProp = false;
        indent += 2;
        UUID uuid = tc.uuid();
        if (mip1()) {
            String uid = tc.uid() != null ? tc.uid() : uuid != null ? uuid.toString() : null;
            if (uid != null) {
                sb.append(" (UID `").append(uid).append("`)");
            }
        } else if (withUuid && uuid != null) {
            sb.append(":\n");
            printedProp = true;
            strPropLine("UUID", uuid.toString());
        }
        Map<String, Object> env = tc.environment();
        if (!env.isEmpty()) {
            if (!printedProp) {
                sb.append(":\n");
                printedProp = true;
            }
            writeIndent();
            sb.append("Environment (");
            uint(env.size());
            sb.append(env.size() == 1 ? " entry):" : " entries):");
            nl();
            indent += 2;
            List<String> names = new ArrayList<>(env.keySet());
            names.sort(DetailsPrinter::compareUtf8);
            for (String n : names) {
                writeIndent();
                sb.append(n).append(": ");
                Object v = env.get(n);
                if (v instanceof Number num) {
                    DetailsFormat.appendSigned(sb, num.longValue(), 10);
                } else {
                    sb.append(v);
                }
                nl();
            }
            indent -= 2;
        }
        List<long[]> ids = new ArrayList<>();
        java.util.HashSet<List<Long>> seen = new java.util.HashSet<>();
        for (DataStream ds : trace.streams()) {
            if (seen.add(List.of(ds.id(), ds.streamClass().id()))) {
                ids.add(new long[] {ds.id(), ds.streamClass().id()});
            }
        }
        ids.sort((a, b) -> {
            int r = Long.compareUnsigned(a[0], b[0]);
            return r != 0 ? r : Long.compareUnsigned(a[1], b[1]);
        });
        if (!ids.isEmpty() && !printedProp) {
            sb.append(":\n");
            printedProp = true;
        }
        for (long[] id : ids) {
            writeIndent();
            sb.append("Stream (ID ");
            uint(id[0]);
            sb.append(", Class ID ");
            uint(id[1]);
            sb.append(')');
            nl();
        }
        indent -= 2;
        if (!printedProp) {
            nl();
        }
    }

    private void streamEnd(MessageCursor c) {
        if (!withData) {
            return;
        }
        DataStream s = c.stream();
        StreamClass sc = s.streamClass();
        if (sc.defaultClock() != null) {
            if (c.timeCycles() != ClockValue.NONE) {
                writeTime(sc.defaultClock(), c.timeCycles());
            } else {
                writeTimeStr("Unknown");
            }
        }
        followTag(s);
        sb.append("Stream end\n");
    }

    private void packetBeginning(MessageCursor c) {
        if (!withData) {
            return;
        }
        DataStream s = c.stream();
        StreamClass sc = s.streamClass();
        Packet p = c.packet();
        DetailsIr ir = irCache.get(s.trace().traceClass());
        DetailsIr.StreamIr sir = ir.stream(sc);
        if (sir.packetsHaveBegin) {
            // the message's snapshot: the packet's, after the source's tracer-bug fixes
            writeTime(sc.defaultClock(), c.timeCycles() != ClockValue.NONE ? c.timeCycles() : p.beginCycles());
        }
        followTag(s);
        sb.append("Packet beginning");
        if (compact) {
            nl();
            return;
        }
        if (DetailsIr.translated(sir.packetContext)) {
            sb.append(":\n");
            indent += 2;
            writeRootField(ir, "Context", sir.packetContext, Scope.PACKET_CONTEXT, p, null);
            indent -= 2;
        } else {
            nl();
        }
    }

    private void packetEnd(MessageCursor c) {
        if (!withData) {
            return;
        }
        DataStream s = c.stream();
        StreamClass sc = s.streamClass();
        Packet p = c.packet();
        DetailsIr.StreamIr sir = irCache.get(s.trace().traceClass()).stream(sc);
        if (sir.packetsHaveEnd) {
            writeTime(sc.defaultClock(), c.timeCycles() != ClockValue.NONE ? c.timeCycles() : p.endCycles());
        }
        followTag(s);
        sb.append("Packet end");
        nl();
    }

    private void discarded(MessageCursor c) {
        if (!withData) {
            return;
        }
        boolean events = c.type() == MessageType.DISCARDED_EVENTS;
        DataStream s = c.stream();
        StreamClass sc = s.streamClass();
        Discarded d = c.discarded();
        DetailsIr.StreamIr sir = irCache.get(s.trace().traceClass()).stream(sc);
        boolean haveCs = events ? sir.discardedEventsHaveCs : sir.discardedPacketsHaveCs;
        if (haveCs && sc.defaultClock() != null) {
            writeTime(sc.defaultClock(), d.beginCycles());
            writeTime(sc.defaultClock(), d.endCycles());
        }
        followTag(s);
        String what = events ? "events" : "packets";
        sb.append("Discarded ").append(what);
        if (d.count() < 0) {
            nl();
            return;
        }
        sb.append(" (");
        uint(d.count());
        sb.append(' ').append(what).append(")\n");
    }

    private void event(MessageCursor c) {
        EventRecord e = c.event();
        EventClass ec = e.eventClass();
        DataStream s = c.stream();
        StreamClass sc = s.streamClass();
        TraceClass tc = s.trace().traceClass();
        tryWriteMeta(tc, sc, ec);
        if (!withData) {
            return;
        }
        if (sb.length() > 0) {
            nl();
        }
        if (sc.defaultClock() != null) {
            long cycles = c.timeCycles() != ClockValue.NONE ? c.timeCycles() : e.cycles();
            writeTime(sc.defaultClock(), cycles);
        }
        followTag(s);
        sb.append("Event");
        if (ec.name() != null && !ec.name().isEmpty()) {
            sb.append(" `").append(ec.name()).append('`');
        }
        sb.append(" (");
        if (!compact) {
            sb.append("Class ID ");
        }
        uint(ec.id());
        sb.append(')');
        if (compact) {
            nl();
            return;
        }
        sb.append(":\n");
        indent += 2;
        DetailsIr ir = irCache.get(tc);
        DetailsIr.StreamIr sir = ir.stream(sc);
        DetailsIr.EventIr eir = ir.event(ec);
        if (DetailsIr.translated(sir.commonContext)) {
            writeRootField(ir, "Common context", sir.commonContext, Scope.EVENT_COMMON_CONTEXT, null, e);
        }
        if (DetailsIr.translated(eir.specificContext)) {
            writeRootField(ir, "Specific context", eir.specificContext, Scope.EVENT_SPECIFIC_CONTEXT, null, e);
        }
        if (DetailsIr.translated(eir.payload)) {
            writeRootField(ir, "Payload", eir.payload, Scope.EVENT_PAYLOAD, null, e);
        }
        indent -= 2;
    }

    private void writeRootField(DetailsIr ir, String title, DetailsIr.Node root, Scope scope, Packet p,
                                EventRecord e) {
        writeIndent();
        sb.append(title).append(':');
        valueWriter.start(ir.traceClass, root);
        if (p != null) {
            p.accept(scope, valueWriter);
        } else {
            e.accept(scope, valueWriter);
        }
        valueWriter.finish();
        nl();
    }

    // ------------------------------------------------------------------------------------------- field values

    /** Writes field values as the visitor delivers them, following the IR node tree to skip removed fields. */
    private final class ValueWriter implements FieldVisitor {
        private DetailsIr.Node[] nodes = new DetailsIr.Node[16];
        private int[] next = new int[16];
        private int depth;
        /** Depth of an ignored subtree (fields babeltrace2 leaves out), or 0. */
        private int skip;
        private DetailsIr.Node root;
        private boolean rootSeen;
        private TraceClass tc;

        void start(TraceClass tc, DetailsIr.Node root) {
            this.tc = tc;
            this.root = root;
            this.depth = 0;
            this.skip = 0;
            this.rootSeen = false;
        }

        void finish() {
            if (!rootSeen) {
                // the scope was absent from the data: show an empty structure like an empty root
                sb.append(" Empty");
            }
        }

        /** The node of the field that starts now, or null when it is to be skipped. Writes its name prefix. */
        private DetailsIr.Node enter(String name) {
            if (skip > 0) {
                return null;
            }
            if (depth == 0) {
                rootSeen = true;
                return root;
            }
            DetailsIr.Node parent = nodes[depth - 1];
            DetailsIr.Node n;
            if (parent.fc instanceof StructClass) {
                n = parent.child(next[depth - 1]++);
                if (n == null || !n.inIr) {
                    return null;
                }
                nl();
                writeIndent();
                sb.append(displayName(tc, n.name)).append(':');
            } else if (parent.fc instanceof VariantClass) {
                n = parent.child(next[depth - 1]); // set by beginVariant
            } else if (parent.fc instanceof ArrayClass) {
                n = parent.children[0];
                nl();
                writeIndent();
                sb.append('[');
                uint(next[depth - 1]++);
                sb.append("]:");
            } else {
                n = parent.children[0]; // optional content
            }
            return n;
        }

        private void push(DetailsIr.Node n, int first) {
            if (depth == nodes.length) {
                nodes = java.util.Arrays.copyOf(nodes, depth * 2);
                next = java.util.Arrays.copyOf(next, depth * 2);
            }
            nodes[depth] = n;
            next[depth] = first;
            depth++;
        }

        @Override
        public void integer(String name, IntegerClass type, long value) {
            DetailsIr.Node n = enter(name);
            if (n == null) {
                return;
            }
            IntegerClass ic = n.fc instanceof IntegerClass x ? x : type;
            sb.append(' ');
            switch (ic.kind()) {
                case BOOLEAN -> sb.append(value != 0 ? "Yes" : "No");
                case BIT_ARRAY -> DetailsFormat.appendUnsigned(sb, value, 16);
                default -> {
                    if (ic.signed()) {
                        DetailsFormat.appendSigned(sb, value, displayBase(ic));
                    } else {
                        DetailsFormat.appendUnsigned(sb, value, displayBase(ic));
                    }
                }
            }
        }

        @Override
        public void floating(String name, FloatClass type, double value) {
            if (enter(name) == null) {
                return;
            }
            sb.append(' ').append(DetailsFormat.formatReal(value));
        }

        @Override
        public void string(String name, FieldClass type, String value) {
            if (enter(name) == null) {
                return;
            }
            sb.append(' ').append(value);
        }

        @Override
        public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
            if (enter(name) == null) {
                return;
            }
            if (length == 0) {
                sb.append(" Empty");
                return;
            }
            sb.append(" Length ");
            uint(length);
            sb.append(':');
            indent += 2;
            for (int i = 0; i < length; i++) {
                nl();
                writeIndent();
                sb.append('[');
                uint(i);
                sb.append("]: ");
                DetailsFormat.appendUnsigned(sb, bytes[offset + i] & 0xff, 16);
            }
            indent -= 2;
        }

        /**
         * Enters a struct, array, variant or optional: its node, or null when it is not shown (inside a skipped
         * field, or not in babeltrace2's IR), in which case everything up to the matching end is skipped.
         */
        private DetailsIr.Node enterCompound(String name) {
            if (skip > 0) {
                skip++;
                return null;
            }
            DetailsIr.Node n = enter(name);
            if (n == null) {
                skip = 1;
            }
            return n;
        }

        /** At the end of a compound field: true (and one level less to skip) when it was skipped. */
        private boolean leaveSkipped() {
            if (skip > 0) {
                skip--;
                return true;
            }
            return false;
        }

        @Override
        public void beginStruct(String name, StructClass type) {
            DetailsIr.Node n = enterCompound(name);
            if (n == null) {
                return;
            }
            push(n, 0);
            if (n.irChildCount > 0) {
                indent += 2;
            } else {
                sb.append(" Empty");
            }
        }

        @Override
        public void endStruct(String name, StructClass type) {
            if (leaveSkipped()) {
                return;
            }
            DetailsIr.Node n = nodes[--depth];
            if (n.irChildCount > 0) {
                indent -= 2;
            }
        }

        @Override
        public void beginArray(String name, ArrayClass type, long length) {
            DetailsIr.Node n = enterCompound(name);
            if (n == null) {
                return;
            }
            push(n, 0);
            if (length == 0) {
                sb.append(" Empty");
            } else {
                sb.append(" Length ");
                uint(length);
                sb.append(':');
            }
            indent += 2;
        }

        @Override
        public void endArray(String name, ArrayClass type) {
            if (leaveSkipped()) {
                return;
            }
            depth--;
            indent -= 2;
        }

        @Override
        public void beginVariant(String name, VariantClass type, int optionIndex) {
            DetailsIr.Node n = enterCompound(name);
            if (n == null) {
                return;
            }
            push(n, optionIndex);
        }

        @Override
        public void endVariant(String name, VariantClass type) {
            if (leaveSkipped()) {
                return;
            }
            depth--;
        }

        @Override
        public void beginOptional(String name, OptionalClass type, boolean present) {
            DetailsIr.Node n = enterCompound(name);
            if (n == null) {
                return;
            }
            push(n, 0);
            if (!present) {
                sb.append(" None");
            }
        }

        @Override
        public void endOptional(String name, OptionalClass type) {
            if (leaveSkipped()) {
                return;
            }
            depth--;
        }
    }
}
