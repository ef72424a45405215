package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import io.tracestream.ctf.meta.tsdl.Ast.Pos;

import java.util.Map;

/** Checks on well-known fields and the inference of a stream class's default clock, as babeltrace2 does. */
final class Roles {
    private Roles() {
    }

    /** An unsigned integer {@code magic} in the packet header must be the first member and 32 bits long. */
    static void checkMagic(Analyzer a, Pos where, StructClass ph) {
        int i = ph.indexOf("magic");
        if (i >= 0 && ph.member(i).type() instanceof IntegerClass ic && !ic.signed()) {
            if (ic.length() != 32) {
                throw a.err(where, "`magic` field of the packet header must be 32 bits long, not " + ic.length());
            }
            if (i != 0) {
                throw a.err(where, "`magic` field must be the first field of the packet header");
            }
        }
    }

    /** The least number of bits a field of class {@code fc} can take (0 when it can be empty). */
    static long minimumBits(FieldClass fc, int depth) {
        if (depth > Parser.MAX_DEPTH) {
            return 1;
        }
        if (fc instanceof StructClass s) {
            long sum = 0;
            for (StructClass.Member m : s.members()) {
                sum += minimumBits(m.type(), depth + 1);
                if (sum > 0) {
                    return sum;
                }
            }
            return sum;
        }
        if (fc instanceof ArrayClass arr) {
            return arr.isStaticLength() && arr.staticLength() > 0 ? minimumBits(arr.elementType(), depth + 1) : 0;
        }
        if (fc instanceof VariantClass v) {
            long min = Long.MAX_VALUE;
            for (VariantClass.Option o : v.options()) {
                min = Math.min(min, minimumBits(o.type(), depth + 1));
            }
            return min;
        }
        if (fc instanceof io.tracestream.ctf.meta.StringClass) {
            return 8;
        }
        return fc.fixedSizeBits() < 0 ? 0 : fc.fixedSizeBits();
    }

    /** The one clock mapped by the stream's fields (all of its scopes), or null; several clocks are an error. */
    static ClockClass defaultClock(Analyzer a, Analyzer.StreamInfo si, Map<String, ClockClass> clocks) {
        String[] found = new String[1];
        find(a, si, si.packetContext, found);
        find(a, si, si.eventHeader, found);
        find(a, si, si.commonContext, found);
        for (EventClass ec : si.events) {
            find(a, si, ec.specificContext(), found);
            find(a, si, ec.payload(), found);
        }
        return found[0] == null ? null : clocks.get(found[0]);
    }

    private static void find(Analyzer a, Analyzer.StreamInfo si, FieldClass fc, String[] found) {
        if (fc instanceof IntegerClass ic) {
            String c = ic.mappedClock();
            if (c != null) {
                if (found[0] != null && !found[0].equals(c)) {
                    throw a.err(si.pos, "stream class " + si.id + " maps fields to more than one clock (`"
                            + found[0] + "` and `" + c + "`)");
                }
                found[0] = c;
            }
        } else if (fc instanceof StructClass s) {
            for (StructClass.Member m : s.members()) {
                find(a, si, m.type(), found);
            }
        } else if (fc instanceof VariantClass v) {
            for (VariantClass.Option o : v.options()) {
                find(a, si, o.type(), found);
            }
        } else if (fc instanceof ArrayClass arr) {
            find(a, si, arr.elementType(), found);
        }
    }
}
