package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Generates CTF 1.8 TSDL metadata text from a {@link TraceClass}.
 *
 * <p>Every field class is written inline and complete (size, alignment, signedness, explicit byte order, base,
 * encoding, clock mapping), so the text does not depend on typealiases or on the trace's native byte order.
 * Sequence lengths are written as absolute paths ({@code event.fields.len}), variant tags as relative ones (see
 * below). Member names that
 * start with an underscore, are TSDL keywords or are not identifiers get a leading underscore (which readers drop:
 * babeltrace2 shows LTTng's {@code _prev_comm} as {@code prev_comm}, and the model holds names without it), and
 * invalid characters become underscores.
 *
 * <p>BLOBs become arrays/sequences of 8-bit unsigned integers. CTF 2 only features are rejected with an
 * {@link IllegalArgumentException}: variable-length integers, optional fields, UTF-16/32 strings, integer-selected variants whose selector has no matching enumeration labels.
 * Booleans and bit arrays become unsigned integers.
 */
public final class TsdlGenerator {
    private static final Set<String> KEYWORDS = Set.of("align", "callsite", "const", "char", "clock", "double",
            "enum", "env", "event", "floating_point", "float", "integer", "int", "long", "short", "signed",
            "stream", "string", "struct", "trace", "typealias", "typedef", "unsigned", "variant", "void",
            "_Bool", "_Complex", "_Imaginary");

    private final TraceClass tc;
    private final StringBuilder out = new StringBuilder(4096);
    private StreamClass curStream;
    /** Scope being written. */
    private Scope scope;
    /** The structures enclosing the member being written, outermost (the scope root) first; null for variants. */
    private final List<StructClass> structStack = new ArrayList<>();

    private TsdlGenerator(TraceClass tc) {
        this.tc = tc;
    }

    /** Returns the TSDL text (starting with the {@code /* CTF 1.8 * /} signature) of {@code tc}. */
    public static String generate(TraceClass tc) {
        TsdlGenerator g = new TsdlGenerator(tc);
        g.trace();
        return g.out.toString();
    }

    private void trace() {
        out.append("/* CTF 1.8 */\n\n");
        out.append("trace {\n\tmajor = 1;\n\tminor = 8;\n");
        if (tc.uuid() != null) {
            out.append("\tuuid = \"").append(tc.uuid()).append("\";\n");
        }
        out.append("\tbyte_order = ").append(order(tc.byteOrder())).append(";\n");
        if (tc.packetHeader() != null) {
            out.append("\tpacket.header := ");
            scope = Scope.PACKET_HEADER;
            type(tc.packetHeader(), 1, null);
            out.append(";\n");
        }
        out.append("};\n\n");
        if (!tc.environment().isEmpty()) {
            out.append("env {\n");
            for (Map.Entry<String, Object> e : tc.environment().entrySet()) {
                out.append('\t').append(identifier(e.getKey())).append(" = ");
                value(e.getValue());
                out.append(";\n");
            }
            out.append("};\n\n");
        }
        for (ClockClass c : tc.clocks().values()) {
            clock(c);
        }
        for (StreamClass sc : tc.streamClasses()) {
            stream(sc);
        }
    }

    private void value(Object v) {
        if (v instanceof Number n) {
            out.append(n.longValue());
        } else {
            quoted(String.valueOf(v));
        }
    }

    private void clock(ClockClass c) {
        out.append("clock {\n\tname = ").append(identifier(c.name())).append(";\n");
        if (c.uuid() != null) {
            out.append("\tuuid = \"").append(c.uuid()).append("\";\n");
        }
        if (c.description() != null) {
            out.append("\tdescription = ");
            quoted(c.description());
            out.append(";\n");
        }
        out.append("\tfreq = ").append(c.frequency()).append(";\n");
        if (c.precision() > 0) {
            out.append("\tprecision = ").append(c.precision()).append(";\n");
        }
        if (c.offsetSeconds() != 0) {
            out.append("\toffset_s = ").append(c.offsetSeconds()).append(";\n");
        }
        if (c.offsetCycles() != 0) {
            out.append("\toffset = ").append(c.offsetCycles()).append(";\n");
        }
        out.append("\tabsolute = ").append(c.originIsUnixEpoch() ? "true" : "false").append(";\n");
        out.append("};\n\n");
    }

    /** Whether stream ids are written: babeltrace2 rejects them when the packet header has no stream_id. */
    private boolean streamIds() {
        StructClass h = tc.packetHeader();
        boolean field = false;
        if (h != null) {
            for (StructClass.Member m : h.members()) {
                field |= m.name().equals("stream_id") || m.type() instanceof IntegerClass ic
                        && ic.hasRole(IntegerClass.Role.DATA_STREAM_CLASS_ID);
            }
        }
        return field || tc.streamClasses().size() > 1;
    }

    private void stream(StreamClass sc) {
        curStream = sc;
        boolean ids = streamIds();
        out.append("stream {\n");
        if (ids) {
            out.append("\tid = ").append(sc.id()).append(";\n");
        }
        scope("packet.context", Scope.PACKET_CONTEXT, sc.packetContext());
        scope("event.header", Scope.EVENT_HEADER, sc.eventHeader());
        scope("event.context", Scope.EVENT_COMMON_CONTEXT, sc.eventCommonContext());
        out.append("};\n\n");
        for (EventClass ec : sc.eventClasses()) {
            out.append("event {\n\tname = ");
            quoted(ec.name());
            out.append(";\n\tid = ").append(ec.id()).append(";\n");
            if (ids) {
                out.append("\tstream_id = ").append(sc.id()).append(";\n");
            }
            if (ec.logLevel() != null) {
                out.append("\tloglevel = ").append(ec.logLevel()).append(";\n");
            }
            if (ec.emfUri() != null) {
                out.append("\tmodel.emf.uri = ");
                quoted(ec.emfUri());
                out.append(";\n");
            }
            scope("context", Scope.EVENT_SPECIFIC_CONTEXT, ec.specificContext());
            scope("fields", Scope.EVENT_PAYLOAD, ec.payload());
            out.append("};\n\n");
        }
    }

    private void scope(String name, Scope sc, StructClass s) {
        if (s == null) {
            return;
        }
        scope = sc;
        out.append('\t').append(name).append(" := ");
        type(s, 1, null);
        out.append(";\n");
    }

    /**
     * Writes the type specifier of {@code fc}. Arrays are not type specifiers in TSDL (they are declarator
     * suffixes), so callers go through {@link #member}; {@code fc} here is never an array.
     */
    private void type(FieldClass fc, int depth, String where) {
        if (fc instanceof IntegerClass ic) {
            integer(ic, where);
        } else if (fc instanceof FloatClass f) {
            out.append("floating_point { exp_dig = ").append(f.exponentDigits()).append("; mant_dig = ")
                    .append(f.mantissaDigits()).append("; byte_order = ").append(order(f.byteOrder()))
                    .append("; align = ").append(f.alignment()).append("; }");
        } else if (fc instanceof StringClass s) {
            out.append("string");
            if (s.encoding() == StringClass.Encoding.ASCII) {
                out.append(" { encoding = ASCII; }");
            } else if (s.encoding() != StringClass.Encoding.UTF8) {
                throw cannot(where, s.encoding() + " string");
            }
        } else if (fc instanceof StructClass s) {
            out.append("struct {\n");
            structStack.add(s);
            for (StructClass.Member m : s.members()) {
                indent(depth + 1);
                member(m.name(), m.type(), depth + 1, where == null ? m.name() : where + "." + m.name());
                out.append(";\n");
            }
            structStack.remove(structStack.size() - 1);
            indent(depth);
            out.append("}");
            if (s.alignment() > 1) {
                out.append(" align(").append(s.alignment()).append(")");
            }
        } else if (fc instanceof VariantClass v) {
            out.append("variant <").append(tagPath(v.selectorPath())).append("> {\n");
            structStack.add(null);
            for (VariantClass.Option o : v.options()) {
                indent(depth + 1);
                member(o.name(), o.type(), depth + 1, where == null ? o.name() : where + "." + o.name());
                out.append(";\n");
            }
            structStack.remove(structStack.size() - 1);
            indent(depth);
            out.append("}");
        } else if (fc instanceof BlobClass) {
            throw cannot(where, "BLOB");
        } else if (fc instanceof OptionalClass) {
            throw cannot(where, "optional field");
        } else {
            throw cannot(where, fc.getClass().getSimpleName());
        }
    }

    private void member(String name, FieldClass fc, int depth, String where) {
        List<String> suffixes = new ArrayList<>();
        FieldClass t = fc;
        while (t instanceof ArrayClass || t instanceof BlobClass
                || t instanceof StringClass s && s.kind() != StringClass.Kind.NULL_TERMINATED) {
            if (t instanceof BlobClass b) {
                // A BLOB is bytes: an array or sequence of unsigned 8-bit integers.
                suffixes.add(b.isStaticLength() ? "[" + b.staticLength() + "]" : "[" + lengthPath(b.lengthPath()) + "]");
                t = IntegerClass.builder().length(8).alignment(8).byteOrder(tc.byteOrder()).build();
            } else if (t instanceof ArrayClass a) {
                suffixes.add(a.isStaticLength() ? "[" + a.staticLength() + "]" : "[" + lengthPath(a.lengthPath()) + "]");
                if (a.isText() && a.elementType() instanceof IntegerClass e && e.encoding() == IntegerClass.Encoding.NONE) {
                    t = e.toBuilder().encoding(IntegerClass.Encoding.UTF8).build();
                    break;
                }
                t = a.elementType();
            } else {
                StringClass s = (StringClass) t;
                if (s.encoding() != StringClass.Encoding.UTF8 && s.encoding() != StringClass.Encoding.ASCII) {
                    throw cannot(where, s.encoding() + " string");
                }
                suffixes.add(s.kind() == StringClass.Kind.STATIC_LENGTH ? "[" + s.staticLength() + "]"
                        : "[" + lengthPath(s.lengthPath()) + "]");
                t = IntegerClass.builder().length(8).alignment(8).byteOrder(tc.byteOrder())
                        .encoding(s.encoding() == StringClass.Encoding.ASCII ? IntegerClass.Encoding.ASCII
                                : IntegerClass.Encoding.UTF8).build();
            }
        }
        type(t, depth, where);
        out.append(' ').append(identifier(name));
        for (String s : suffixes) {
            out.append(s);
        }
    }

    private void integer(IntegerClass ic, String where) {
        if (ic.variableLength()) {
            throw cannot(where, "variable-length integer");
        }
        boolean enumeration = !ic.mappings().isEmpty();
        if (enumeration) {
            out.append("enum : ");
        }
        out.append("integer { size = ").append(ic.length()).append("; align = ").append(ic.alignment())
                .append("; signed = ").append(ic.signed() ? "true" : "false").append("; byte_order = ")
                .append(order(ic.byteOrder()));
        if (ic.base() != 10) {
            out.append("; base = ").append(ic.base());
        }
        if (ic.encoding() != IntegerClass.Encoding.NONE) {
            out.append("; encoding = ").append(ic.encoding() == IntegerClass.Encoding.ASCII ? "ASCII" : "UTF8");
        }
        String clock = ic.mappedClock();
        if (clock == null && curStream != null && curStream.defaultClock() != null
                && (ic.hasRole(IntegerClass.Role.DEFAULT_CLOCK_TIMESTAMP)
                || ic.hasRole(IntegerClass.Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP))) {
            clock = curStream.defaultClock().name(); // CTF 2 maps timestamps to the default clock by role
        }
        if (clock != null) {
            out.append("; map = clock.").append(identifier(clock)).append(".value");
        }
        out.append("; }");
        if (enumeration) {
            out.append(" { ");
            boolean first = true;
            for (IntegerClass.Mapping m : ic.mappings()) {
                for (IntegerClass.Range r : m.ranges()) {
                    if (!first) {
                        out.append(", ");
                    }
                    first = false;
                    quoted(m.label());
                    out.append(" = ").append(number(r.lower(), ic.signed()));
                    if (r.upper() != r.lower()) {
                        out.append(" ... ").append(number(r.upper(), ic.signed()));
                    }
                }
            }
            out.append(" }");
        }
    }

    private static String number(long v, boolean signed) {
        return signed ? Long.toString(v) : Long.toUnsignedString(v);
    }

    /**
     * A variant tag path. babeltrace2 2.0 does not parse absolute variant tags (they start with a keyword:
     * {@code event}, {@code stream}, {@code trace}), so tags are written relative when that designates the same
     * field: the shortest tail of the path whose first name, looked up from the innermost enclosing structure
     * outwards (the CTF 1.8 rule), is found in the structure that holds it. A tag in another scope is written as
     * its names from that scope's root, which CTF 1.8 readers look up in the enclosing scopes.
     */
    private String tagPath(FieldPath p) {
        if (p.scope() != scope) {
            return dotted(p.names());
        }
        String rel = relative(p);
        return rel != null ? rel : path(p);
    }

    /** A sequence length: relative like a tag when possible (always valid), else absolute. */
    private String lengthPath(FieldPath p) {
        String rel = p.scope() == scope ? relative(p) : null;
        return rel != null ? rel : path(p);
    }

    private String relative(FieldPath p) {
        List<String> names = p.names();
        if (structStack.isEmpty() || names.isEmpty()) {
            return null;
        }
        for (int k = names.size() - 1; k >= 0; k--) {
            FieldClass prefix = structStack.get(0);
            for (int i = 0; i < k && prefix != null; i++) {
                prefix = Paths.member(prefix, names.get(i));
            }
            StructClass holder = prefix == null ? null : Paths.container(prefix, names.get(k));
            if (holder == null) {
                continue;
            }
            StructClass found = null;
            for (int d = structStack.size() - 1; d >= 0 && found == null; d--) {
                StructClass s = structStack.get(d);
                if (s != null && s.indexOf(names.get(k)) >= 0) {
                    found = s;
                }
            }
            if (found == holder) {
                return dotted(names.subList(k, names.size()));
            }
        }
        return null;
    }

    private static String dotted(List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(identifier(n));
        }
        return sb.toString();
    }

    private static String path(FieldPath p) {
        StringBuilder sb = new StringBuilder(p.scope().tsdlPrefix());
        for (String n : p.names()) {
            sb.append('.').append(identifier(n));
        }
        return sb.toString();
    }

    /** The TSDL spelling of a member name (see the class comment). */
    static String identifier(String name) {
        if (name == null || name.isEmpty()) {
            return "_";
        }
        StringBuilder sb = new StringBuilder(name.length() + 1);
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            sb.append(ok ? c : '_');
        }
        String s = sb.toString();
        if (!s.equals(name) || KEYWORDS.contains(name) || Character.isDigit(name.charAt(0)) || name.startsWith("_")) {
            return "_" + s;
        }
        return s;
    }

    private static String order(ByteOrder o) {
        return o == ByteOrder.BIG_ENDIAN ? "be" : "le";
    }

    private void quoted(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private void indent(int depth) {
        for (int i = 0; i < depth; i++) {
            out.append('\t');
        }
    }

    private static IllegalArgumentException cannot(String where, String what) {
        return new IllegalArgumentException((where == null ? "" : where + ": ") + "a " + what
                + " cannot be expressed in CTF 1.8 metadata; write CTF 2 metadata instead");
    }
}
