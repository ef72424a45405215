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
import io.tracestream.ctf.meta.IntegerClass.Role;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Generates CTF 2 metadata (CTF2-SPEC-2.0): a JSON text sequence (RFC 7464: each fragment is preceded by the
 * record separator U+001E and followed by a newline) of a preamble, the trace class, the clock classes, the data
 * stream classes and the event record classes of a {@link TraceClass}.
 *
 * <p>Well-known CTF 1.8 member names get their CTF 2 roles when the model has none ({@code magic},
 * {@code stream_id}, {@code timestamp_begin}, {@code content_size}, event header {@code id} and
 * {@code timestamp}, ...). A CTF 1.8 enumeration becomes an integer class with mappings, a text array/sequence a
 * static/dynamic-length string, and a variant's options get the selector ranges of their enumeration labels.
 * Clock classes get {@code id} = name. User attributes are written as they are in the model.
 */
public final class Ctf2MetadataGenerator {
    private static final char RS = '\u001e';

    private final TraceClass tc;
    private final StringBuilder out = new StringBuilder(4096);
    private StreamClass curStream;
    private EventClass curEvent;

    private Ctf2MetadataGenerator(TraceClass tc) {
        this.tc = tc;
    }

    /** Returns the CTF 2 metadata stream text of {@code tc}. */
    public static String generate(TraceClass tc) {
        Ctf2MetadataGenerator g = new Ctf2MetadataGenerator(tc);
        g.all();
        return g.out.toString();
    }

    private void all() {
        Map<String, Object> pre = new LinkedHashMap<>();
        pre.put("type", "preamble");
        pre.put("version", 2);
        if (tc.uuid() != null) {
            pre.put("uuid", uuidArray(tc.uuid()));
        }
        fragment(pre);

        Map<String, Object> t = new LinkedHashMap<>();
        t.put("type", "trace-class");
        putIf(t, "namespace", tc.namespace());
        putIf(t, "name", tc.name());
        putIf(t, "uid", tc.uid() != null ? tc.uid() : tc.uuid() != null ? tc.uuid().toString() : null);
        if (!tc.environment().isEmpty()) {
            t.put("environment", tc.environment());
        }
        if (tc.packetHeader() != null) {
            t.put("packet-header-field-class", field(tc.packetHeader(), Scope.PACKET_HEADER, List.of()));
        }
        attributes(t, tc.attributes());
        fragment(t);

        for (ClockClass c : tc.clocks().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "clock-class");
            m.put("id", c.name());
            m.put("name", c.name());
            if (c.uuid() != null) {
                m.put("uid", c.uuid().toString());
            }
            m.put("frequency", c.frequency());
            if (c.originIsUnixEpoch()) {
                m.put("origin", "unix-epoch");
            }
            Map<String, Object> off = new LinkedHashMap<>();
            // CTF 2 requires 0 <= cycles < frequency.
            off.put("seconds", c.offsetSeconds() + Math.floorDiv(c.offsetCycles(), c.frequency()));
            off.put("cycles", Math.floorMod(c.offsetCycles(), c.frequency()));
            m.put("offset-from-origin", off);
            if (c.precision() > 0) {
                m.put("precision", c.precision());
            }
            putIf(m, "description", c.description());
            attributes(m, c.attributes());
            fragment(m);
        }

