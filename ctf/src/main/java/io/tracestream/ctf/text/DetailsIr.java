package io.tracestream.ctf.text;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The view babeltrace2's {@code src.ctf.fs} gives of a CTF trace class in its trace IR: which fields exist there
 * (fields with a special meaning, or mapped to a clock, are left out unless a sequence or variant depends on them),
 * the indexes of the kept members, the field paths of lengths and selectors, and each stream class's packet and
 * discarded-item configuration.
 *
 * <p>Every field occurrence gets its own {@link Node}: model field classes may be shared between occurrences, IR
 * membership may not.
 */
final class DetailsIr {

    /** One field occurrence in a scope tree. */
    static final class Node {
        static final Node[] NONE = new Node[0];

        final String name;
        final FieldClass fc;
        final Node parent;
        final Scope scope;
        Node[] children = NONE;
        boolean inIr;
        /** Index among the in-IR siblings (struct members), or the option index (variant options). */
        int irIndex = -1;
        int irChildCount;
        /** Length (dynamic arrays) or selector (variants, optionals) target, or null. */
        Node target;
        /** True when the target is in a scope the IR keeps (not the packet or event header). */
        boolean targetInIr;

        Node(String name, FieldClass fc, Node parent, Scope scope) {
            this.name = name;
            this.fc = fc;
            this.parent = parent;
            this.scope = scope;
        }

        /** Child by its position, or null. */
        Node child(int index) {
            return index < children.length ? children[index] : null;
        }
    }

    /** Scope trees and configuration of one stream class. */
    static final class StreamIr {
        Node packetContext;
        Node eventHeader;
        Node commonContext;
        boolean packetsHaveBegin;
        boolean packetsHaveEnd;
        boolean discardedEvents;
        boolean discardedEventsHaveCs;
        boolean discardedPackets;
        boolean discardedPacketsHaveCs;
    }

    /** Scope trees of one event class. */
    static final class EventIr {
        Node specificContext;
        Node payload;
    }

    final TraceClass traceClass;
    final Node packetHeader;
    private final Map<StreamClass, StreamIr> streams = new IdentityHashMap<>();
    private final Map<EventClass, EventIr> events = new IdentityHashMap<>();

    DetailsIr(TraceClass tc) {
        this.traceClass = tc;
        this.packetHeader = build(tc.packetHeader(), Scope.PACKET_HEADER);
        for (StreamClass sc : tc.streamClasses()) {
            StreamIr s = new StreamIr();
            s.packetContext = build(sc.packetContext(), Scope.PACKET_CONTEXT);
            s.eventHeader = build(sc.eventHeader(), Scope.EVENT_HEADER);
            s.commonContext = build(sc.eventCommonContext(), Scope.EVENT_COMMON_CONTEXT);
            streams.put(sc, s);
            for (EventClass ec : sc.eventClasses()) {
                EventIr e = new EventIr();
                e.specificContext = build(ec.specificContext(), Scope.EVENT_SPECIFIC_CONTEXT);
                e.payload = build(ec.payload(), Scope.EVENT_PAYLOAD);
                events.put(ec, e);
            }
        }
        for (StreamClass sc : tc.streamClasses()) {
            StreamIr s = streams.get(sc);
            resolveAll(s.packetContext, sc, null);
            resolveAll(s.eventHeader, sc, null);
            resolveAll(s.commonContext, sc, null);
            for (EventClass ec : sc.eventClasses()) {
                EventIr e = events.get(ec);
                resolveAll(e.specificContext, sc, ec);
                resolveAll(e.payload, sc, ec);
            }
            configure(sc, s);
        }
        computeInIr();
    }

    StreamIr stream(StreamClass sc) {
        return streams.get(sc);
    }

    EventIr event(EventClass ec) {
        return events.get(ec);
    }

    /** The root of a scope for an event of class {@code ec} (or a packet of {@code sc}), or null. */
    Node root(Scope scope, StreamClass sc, EventClass ec) {
        return switch (scope) {
            case PACKET_HEADER -> packetHeader;
            case PACKET_CONTEXT -> sc == null ? null : streams.get(sc).packetContext;
            case EVENT_HEADER -> sc == null ? null : streams.get(sc).eventHeader;
            case EVENT_COMMON_CONTEXT -> sc == null ? null : streams.get(sc).commonContext;
            case EVENT_SPECIFIC_CONTEXT -> ec == null ? null : events.get(ec).specificContext;
            case EVENT_PAYLOAD -> ec == null ? null : events.get(ec).payload;
        };
    }

    /** True when the IR has this root scope: a structure with at least one kept member, or empty from the start. */
    static boolean translated(Node root) {
        return root != null && root.inIr && root.fc instanceof StructClass;
    }

    // ---------------------------------------------------------------------------------------------- building

