package io.tracestream.ctf.write;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;

import java.util.ArrayList;
import java.util.List;

/** Field path helpers shared by the metadata generators and the plan compiler. */
final class Paths {
    private Paths() {
    }

    /** The root structure of {@code scope}, or null. {@code sc}/{@code ec} may be null for outer scopes. */
    static StructClass root(TraceClass tc, StreamClass sc, EventClass ec, Scope scope) {
        return switch (scope) {
            case PACKET_HEADER -> tc == null ? null : tc.packetHeader();
            case PACKET_CONTEXT -> sc == null ? null : sc.packetContext();
            case EVENT_HEADER -> sc == null ? null : sc.eventHeader();
            case EVENT_COMMON_CONTEXT -> sc == null ? null : sc.eventCommonContext();
            case EVENT_SPECIFIC_CONTEXT -> ec == null ? null : ec.specificContext();
            case EVENT_PAYLOAD -> ec == null ? null : ec.payload();
        };
    }

    /** The class a path designates, or null when it does not resolve. */
    static FieldClass resolve(TraceClass tc, StreamClass sc, EventClass ec, FieldPath path) {
        FieldClass cur = root(tc, sc, ec, path.scope());
        for (String name : path.names()) {
            cur = member(cur, name);
            if (cur == null) {
                return null;
            }
        }
        return cur;
    }

    /**
     * The structure in which a member named {@code name} of field {@code fc} is looked up: {@code fc} itself (or its
     * element/content) when a structure, the option structure of a variant that has such a member; else null.
     */
    static StructClass container(FieldClass fc, String name) {
        while (fc instanceof ArrayClass || fc instanceof OptionalClass) {
            fc = fc instanceof ArrayClass a ? a.elementType() : ((OptionalClass) fc).type();
        }
        if (fc instanceof StructClass s) {
            return s.indexOf(name) >= 0 ? s : null;
        }
        if (fc instanceof VariantClass v) {
            for (VariantClass.Option o : v.options()) {
                StructClass s = container(o.type(), name);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }

    /** The class of member {@code name} of {@code fc} (through arrays, optionals and variant options), or null. */
    static FieldClass member(FieldClass fc, String name) {
        while (true) {
            if (fc instanceof ArrayClass a) {
                fc = a.elementType();
            } else if (fc instanceof OptionalClass o) {
                fc = o.type();
            } else {
                break;
            }
        }
        if (fc instanceof StructClass s) {
            return s.memberType(name);
        }
        if (fc instanceof VariantClass v) {
            for (VariantClass.Option o : v.options()) {
                FieldClass r = member(o.type(), name);
                if (r != null) {
                    return r;
                }
            }
        }
        return null;
    }

    /**
     * Ranges of selector values that choose option {@code index} of {@code v}: its CTF 2 ranges, or else the
     * ranges of the selector enumeration's mapping whose label names the option (CTF 1.8; a leading underscore on
     * either side is ignored, as babeltrace2 does).
     */
    static List<IntegerClass.Range> optionRanges(VariantClass v, int index, FieldClass selector) {
        VariantClass.Option o = v.options().get(index);
        if (!o.selectorRanges().isEmpty()) {
            return o.selectorRanges();
        }
        List<IntegerClass.Range> out = new ArrayList<>();
        if (selector instanceof IntegerClass ic) {
            String n = strip(o.name());
            for (IntegerClass.Mapping m : ic.mappings()) {
                if (m.label().equals(o.name()) || strip(m.label()).equals(n)) {
                    out.addAll(m.ranges());
                }
            }
        }
        return out;
    }

    private static String strip(String s) {
        return s.startsWith("_") ? s.substring(1) : s;
    }

    static String key(Scope scope, List<String> names) {
        return scope.name() + "/" + String.join("/", names);
    }
}
