package io.tracestream.ctf.io;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.meta.TraceClass;
import java.util.List;
import java.util.Map;

/**
 * Corrects packet time bounds in the stream indexes for known tracer bugs, as babeltrace2 2.0 does before using the
 * bounds (stream intersection, seeking):
 *
 * <ul>
 * <li>LTTng "event after packet" (lttng-ust before 2.11, lttng-modules before 2.9.13 / 2.10.10 / 2.11): a packet
 * ends where the next begins; the last packet ends at its last event.</li>
 * <li>barectf "event before packet" (before 2.3.1): from the second packet on, a packet begins at its first event
 * and the previous one ends there.</li>
 * <li>LTTng crash (all lttng-ust and lttng-modules): a packet whose end is 0 but begin is not ends where the next
 * begins, or, for the last one, at its last event.</li>
 * </ul>
 */
final class TracerQuirks {
    private TracerQuirks() {
    }

    record TracerInfo(String name, long major, long minor, long patch) {
    }

    static TracerInfo tracerInfo(TraceClass tc) {
        Map<String, Object> env = tc.environment();
        if (!(env.get("tracer_name") instanceof String name) || !(env.get("tracer_major") instanceof Long major)) {
            return null;
        }
        long minor = 0;
        long patch = 0;
        if (env.get("tracer_minor") instanceof Long m) {
            minor = m;
            Object p = env.containsKey("tracer_patch") ? env.get("tracer_patch") : env.get("tracer_patchlevel");
            if (p instanceof Long pl) {
                patch = pl;
            }
        }
        return new TracerInfo(name, major, minor, patch);
    }

    static boolean eventAfterPacket(TracerInfo t) {
        if (t.name().equals("lttng-ust")) {
            return t.major() < 2 || (t.major() == 2 && t.minor() < 11);
        }
        if (t.name().equals("lttng-modules")) {
            if (t.major() < 2) {
                return true;
            }
            if (t.major() == 2) {
                if (t.minor() == 10) {
                    return t.patch() < 10;
                }
                if (t.minor() == 9) {
                    return t.patch() < 13;
                }
                return t.minor() < 9;
            }
        }
        return false;
    }

    static boolean eventBeforePacket(TracerInfo t) {
        if (!t.name().equals("barectf")) {
            return false;
        }
        return t.major() < 2 || (t.major() == 2 && (t.minor() < 3 || (t.minor() == 3 && t.patch() < 1)));
    }

    static boolean lttngCrash(TracerInfo t) {
        return t.name().equals("lttng-ust") || t.name().equals("lttng-modules");
    }

    static void apply(FsTrace trace, TraceBackend backend) {
        TracerInfo t = tracerInfo(trace.traceClass());
        if (t == null) {
            return;
        }
        boolean afterPacket = eventAfterPacket(t);
        boolean beforePacket = eventBeforePacket(t);
        boolean crash = lttngCrash(t);
        for (DataStream ds : trace.streams()) {
            FsDataStream s = (FsDataStream) ds;
            if (s.streamClass().defaultClock() == null || s.packets().isEmpty()) {
                continue;
            }
            int n = s.packets().size();
            long[] b = s.packetBeginNs;
            long[] e = s.packetEndNs;
            if (afterPacket) {
                for (int i = 0; i < n - 1; i++) {
                    e[i] = b[i + 1];
                }
                s.endAtLastEvent(n - 1, backend);
            }
            if (beforePacket) {
                for (int i = 1; i < n; i++) {
                    b[i] = firstEventNs(backend, s, i);
                    e[i - 1] = b[i];
                }
            }
            if (crash) {
                List<PacketIndexEntry> p = s.packets();
                if (p.get(n - 1).endCycles() == 0 && p.get(n - 1).beginCycles() != 0) {
                    s.endAtLastEvent(n - 1, backend);
                }
                for (int i = 0; i < n - 1; i++) {
                    if (p.get(i).endCycles() == 0 && p.get(i).beginCycles() != 0) {
                        e[i] = b[i + 1];
                    }
                }
            }
        }
    }

    /** Time of the packet's last event, or its beginning when it has none. */
    static long lastEventNs(TraceBackend backend, FsDataStream s, int packet) {
        long last = s.packetBeginNs[packet];
        try (MessageCursor c = backend.openStream(s, List.of(s.packets().get(packet)))) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT && c.timeNanos() != ClockValue.NONE) {
                    last = c.timeNanos();
                }
            }
        }
        return last;
    }

    /** Time of the packet's first event, or its beginning when it has none. */
    static long firstEventNs(TraceBackend backend, FsDataStream s, int packet) {
        try (MessageCursor c = backend.openStream(s, List.of(s.packets().get(packet)))) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT && c.timeNanos() != ClockValue.NONE) {
                    return c.timeNanos();
                }
            }
        }
        return s.packetBeginNs[packet];
    }
}