    private static Node build(FieldClass fc, Scope scope) {
        return fc == null ? null : build(null, fc, null, scope);
    }

    private static Node build(String name, FieldClass fc, Node parent, Scope scope) {
        Node n = new Node(name, fc, parent, scope);
        if (fc instanceof StructClass st) {
            n.children = new Node[st.memberCount()];
            for (int i = 0; i < st.memberCount(); i++) {
                StructClass.Member m = st.member(i);
                n.children[i] = build(m.name(), m.type(), n, scope);
            }
        } else if (fc instanceof VariantClass v) {
            n.children = new Node[v.options().size()];
            for (int i = 0; i < n.children.length; i++) {
                VariantClass.Option o = v.options().get(i);
                n.children[i] = build(o.name(), o.type(), n, scope);
            }
        } else if (fc instanceof ArrayClass a && !a.isText()) {
            n.children = new Node[] {build(null, a.elementType(), n, scope)};
        } else if (fc instanceof OptionalClass o) {
            n.children = new Node[] {build(null, o.type(), n, scope)};
        }
        return n;
    }

    private void resolveAll(Node n, StreamClass sc, EventClass ec) {
        if (n == null) {
            return;
        }
        FieldPath p = null;
        if (n.fc instanceof ArrayClass a && !a.isText()) {
            p = a.lengthPath();
        } else if (n.fc instanceof VariantClass v) {
            p = v.selectorPath();
        } else if (n.fc instanceof OptionalClass o) {
            p = o.selectorPath();
        } else if (n.fc instanceof StringClass s) {
            p = s.lengthPath();
        } else if (n.fc instanceof BlobClass b) {
            p = b.lengthPath();
        }
        if (p != null) {
            n.target = resolve(p, sc, ec);
            n.targetInIr = n.target != null && p.scope() != Scope.PACKET_HEADER && p.scope() != Scope.EVENT_HEADER;
        }
        for (Node c : n.children) {
            resolveAll(c, sc, ec);
        }
    }

    private Node resolve(FieldPath path, StreamClass sc, EventClass ec) {
        Node cur = root(path.scope(), sc, ec);
        for (String name : path.names()) {
            if (cur == null) {
                return null;
            }
            while (cur.fc instanceof ArrayClass a && !a.isText() || cur.fc instanceof OptionalClass) {
                cur = cur.children[0];
            }
            Node next = null;
            for (Node c : cur.children) {
                if (name.equals(c.name)) {
                    next = c;
                    break;
                }
            }
            if (next == null && name.startsWith("_")) {
                String stripped = name.substring(1);
                for (Node c : cur.children) {
                    if (stripped.equals(c.name)) {
                        next = c;
                        break;
                    }
                }
            }
            cur = next;
        }
        return cur;
    }

    // ------------------------------------------------------------------------------------- configuration

    private void configure(StreamClass sc, StreamIr s) {
        if (s.packetContext == null) {
            return;
        }
        if (traceClass.ctfMajor() < 2) {
            s.packetsHaveBegin = topLevelInt(s.packetContext, "timestamp_begin") != null;
            s.packetsHaveEnd = topLevelInt(s.packetContext, "timestamp_end") != null;
            s.discardedEvents = topLevelInt(s.packetContext, "events_discarded") != null;
            s.discardedPackets = topLevelInt(s.packetContext, "packet_seq_num") != null;
        } else {
            s.packetsHaveBegin = hasRole(s.packetContext, IntegerClass.Role.DEFAULT_CLOCK_TIMESTAMP);
            s.packetsHaveEnd = hasRole(s.packetContext, IntegerClass.Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP);
            s.discardedEvents = hasRole(s.packetContext, IntegerClass.Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT);
            s.discardedPackets = hasRole(s.packetContext, IntegerClass.Role.PACKET_SEQUENCE_NUMBER);
        }
        if (sc.defaultClock() == null) {
            s.packetsHaveBegin = false;
            s.packetsHaveEnd = false;
        }
        s.discardedEventsHaveCs = s.discardedEvents && s.packetsHaveBegin && s.packetsHaveEnd;
        s.discardedPacketsHaveCs = s.discardedPackets && s.packetsHaveBegin && s.packetsHaveEnd;
    }

    private static Node topLevelInt(Node root, String name) {
        for (Node c : root.children) {
            if (name.equals(c.name) && c.fc instanceof IntegerClass) {
                return c;
            }
        }
        return null;
    }