        for (StreamClass sc : tc.streamClasses()) {
            curStream = sc;
            curEvent = null;
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", "data-stream-class");
            m.put("id", sc.id());
            putIf(m, "name", sc.name());
            if (sc.defaultClock() != null) {
                m.put("default-clock-class-id", sc.defaultClock().name());
            }
            if (sc.packetContext() != null) {
                m.put("packet-context-field-class", field(sc.packetContext(), Scope.PACKET_CONTEXT, List.of()));
            }
            if (sc.eventHeader() != null) {
                m.put("event-record-header-field-class", field(sc.eventHeader(), Scope.EVENT_HEADER, List.of()));
            }
            if (sc.eventCommonContext() != null) {
                m.put("event-record-common-context-field-class",
                        field(sc.eventCommonContext(), Scope.EVENT_COMMON_CONTEXT, List.of()));
            }
            attributes(m, sc.attributes());
            fragment(m);
            for (EventClass ec : sc.eventClasses()) {
                curEvent = ec;
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("type", "event-record-class");
                e.put("id", ec.id());
                e.put("data-stream-class-id", sc.id());
                putIf(e, "name", ec.name());
                if (ec.specificContext() != null) {
                    e.put("specific-context-field-class",
                            field(ec.specificContext(), Scope.EVENT_SPECIFIC_CONTEXT, List.of()));
                }
                if (ec.payload() != null) {
                    e.put("payload-field-class", field(ec.payload(), Scope.EVENT_PAYLOAD, List.of()));
                }
                attributes(e, ec.attributes());
                fragment(e);
            }
        }
    }

    private static void putIf(Map<String, Object> m, String k, Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static void attributes(Map<String, Object> m, Map<String, Object> attrs) {
        if (attrs != null && !attrs.isEmpty()) {
            m.put("attributes", attrs);
        }
    }

    private static List<Integer> uuidArray(UUID u) {
        List<Integer> l = new ArrayList<>(16);
        long[] halves = {u.getMostSignificantBits(), u.getLeastSignificantBits()};
        for (long h : halves) {
            for (int i = 7; i >= 0; i--) {
                l.add((int) ((h >>> (i * 8)) & 0xFF));
            }
        }
        return l;
    }

    private Map<String, Object> field(FieldClass fc, Scope scope, List<String> path) {
        Map<String, Object> m = new LinkedHashMap<>();
        String name = path.isEmpty() ? "" : path.get(path.size() - 1);
        if (fc instanceof IntegerClass ic) {
            String kind;
            if (ic.variableLength()) {
                kind = ic.signed() ? "variable-length-signed-integer" : "variable-length-unsigned-integer";
            } else if (ic.kind() == IntegerClass.Kind.BOOLEAN) {
                kind = "fixed-length-boolean";
            } else if (ic.kind() == IntegerClass.Kind.BIT_ARRAY) {
                kind = "fixed-length-bit-array";
            } else {
                kind = ic.signed() ? "fixed-length-signed-integer" : "fixed-length-unsigned-integer";
            }
            m.put("type", kind);
            if (!ic.variableLength()) {
                m.put("length", ic.length());
                m.put("byte-order", byteOrder(ic.byteOrder()));
                if (ic.lsbFirst() != (ic.byteOrder() == ByteOrder.LITTLE_ENDIAN)) {
                    m.put("bit-order", ic.lsbFirst() ? "first-to-last" : "last-to-first");
                }
                if (ic.alignment() != 1) {
                    m.put("alignment", ic.alignment());
                }
            }
            if (ic.base() != 10 && ic.kind() == IntegerClass.Kind.INTEGER) {
                m.put("preferred-display-base", ic.base());
            }
            if (!ic.mappings().isEmpty()) {
                Map<String, Object> maps = new LinkedHashMap<>();
                for (IntegerClass.Mapping mp : ic.mappings()) {
                    @SuppressWarnings("unchecked")
                    List<Object> ranges = (List<Object>) maps.computeIfAbsent(mp.label(), k -> new ArrayList<>());
                    ranges.addAll(ranges(mp.ranges(), ic.signed()));
                }
                m.put("mappings", maps);
            }
            Set<String> roles = roles(ic, scope, path);
            if (!roles.isEmpty()) {
                m.put("roles", new ArrayList<>(roles));
            }
        } else if (fc instanceof FloatClass f) {
            m.put("type", "fixed-length-floating-point-number");
            m.put("length", f.length());
            m.put("byte-order", byteOrder(f.byteOrder()));
            if (f.alignment() != 1) {
                m.put("alignment", f.alignment());
            }
        } else if (fc instanceof StringClass s) {
            switch (s.kind()) {
                case NULL_TERMINATED -> m.put("type", "null-terminated-string");
                case STATIC_LENGTH -> {
                    m.put("type", "static-length-string");
                    m.put("length", s.staticLength());
                }
                case DYNAMIC_LENGTH -> {
                    m.put("type", "dynamic-length-string");
                    m.put("length-field-location", location(s.lengthPath()));
                }
            }
            if (s.encoding() != StringClass.Encoding.UTF8 && s.encoding() != StringClass.Encoding.ASCII) {
                m.put("encoding", switch (s.encoding()) {
                    case UTF16BE -> "utf-16be";
                    case UTF16LE -> "utf-16le";
                    case UTF32BE -> "utf-32be";
                    default -> "utf-32le";
                });
            }
        } else if (fc instanceof BlobClass b) {
            if (b.isStaticLength()) {
                m.put("type", "static-length-blob");
                m.put("length", b.staticLength());
            } else {
                m.put("type", "dynamic-length-blob");
                m.put("length-field-location", location(b.lengthPath()));
            }
            if (!b.mediaType().equals("application/octet-stream")) {
                m.put("media-type", b.mediaType());
            }
            if (b.isMetadataStreamUuid() || scope == Scope.PACKET_HEADER && path.size() == 1 && name.equals("uuid")) {
                m.put("roles", List.of("metadata-stream-uuid"));
            }
        } else if (fc instanceof ArrayClass a && a.isText() && a.elementType() instanceof IntegerClass e
                && e.length() == 8) {
            if (a.isStaticLength()) {
                m.put("type", "static-length-string");
                m.put("length", a.staticLength());
            } else {
                m.put("type", "dynamic-length-string");
                m.put("length-field-location", location(a.lengthPath()));
            }
        } else if (fc instanceof ArrayClass a && scope == Scope.PACKET_HEADER && path.size() == 1
                && name.equals("uuid") && a.isStaticLength() && a.staticLength() == 16
                && a.elementType() instanceof IntegerClass e && e.length() == 8) {
            m.put("type", "static-length-blob");
            m.put("length", 16);
            m.put("roles", List.of("metadata-stream-uuid"));
        } else if (fc instanceof ArrayClass a) {
            if (a.isStaticLength()) {
                m.put("type", "static-length-array");
                m.put("length", a.staticLength());
            } else {
                m.put("type", "dynamic-length-array");
                m.put("length-field-location", location(a.lengthPath()));
            }
            m.put("element-field-class", field(a.elementType(), scope, path));
            if (a.alignment() > a.elementType().alignment()) {
                m.put("minimum-alignment", a.alignment());
            }
        } else if (fc instanceof StructClass s) {
            m.put("type", "structure");
            List<Object> members = new ArrayList<>();
            int maxMember = 1;
            for (StructClass.Member mem : s.members()) {
                Map<String, Object> mm = new LinkedHashMap<>();
                mm.put("name", mem.name());
                List<String> p = new ArrayList<>(path);
                p.add(mem.name());
                mm.put("field-class", field(mem.type(), scope, p));
                attributes(mm, mem.attributes());
                members.add(mm);
                maxMember = Math.max(maxMember, mem.type().alignment());
            }
            m.put("member-classes", members);
            if (s.alignment() > maxMember) {
                m.put("minimum-alignment", s.alignment());
            }
        } else if (fc instanceof VariantClass v) {
            m.put("type", "variant");
            m.put("selector-field-location", location(v.selectorPath()));
            FieldClass sel = Paths.resolve(tc, curStream, curEvent, v.selectorPath());
            boolean signed = sel instanceof IntegerClass ic && ic.signed();
            List<Object> opts = new ArrayList<>();
            for (int i = 0; i < v.options().size(); i++) {
                VariantClass.Option o = v.options().get(i);
                Map<String, Object> om = new LinkedHashMap<>();
                om.put("name", o.name());
                List<String> p = new ArrayList<>(path);
                p.add(o.name());
                om.put("field-class", field(o.type(), scope, p));
                List<IntegerClass.Range> rs = Paths.optionRanges(v, i, sel);
                if (rs.isEmpty()) {
                    throw new IllegalArgumentException("variant " + String.join(".", path) + ": option '" + o.name()
                            + "' has no selector value (no enumeration label of that name)");
                }
                om.put("selector-field-ranges", ranges(rs, signed));
                attributes(om, o.attributes());
                opts.add(om);
            }
            m.put("options", opts);
        } else if (fc instanceof OptionalClass o) {
            m.put("type", "optional");
            m.put("selector-field-location", location(o.selectorPath()));
            if (!o.selectorRanges().isEmpty()) {
                FieldClass sel = Paths.resolve(tc, curStream, curEvent, o.selectorPath());
                m.put("selector-field-ranges", ranges(o.selectorRanges(),
                        sel instanceof IntegerClass ic && ic.signed()));
            }
            m.put("field-class", field(o.type(), scope, path));
        } else {
            throw new IllegalArgumentException("unsupported field class " + fc.getClass().getSimpleName());
        }
        attributes(m, fc.attributes());
        return m;
    }

    private static List<Object> ranges(Collection<IntegerClass.Range> rs, boolean signed) {
        List<Object> out = new ArrayList<>();
        for (IntegerClass.Range r : rs) {
            out.add(List.of(new JsonNumber(r.lower(), signed), new JsonNumber(r.upper(), signed)));
        }
        return out;
    }

    /** A 64-bit integer printed signed or unsigned. */
    private record JsonNumber(long value, boolean signed) {
        @Override
        public String toString() {
            return signed ? Long.toString(value) : Long.toUnsignedString(value);
        }
    }

    private static Map<String, Object> location(FieldPath p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("origin", p.scope().ctf2Name());
        m.put("path", p.names());
        return m;
    }

    private static String byteOrder(ByteOrder o) {
        return o == ByteOrder.BIG_ENDIAN ? "big-endian" : "little-endian";
    }

    private static Set<String> roles(IntegerClass ic, Scope scope, List<String> path) {
        Set<Role> rs = new LinkedHashSet<>(ic.roles());
        String name = path.isEmpty() ? "" : path.get(path.size() - 1);
        boolean top = path.size() == 1;
        switch (scope) {
            case PACKET_HEADER -> {
                if (top && name.equals("magic")) {
                    rs.add(Role.PACKET_MAGIC_NUMBER);
                } else if (top && name.equals("stream_id")) {
                    rs.add(Role.DATA_STREAM_CLASS_ID);
                } else if (top && name.equals("stream_instance_id")) {
                    rs.add(Role.DATA_STREAM_ID);
                }
            }
            case PACKET_CONTEXT -> {
                if (!top) {
                    break;
                }
                switch (name) {
                    case "timestamp_begin" -> rs.add(Role.DEFAULT_CLOCK_TIMESTAMP);
                    case "timestamp_end" -> rs.add(Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP);
                    case "content_size" -> rs.add(Role.PACKET_CONTENT_LENGTH);
                    case "packet_size" -> rs.add(Role.PACKET_TOTAL_LENGTH);
                    case "events_discarded" -> rs.add(Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT);
                    case "packet_seq_num" -> rs.add(Role.PACKET_SEQUENCE_NUMBER);
                    default -> { }
                }
            }
            case EVENT_HEADER -> {
                if (name.equals("id")) {
                    rs.add(Role.EVENT_RECORD_CLASS_ID);
                } else if (name.equals("timestamp") || ic.mappedClock() != null) {
                    rs.add(Role.DEFAULT_CLOCK_TIMESTAMP);
                }
            }
            default -> { }
        }
        Set<String> out = new LinkedHashSet<>();
        for (Role r : rs) {
            out.add(r.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        }
        return out;
    }

    // ------------------------------------------------------------------ JSON

    private void fragment(Map<String, Object> m) {
        out.append(RS);
        json(m);
        out.append('\n');
    }

    private void json(Object v) {
        if (v == null) {
            out.append("null");
        } else if (v instanceof Map<?, ?> m) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                string(String.valueOf(e.getKey()));
                out.append(": ");
                json(e.getValue());
            }
            out.append('}');
        } else if (v instanceof Collection<?> c) {
            out.append('[');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    out.append(", ");
                }
                first = false;
                json(o);
            }
            out.append(']');
        } else if (v instanceof Boolean || v instanceof JsonNumber) {
            out.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        } else if (v instanceof Number n) {
            out.append(n.longValue());
        } else {
            string(String.valueOf(v));
        }
    }

    private void string(String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
