package io.tracestream.ctf.meta;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** A data stream class: packet context, event header and common context classes, and its event classes. */
public final class StreamClass {
    private final long id;
    private final String name;
    private final StructClass packetContext;
    private final StructClass eventHeader;
    private final StructClass eventCommonContext;
    private final ClockClass defaultClock;
    private final Map<Long, EventClass> eventClasses = new LinkedHashMap<>();
    private final Map<String, Object> attributes;
    private final String namespace;
    private final String uid;

    public StreamClass(long id, String name, StructClass packetContext, StructClass eventHeader,
                       StructClass eventCommonContext, ClockClass defaultClock, Map<String, Object> attributes) {
        this(id, null, name, null, packetContext, eventHeader, eventCommonContext, defaultClock, attributes);
    }

    /** The CTF 2 form, with the data stream class namespace and unique id (each may be null). */
    public StreamClass(long id, String namespace, String name, String uid, StructClass packetContext,
                       StructClass eventHeader, StructClass eventCommonContext, ClockClass defaultClock,
                       Map<String, Object> attributes) {
        this.namespace = namespace;
        this.uid = uid;
        this.id = id;
        this.name = name;
        this.packetContext = packetContext;
        this.eventHeader = eventHeader;
        this.eventCommonContext = eventCommonContext;
        this.defaultClock = defaultClock;
        this.attributes = attributes == null ? Map.of() : attributes;
    }

    public long id() { return id; }
    public String name() { return name; }
    /** CTF 2 namespace, or null. */
    public String namespace() { return namespace; }
    /** CTF 2 unique id, or null. */
    public String uid() { return uid; }
    public StructClass packetContext() { return packetContext; }
    public StructClass eventHeader() { return eventHeader; }
    public StructClass eventCommonContext() { return eventCommonContext; }
    /** The clock of this stream's timestamps, or null when it has none. */
    public ClockClass defaultClock() { return defaultClock; }
    public Map<String, Object> attributes() { return attributes; }

    /** Adds an event class; its id must be unique in this stream class. */
    public void addEventClass(EventClass ec) {
        if (eventClasses.putIfAbsent(ec.id(), ec) != null) {
            throw new IllegalArgumentException("duplicate event class id " + ec.id() + " in stream class " + id);
        }
        ec.attach(this);
    }

    public EventClass eventClass(long id) { return eventClasses.get(id); }

    /** Event classes in declaration order. */
    public Collection<EventClass> eventClasses() { return Collections.unmodifiableCollection(eventClasses.values()); }
}