    private static boolean hasRole(Node n, IntegerClass.Role role) {
        if (n.fc instanceof IntegerClass ic && ic.hasRole(role)) {
            return true;
        }
        for (Node c : n.children) {
            if (hasRole(c, role)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------ IR membership

    private void computeInIr() {
        Set<Node> dependents = Collections.newSetFromMap(new IdentityHashMap<>());
        for (StreamClass sc : traceClass.streamClasses()) {
            StreamIr s = streams.get(sc);
            for (EventClass ec : sc.eventClasses()) {
                EventIr e = events.get(ec);
                update(e.payload, dependents);
                update(e.specificContext, dependents);
            }
            update(s.commonContext, dependents);
            update(s.packetContext, dependents);
            // the event header and the packet header never reach the IR
        }
        for (StreamClass sc : traceClass.streamClasses()) {
            StreamIr s = streams.get(sc);
            index(s.packetContext);
            index(s.commonContext);
            for (EventClass ec : sc.eventClasses()) {
                EventIr e = events.get(ec);
                index(e.specificContext);
                index(e.payload);
            }
        }
    }

    private boolean hasMeaning(Node n, IntegerClass ic) {
        if (ic.mappedClock() != null) {
            return true;
        }
        if (traceClass.ctfMajor() >= 2) {
            return !ic.roles().isEmpty();
        }
        if (n.scope == Scope.PACKET_CONTEXT && n.parent != null && n.parent.parent == null) {
            return switch (n.name) {
                case "timestamp_begin", "timestamp_end", "events_discarded", "packet_seq_num", "packet_size",
                     "content_size" -> true;
                default -> false;
            };
        }
        return false;
    }

    private void update(Node n, Set<Node> dependents) {
        if (n == null) {
            return;
        }
        FieldClass fc = n.fc;
        if (fc instanceof IntegerClass ic) {
            if (!hasMeaning(n, ic) || dependents.contains(n)) {
                n.inIr = true;
            }
        } else if (fc instanceof StructClass) {
            if (n.children.length == 0) {
                n.inIr = true;
            }
            for (int i = n.children.length - 1; i >= 0; i--) {
                update(n.children[i], dependents);
                if (n.children[i].inIr) {
                    n.inIr = true;
                }
            }
        } else if (fc instanceof VariantClass) {
            for (int i = n.children.length - 1; i >= 0; i--) {
                update(n.children[i], dependents);
                if (n.children[i].inIr) {
                    n.inIr = true;
                }
            }
            if (n.inIr) {
                for (Node c : n.children) {
                    c.inIr = true;
                }
                if (n.target != null) {
                    dependents.add(n.target);
                }
            }
        } else if (fc instanceof ArrayClass a && !a.isText()) {
            update(n.children[0], dependents);
            n.inIr = n.children[0].inIr;
            if (n.inIr && n.target != null) {
                dependents.add(n.target);
            }
        } else if (fc instanceof OptionalClass) {
            update(n.children[0], dependents);
            n.inIr = n.children[0].inIr;
            if (n.inIr && n.target != null) {
                dependents.add(n.target);
            }
        } else {
            n.inIr = true;
            if (n.target != null) {
                dependents.add(n.target);
            }
        }
    }

    private static void index(Node n) {
        if (n == null) {
            return;
        }
        int k = 0;
        boolean variant = n.fc instanceof VariantClass;
        for (int i = 0; i < n.children.length; i++) {
            Node c = n.children[i];
            if (variant) {
                c.irIndex = i;
                k++;
            } else if (c.inIr) {
                c.irIndex = k++;
            }
            index(c);
        }
        n.irChildCount = k;
    }

    // ---------------------------------------------------------------------------------------------- paths

    /** The IR path items from the scope root to {@code target}: member indexes, or null for "current element". */
    static List<Integer> indexPath(Node target) {
        List<Integer> items = new ArrayList<>();
        for (Node n = target; n.parent != null; n = n.parent) {
            Node p = n.parent;
            if (p.fc instanceof ArrayClass) {
                items.add(null);
            } else if (p.fc instanceof OptionalClass) {
                continue;
            } else {
                items.add(n.irIndex);
            }
        }
        Collections.reverse(items);
        return items;
    }

    /** The member names from the scope root to {@code target} (array elements and optionals are skipped). */
    static List<String> namePath(Node target) {
        List<String> items = new ArrayList<>();
        for (Node n = target; n.parent != null; n = n.parent) {
            if (n.name != null && !(n.parent.fc instanceof ArrayClass) && !(n.parent.fc instanceof OptionalClass)) {
                items.add(n.name);
            }
        }
        Collections.reverse(items);
        return items;
    }

    /** The integer class that selects a variant or optional, or null. */
    static IntegerClass selectorClass(Node n) {
        return n.target != null && n.target.fc instanceof IntegerClass ic ? ic : null;
    }

    /** Cache of IR views, one per trace class. */
    static final class Cache {
        private final Map<TraceClass, DetailsIr> map = new HashMap<>();

        DetailsIr get(TraceClass tc) {
            return map.computeIfAbsent(tc, DetailsIr::new);
        }
    }
}
