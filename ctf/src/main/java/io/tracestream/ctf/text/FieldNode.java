package io.tracestream.ctf.text;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.charset.StandardCharsets;

/**
 * One field class at one place of a scope, as the text printers see it: whether babeltrace2 keeps the field in its
 * trace IR ({@link #inIr}), its display name, and pre-encoded name prefixes.
 *
 * <p>babeltrace2's CTF source drops from the IR the integer fields that have a special meaning (packet sizes,
 * packet timestamps, discarded counter, sequence number) or are mapped to a clock, unless a sequence or variant
 * depends on them; then compounds left without members. Printers must do the same to print the same text.
 */
final class FieldNode {
    static final FieldNode[] NONE = new FieldNode[0];
    static final byte LEAF = 0;
    static final byte STRUCT = 1;
    static final byte ARRAY = 2;
    static final byte VARIANT = 3;
    static final byte OPTIONAL = 4;

    final FieldClass type;
    /** Original (metadata) name, or null for roots and array elements. */
    final String name;
    /**
     * Name as babeltrace2 shows it. The TSDL parser already removed the one leading underscore babeltrace2 removes
     * from CTF 1.8 member names, so this is the model's name.
     */
    final String displayName;
    final FieldNode[] children;
    /** {@link #STRUCT}, {@link #ARRAY}, {@link #VARIANT}, {@link #OPTIONAL} or {@link #LEAF}. */
    final byte kind;
    /** An integer printed as an enumeration: it has mappings. */
    final boolean enumeration;
    /** Special meaning (top-level packet context fields of CTF 1.8) or a role: not in the IR on its own. */
    boolean meaning;
    boolean inIr;

    /** " name = " and ", name = " (filled by the printer that owns the node), or " " and ", " without names. */
    byte[] firstPrefix;
    byte[] nextPrefix;
    /**
     * The one of {@link #firstPrefix} and {@link #nextPrefix} this member of a structure gets: which members are in
     * the IR is fixed, so whether one is the first shown of its structure is too (filled with the prefixes).
     */
    byte[] prefix;
    /** {@link #prefix} as {@link TextBuffer#words} and its length. */
    long[] prefixWords;
    int prefixLength;

    /** How an integer leaf prints without colours: one of the {@code INT_} codes (filled with the prefixes). */
    byte intFormat;
    /** The mask applied before printing ({@link #INT_HEX}, {@link #INT_OCTAL}) or the digit count ({@link #INT_BINARY}). */
    long intMask;

    /** Not a plain integer: the printer takes its general path (booleans, bit arrays, enumerations, ...). */
    static final byte INT_OTHER = 0;
    static final byte INT_SIGNED = TextBuffer.SIGNED;
    static final byte INT_UNSIGNED = TextBuffer.UNSIGNED;
    static final byte INT_HEX = TextBuffer.HEX;
    static final byte INT_OCTAL = TextBuffer.OCTAL;
    static final byte INT_BINARY = TextBuffer.BINARY;

    // Cache for enumerations: the printer's rendering by value, direct-mapped (bounded, no boxing).
    private static final int ENUM_CACHE = 256;
    private long[] enumValues;
    private byte[][] enumRendered;

    private FieldNode(FieldClass type, String name, String displayName, FieldNode[] children) {
        this.type = type;
        this.name = name;
        this.displayName = displayName;
        this.children = children;
        this.kind = type instanceof StructClass ? STRUCT : type instanceof ArrayClass a && !a.isText() ? ARRAY
                : type instanceof VariantClass ? VARIANT : type instanceof OptionalClass ? OPTIONAL : LEAF;
        this.enumeration = type instanceof IntegerClass ic && (ic.isEnumeration() || !ic.mappings().isEmpty());
    }

