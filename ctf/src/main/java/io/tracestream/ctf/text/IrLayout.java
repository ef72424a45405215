package io.tracestream.ctf.text;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The printable scopes of a trace class as babeltrace2's CTF source exposes them: for each stream class its packet
 * context and event common context, for each event class its specific context and payload, with the fields that
 * babeltrace2 leaves out of its trace IR marked (see {@link FieldNode}). Headers are never printed.
 */
final class IrLayout {
    /** Well-known packet context members that have a meaning in babeltrace2's CTF 1.8 source. */
    private static final Set<String> PACKET_CONTEXT_MEANINGS = Set.of(
            "timestamp_begin", "timestamp_end", "events_discarded", "packet_seq_num", "packet_size",
            "content_size");

    final Map<StreamClass, FieldNode[]> streams = new IdentityHashMap<>();
    final Map<EventClass, FieldNode[]> events = new IdentityHashMap<>();

    private final boolean ctf1;
    private final Set<FieldNode> dependents = Collections.newSetFromMap(new IdentityHashMap<>());

    private IrLayout(TraceClass tc) {
        this.ctf1 = tc.ctfMajor() < 2;
    }

    static IrLayout of(TraceClass tc) {
        IrLayout l = new IrLayout(tc);
        for (StreamClass sc : tc.streamClasses()) {
            FieldNode pc = l.root(sc.packetContext());
            FieldNode cc = l.root(sc.eventCommonContext());
            if (pc != null && l.ctf1) {
                for (FieldNode m : pc.children) {
                    if (m.type instanceof IntegerClass && PACKET_CONTEXT_MEANINGS.contains(m.displayName)) {
                        m.meaning = true;
                    }
                }
            }
            l.streams.put(sc, new FieldNode[] {pc, cc});
            for (EventClass ec : sc.eventClasses()) {
                l.events.put(ec, new FieldNode[] {l.root(ec.specificContext()), l.root(ec.payload())});
            }
        }
        // babeltrace2's order: per stream class, each event class's payload then specific context, then the common
        // context and the packet context; members in reverse order so that length/selector fields are known to be
        // needed before they are visited.
        for (StreamClass sc : tc.streamClasses()) {
            FieldNode[] s = l.streams.get(sc);
            for (EventClass ec : sc.eventClasses()) {
                FieldNode[] e = l.events.get(ec);
                l.update(e[1], sc, e);
                l.update(e[0], sc, e);
            }
            l.update(s[1], sc, null);
            l.update(s[0], sc, null);
        }
        return l;
    }

    private FieldNode root(StructClass s) {
        return s == null ? null : FieldNode.build(s, null, ctf1);
    }

    private void update(FieldNode n, StreamClass sc, FieldNode[] eventScopes) {
        if (n == null) {
            return;
        }
        FieldClass t = n.type;
        if (t instanceof IntegerClass ic) {
            n.inIr = (ic.mappedClock() == null && !n.meaning) || dependents.contains(n);
        } else if (t instanceof StructClass) {
            if (n.children.length == 0) {
                n.inIr = true;
            }
            for (int i = n.children.length - 1; i >= 0; i--) {
                update(n.children[i], sc, eventScopes);
                if (n.children[i].inIr) {
                    n.inIr = true;
                }
            }
        } else if (t instanceof VariantClass v) {
            for (int i = n.children.length - 1; i >= 0; i--) {
                update(n.children[i], sc, eventScopes);
                if (n.children[i].inIr) {
                    n.inIr = true;
                }
            }
            if (n.inIr) {
                for (FieldNode c : n.children) {
                    c.inIr = true;
                }
                depend(v.selectorPath(), sc, eventScopes);
            }
        } else if (t instanceof ArrayClass a) {
            update(n.children[0], sc, eventScopes);
            n.inIr = n.children[0].inIr;
            if (n.inIr && !a.isStaticLength()) {
                depend(a.lengthPath(), sc, eventScopes);
            }
        } else if (t instanceof OptionalClass o) {
            update(n.children[0], sc, eventScopes);
            n.inIr = true;
            depend(o.selectorPath(), sc, eventScopes);
        } else {
            n.inIr = true;
        }
        if (t instanceof io.tracestream.ctf.meta.StringClass s && s.lengthPath() != null) {
            depend(s.lengthPath(), sc, eventScopes);
        } else if (t instanceof io.tracestream.ctf.meta.BlobClass b && b.lengthPath() != null) {
            depend(b.lengthPath(), sc, eventScopes);
        }
    }

    private void depend(FieldPath path, StreamClass sc, FieldNode[] eventScopes) {
        if (path == null) {
            return;
        }
        FieldNode n = switch (path.scope()) {
            case PACKET_CONTEXT -> streams.get(sc)[0];
            case EVENT_COMMON_CONTEXT -> streams.get(sc)[1];
            case EVENT_SPECIFIC_CONTEXT -> eventScopes == null ? null : eventScopes[0];
            case EVENT_PAYLOAD -> eventScopes == null ? null : eventScopes[1];
            default -> null; // headers are never part of the printed IR
        };
        List<String> names = path.names();
        for (int i = 0; n != null && i < names.size(); i++) {
            while (n != null && (n.type instanceof ArrayClass || n.type instanceof OptionalClass)) {
                n = n.children[0];
            }
            n = n == null ? null : n.child(names.get(i));
        }
        if (n != null) {
            dependents.add(n);
        }
    }
}
