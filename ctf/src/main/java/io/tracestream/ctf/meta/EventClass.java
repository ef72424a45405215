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

    /**
     * The handle of the top-level field {@code name} of this class's records, or -1 when there is none: the field's
     * scope (0 event header, 1 common context, 2 specific context, 3 payload) {@code << 24 |} its member index in that
     * scope's structure. When several scopes have the name, the payload wins, then the specific context, the common
     * context, the header, as for {@code EventRecord.getLong(String)}. Resolve it once per event class and read with
     * {@code EventRecord.getLong(int)} / {@code getString(int)}: no lookup by name per record.
     */
    public int fieldHandle(String name) {
        for (int scope = 3; scope >= 0; scope--) {
            StructClass st = scopeStruct(scope);
            int i = st == null ? -1 : st.indexOf(name);
            if (i >= 0) {
                return scope << 24 | i;
            }
        }
        return -1;
    }

    /** The name of the field of a {@link #fieldHandle} (not -1). */
    public String fieldName(int handle) {
        StructClass st = handle < 0 ? null : scopeStruct(handle >>> 24);
        if (st == null || (handle & 0xffffff) >= st.memberCount()) {
            throw new IllegalArgumentException("not a field handle of event class '" + name + "': " + handle);
        }
        return st.member(handle & 0xffffff).name();
    }

    private StructClass scopeStruct(int scope) {
        return switch (scope) {
            case 0 -> streamClass == null ? null : streamClass.eventHeader();
            case 1 -> streamClass == null ? null : streamClass.eventCommonContext();
            case 2 -> specificContext;
            case 3 -> payload;
            default -> null;
        };
    }

    void attach(StreamClass sc) {
        this.streamClass = sc;
    }
}