    /** Builds the node tree for a scope root (or any field class). */
    static FieldNode build(FieldClass type, String name, boolean ctf1) {
        String display = name;
        FieldNode[] children = NONE;
        if (type instanceof StructClass s) {
            children = new FieldNode[s.memberCount()];
            for (int i = 0; i < children.length; i++) {
                StructClass.Member m = s.member(i);
                children[i] = build(m.type(), m.name(), ctf1);
            }
        } else if (type instanceof VariantClass v) {
            children = new FieldNode[v.options().size()];
            for (int i = 0; i < children.length; i++) {
                VariantClass.Option o = v.options().get(i);
                children[i] = build(o.type(), o.name(), ctf1);
            }
        } else if (type instanceof ArrayClass a) {
            children = new FieldNode[] {build(a.elementType(), null, ctf1)};
        } else if (type instanceof OptionalClass o) {
            children = new FieldNode[] {build(o.type(), null, ctf1)};
        }
        FieldNode n = new FieldNode(type, name, display, children);
        if (!ctf1 && type instanceof IntegerClass ic && !ic.roles().isEmpty()) {
            n.meaning = true;
        }
        return n;
    }

    /** The rendering of an enumeration value from a small cache, or null (then {@link #enumPut}). */
    byte[] enumLabels(long value) {
        if (enumValues == null) {
            return null;
        }
        int i = enumSlot(value);
        byte[] l = enumRendered[i];
        return l != null && enumValues[i] == value ? l : null;
    }

    /** Caches the rendering of an enumeration value. */
    void enumPut(long value, byte[] labels) {
        if (enumValues == null) {
            enumValues = new long[ENUM_CACHE];
            enumRendered = new byte[ENUM_CACHE][];
        }
        int i = enumSlot(value);
        enumValues[i] = value;
        enumRendered[i] = labels;
    }

    private static int enumSlot(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 56) & (ENUM_CACHE - 1);
    }

    /** The member (struct) or option (variant) with this original or display name, or null. */
    FieldNode child(String n) {
        for (FieldNode c : children) {
            if (n.equals(c.name)) {
                return c;
            }
        }
        for (FieldNode c : children) {
            if (n.equals(c.displayName)) {
                return c;
            }
        }
        return null;
    }

    /** Sets the name prefixes for printing with or without member names, recursively. */
    void prefixes(boolean names, boolean colors) {
        if (names && displayName != null) {
            String n = colors ? "\033[36m" + displayName + "\033[0m" : displayName;
            firstPrefix = (" " + n + " = ").getBytes(StandardCharsets.UTF_8);
            nextPrefix = (", " + n + " = ").getBytes(StandardCharsets.UTF_8);
        } else {
            firstPrefix = new byte[] {' '};
            nextPrefix = new byte[] {',', ' '};
        }
        boolean shownBefore = false;
        for (FieldNode c : children) {
            c.prefixes(names, colors);
            if (kind == STRUCT) {
                c.prefix = shownBefore ? c.nextPrefix : c.firstPrefix;
                c.prefixWords = TextBuffer.words(c.prefix);
                c.prefixLength = c.prefix.length;
                shownBefore |= c.inIr;
            }
        }
        intFormat = INT_OTHER;
        intMask = -1L;
        if (type instanceof IntegerClass ic && !enumeration && ic.kind() == IntegerClass.Kind.INTEGER) {
            int len = ic.variableLength() ? 64 : ic.length();
            switch (ic.base()) {
                case 2 -> {
                    intFormat = INT_BINARY;
                    intMask = len;
                }
                case 8 -> {
                    intFormat = INT_OCTAL;
                    if (ic.signed() && len < 64) {
                        int rounded = ((len - 1) / 3 + 1) * 3;
                        if (rounded < 64) {
                            intMask = (1L << rounded) - 1;
                        }
                    }
                }
                case 16 -> {
                    intFormat = INT_HEX;
                    if (len < 64) {
                        int rounded = (len + 3) & ~3;
                        if (rounded < 64) {
                            intMask = (1L << rounded) - 1;
                        }
                    }
                }
                default -> intFormat = ic.signed() ? INT_SIGNED : INT_UNSIGNED;
            }
        }
    }
}
