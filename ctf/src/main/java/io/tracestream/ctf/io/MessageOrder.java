package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import java.util.UUID;

/**
 * The deterministic order babeltrace2 2.0's muxer ({@code common_muxing_compare_messages}) gives two messages with
 * the same timestamp: trace UUID, trace name, stream class id, stream id, then message type (stream beginning,
 * packet beginning, event, discarded events, packet end, discarded packets, stream end), then per type: event class
 * (id, name, log level, EMF URI), stream (name, stream class name and features), discarded items (time range with
 * its clock, count).
 *
 * <p>Arithmetic differences are truncated to {@code int} exactly as the C code does, so even its overflow quirks
 * are reproduced.
 */
final class MessageOrder {
    private MessageOrder() {
    }

    /** What the order needs to know about a stream, computed once. */
    static final class StreamKey {
        final DataStream stream;
        final UUID traceUuid;
        final String traceName;
        final long streamClassId;
        final long streamId;
        final String streamName;
        final String streamClassName;
        final boolean packetsHaveBegin;
        final boolean packetsHaveEnd;
        final boolean discardedEvents;
        final boolean discardedEventsHaveCs;
        final boolean discardedPackets;
        final boolean discardedPacketsHaveCs;
        final ClockClass clock;

        StreamKey(DataStream s) {
            this.stream = s;
            this.traceUuid = s.trace() == null ? null : s.trace().traceClass().uuid();
            this.traceName = s.trace() == null ? null : s.trace().name();
            StreamClass sc = s.streamClass();
            this.streamClassId = sc.id();
            this.streamId = s.id();
            this.streamName = s.name();
            this.streamClassName = sc.name();
            StructClass pc = sc.packetContext();
            this.packetsHaveBegin = has(pc, IntegerClass.Role.DEFAULT_CLOCK_TIMESTAMP, "timestamp_begin");
            this.packetsHaveEnd = has(pc, IntegerClass.Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP, "timestamp_end");
            this.discardedEvents = has(pc, IntegerClass.Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT,
                    "events_discarded");
            this.discardedEventsHaveCs = discardedEvents && packetsHaveBegin && packetsHaveEnd;
            this.discardedPackets = has(pc, IntegerClass.Role.PACKET_SEQUENCE_NUMBER, "packet_seq_num");
            this.discardedPacketsHaveCs = discardedPackets && packetsHaveBegin && packetsHaveEnd;
            this.clock = sc.defaultClock();
        }

        private static boolean has(StructClass pc, IntegerClass.Role role, String name) {
            if (pc == null) {
                return false;
            }
            for (StructClass.Member m : pc.members()) {
                if (m.type() instanceof IntegerClass ic && ic.hasRole(role)) {
                    return true;
                }
            }
            FieldClass fc = pc.memberType(name);
            return fc instanceof IntegerClass;
        }
    }

    static int typeWeight(MessageType t) {
        switch (t) {
            case STREAM_BEGINNING: return 7;
            case PACKET_BEGINNING: return 6;
            case EVENT: return 5;
            case DISCARDED_EVENTS: return 4;
            case PACKET_END: return 3;
            case DISCARDED_PACKETS: return 1;
            case STREAM_END: return 0;
            default: throw new IllegalArgumentException(t.toString());
        }
    }

    /** Negative when the left message goes first. */
    static int compare(StreamKey lk, MessageCursor l, StreamKey rk, MessageCursor r) {
        int ret = compareUuid(lk.traceUuid, rk.traceUuid);
        if (ret != 0) {
            return ret;
        }
        ret = presentFirst(lk.traceName, rk.traceName);
        if (ret != 0) {
            return ret;
        }
        ret = Long.compareUnsigned(lk.streamClassId, rk.streamClassId);
        if (ret != 0) {
            return ret;
        }
        ret = Long.compareUnsigned(lk.streamId, rk.streamId);
        if (ret != 0) {
            return ret;
        }
        MessageType lt = l.type();
        MessageType rt = r.type();
        if (lt != rt) {
            return typeWeight(rt) - typeWeight(lt);
        }
        switch (lt) {
            case STREAM_BEGINNING:
            case STREAM_END:
            case PACKET_BEGINNING:
            case PACKET_END:
                return compareStreams(lk, rk);
            case EVENT:
                ret = compareEvents(l.event().eventClass(), r.event().eventClass());
                return ret != 0 ? ret : compareStreams(lk, rk);
            case DISCARDED_EVENTS:
            case DISCARDED_PACKETS: {
                ret = compareStreams(lk, rk);
                if (ret != 0) {
                    return ret;
                }
                boolean haveCs = lt == MessageType.DISCARDED_EVENTS ? lk.discardedEventsHaveCs
                        : lk.discardedPacketsHaveCs;
                Discarded ld = l.discarded();
                Discarded rd = r.discarded();
                if (haveCs) {
                    ret = compareSnapshots(ld.beginCycles(), lk.clock, rd.beginCycles(), rk.clock);
                    if (ret != 0) {
                        return ret;
                    }
                    ret = compareSnapshots(ld.endCycles(), lk.clock, rd.endCycles(), rk.clock);
                    if (ret != 0) {
                        return ret;
                    }
                }
                long lc = ld.count();
                long rc = rd.count();
                if (lc >= 0 && rc >= 0) {
                    return (int) (lc - rc);
                } else if (lc >= 0) {
                    return -1;
                } else if (rc >= 0) {
                    return 1;
                }
                return 0;
            }
            default:
                return 0;
        }
    }

