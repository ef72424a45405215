package io.tracestream.ctf;

import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.Scope;

/**
 * One decoded event record. A cursor reuses the same instance for every event (a flyweight): keep
 * {@link #copy()} if you need the event after the cursor moves.
 *
 * <p>Fields are read by name with typed getters, looked up in the payload, then the specific context, then the
 * common context, then the header (first match wins); or walked in order with {@link #accept}.
 */
public interface EventRecord {
    EventClass eventClass();

    /** Shorthand for {@code eventClass().name()}. */
    default String name() {
        return eventClass().name();
    }

    DataStream stream();

    Packet packet();

    /** Raw value of the stream's default clock at this event, or {@link ClockValue#NONE}. */
    long cycles();

    /** Nanoseconds from the clock's origin (the Unix epoch for LTTng clocks), or {@link ClockValue#NONE}. */
    long timestamp();

    /** Walks one event scope: EVENT_HEADER, EVENT_COMMON_CONTEXT, EVENT_SPECIFIC_CONTEXT or EVENT_PAYLOAD. */
    void accept(Scope scope, FieldVisitor visitor);

    /** True when a field of that name exists at the top level of one of the event's scopes. */
    boolean has(String field);

    /** An integer field (unsigned 64-bit values come back as their bit pattern); fails when absent. */
    long getLong(String field);

    double getDouble(String field);

    String getString(String field);

    /** Any field as a Java object (Long, Double, String, byte[], List, Map), or null when absent. */
    Object get(String field);

    /** A detached copy that stays valid after the cursor moves. */
    EventRecord copy();
}
