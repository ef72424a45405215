package io.tracestream.ctf.meta;

import java.util.Map;

/** An event record class: id, name and the classes of its specific context and payload. */
public final class EventClass {
    private final long id;
    private final String name;
    private final Long logLevel;
    private final String emfUri;
    private final StructClass specificContext;
    private final StructClass payload;
    private final Map<String, Object> attributes;
    private final String namespace;
    private final String uid;
    private StreamClass streamClass;

    /**
     * @param logLevel        TSDL {@code loglevel}, or null
     * @param specificContext TSDL {@code event.context} / CTF 2 specific context, or null
     * @param payload         TSDL {@code event.fields} / CTF 2 payload, or null
     */
    public EventClass(long id, String name, Long logLevel, String emfUri, StructClass specificContext,
                      StructClass payload, Map<String, Object> attributes) {
        this(id, null, name, null, logLevel, emfUri, specificContext, payload, attributes);
    }

    /** The CTF 2 form, with the event record class namespace and unique id (each may be null). */
    public EventClass(long id, String namespace, String name, String uid, Long logLevel, String emfUri,
                      StructClass specificContext, StructClass payload, Map<String, Object> attributes) {
        this.namespace = namespace;
        this.uid = uid;
        this.id = id;
        this.name = name;
        this.logLevel = logLevel;
        this.emfUri = emfUri;
        this.specificContext = specificContext;
        this.payload = payload;
        this.attributes = attributes == null ? Map.of() : attributes;
    }

    public long id() { return id; }
    public String name() { return name; }
    /** CTF 2 namespace, or null. */
    public String namespace() { return namespace; }
    /** CTF 2 unique id, or null. */
    public String uid() { return uid; }
    public Long logLevel() { return logLevel; }
    public String emfUri() { return emfUri; }
    public StructClass specificContext() { return specificContext; }
    public StructClass payload() { return payload; }
    public Map<String, Object> attributes() { return attributes; }
    public StreamClass streamClass() { return streamClass; }

    void attach(StreamClass sc) {
        this.streamClass = sc;
    }
}
