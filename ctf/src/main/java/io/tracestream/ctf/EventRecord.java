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

    /**
     * A handle on the top-level field {@code name} for {@link #getLong(int)} and {@link #getString(int)}, or -1 when
     * there is none. It depends only on the {@link #eventClass()} ({@link EventClass#fieldHandle}): resolve it once
     * per event class, then read that field of every record of the class without a lookup by name.
     */
    default int fieldHandle(String name) {
        EventClass ec = eventClass();
        return ec == null ? -1 : ec.fieldHandle(name);
    }

    /** As {@link #getLong(String)} for the field of a {@link #fieldHandle} of this record's event class. */
    default long getLong(int fieldHandle) {
        return getLong(eventClass().fieldName(fieldHandle));
    }

    /** As {@link #getString(String)} for the field of a {@link #fieldHandle} of this record's event class. */
    default String getString(int fieldHandle) {
        return getString(eventClass().fieldName(fieldHandle));
    }

    /** Any field as a Java object (Long, Double, String, byte[], List, Map), or null when absent. */
    Object get(String field);

    /** A detached copy that stays valid after the cursor moves. */
    EventRecord copy();
}
