package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.meta.EventClass;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/** Passes every message except events whose name is not in a set (decided once per event class). */
public final class EventFilterCursor implements MessageCursor {
    private final MessageCursor up;
    private final Set<String> names;
    private final Map<EventClass, Boolean> keep = new IdentityHashMap<>();

    public EventFilterCursor(MessageCursor upstream, Set<String> names) {
        this.up = upstream;
        this.names = names;
    }

    @Override
    public boolean next() {
        while (up.next()) {
            if (up.type() != MessageType.EVENT) {
                return true;
            }
            EventClass ec = up.event().eventClass();
            Boolean k = keep.get(ec);
            if (k == null) {
                k = names.contains(ec.name());
                keep.put(ec, k);
            }
            if (k) {
                return true;
            }
        }
        return false;
    }

    @Override
    public MessageType type() {
        return up.type();
    }

    @Override
    public DataStream stream() {
        return up.stream();
    }

    @Override
    public Packet packet() {
        return up.packet();
    }

    @Override
    public EventRecord event() {
        return up.event();
    }

    @Override
    public Discarded discarded() {
        return up.discarded();
    }

    @Override
    public long timeNanos() {
        return up.timeNanos();
    }

    @Override
    public long timeCycles() {
        return up.timeCycles();
    }

    @Override
    public void close() {
        up.close();
    }
}