    /** babeltrace2's trace UUID order: a present UUID first, then byte order (memcmp). */
    static int compareUuid(UUID a, UUID b) {
        if (a != null && b == null) {
            return -1;
        }
        if (a == null && b != null) {
            return 1;
        }
        if (a == null) {
            return 0;
        }
        int c = Long.compareUnsigned(a.getMostSignificantBits(), b.getMostSignificantBits());
        return c != 0 ? c : Long.compareUnsigned(a.getLeastSignificantBits(), b.getLeastSignificantBits());
    }

    /** Present before absent, then strcmp. */
    private static int presentFirst(String a, String b) {
        return Utf8Order.compareNullsLast(a, b);
    }

    /** Absent before present (the event class rule), then strcmp. */
    private static int absentFirst(String a, String b) {
        if (a != null && b != null) {
            return Utf8Order.compare(a, b);
        }
        if (a == null && b != null) {
            return -1;
        }
        if (a != null) {
            return 1;
        }
        return 0;
    }

    static int compareEvents(EventClass l, EventClass r) {
        int ret = Long.compareUnsigned(l.id(), r.id());
        if (ret != 0) {
            return ret;
        }
        ret = absentFirst(l.name(), r.name());
        if (ret != 0) {
            return ret;
        }
        Long ll = l.logLevel();
        Long rl = r.logLevel();
        if (ll != null && rl != null) {
            ret = (int) (ll - rl);
            if (ret != 0) {
                return ret;
            }
        } else if (ll != null) {
            return -1;
        } else if (rl != null) {
            return 1;
        }
        return absentFirst(l.emfUri(), r.emfUri());
    }

    /** "Left has the feature" sorts after "right has not" (babeltrace2 returns 1 then). */
    private static int feature(boolean l, boolean r) {
        return l == r ? 0 : (l ? 1 : -1);
    }

    static int compareStreams(StreamKey l, StreamKey r) {
        int ret = absentFirst(l.streamName, r.streamName);
        if (ret != 0) {
            return ret;
        }
        ret = absentFirst(l.streamClassName, r.streamClassName);
        if (ret != 0) {
            return ret;
        }
        // Automatic event class / stream id assignment: never set for CTF streams, equal on both sides.
        ret = feature(l.discardedEvents, r.discardedEvents);
        if (ret != 0) {
            return ret;
        }
        ret = feature(l.discardedEventsHaveCs, r.discardedEventsHaveCs);
        if (ret != 0) {
            return ret;
        }
        // Both support packets (CTF streams always do).
        ret = feature(l.packetsHaveBegin, r.packetsHaveBegin);
        if (ret != 0) {
            return ret;
        }
        ret = feature(l.packetsHaveEnd, r.packetsHaveEnd);
        if (ret != 0) {
            return ret;
        }
        ret = feature(l.discardedPackets, r.discardedPackets);
        if (ret != 0) {
            return ret;
        }
        return feature(l.discardedPacketsHaveCs, r.discardedPacketsHaveCs);
    }

    static int compareSnapshots(long lv, ClockClass lc, long rv, ClockClass rc) {
        int ret = (int) (lv - rv);
        if (ret != 0) {
            return ret;
        }
        UUID lu = lc == null ? null : lc.uuid();
        UUID ru = rc == null ? null : rc.uuid();
        if (lu != null && ru == null) {
            return -1;
        } else if (lu == null && ru != null) {
            return 1;
        } else if (lu != null) {
            ret = compareUuid(lu, ru);
            if (ret != 0) {
                return ret;
            }
        }
        ret = presentFirst(lc == null ? null : lc.name(), rc == null ? null : rc.name());
        if (ret != 0) {
            return ret;
        }
        if (lc == null || rc == null) {
            return 0;
        }
        ret = (int) (rc.frequency() - lc.frequency());
        if (ret != 0) {
            return ret;
        }
        return (int) (rc.precision() - lc.precision());
    }
}
