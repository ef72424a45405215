package io.tracestream.ctf.meta;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The whole trace type, as described by one metadata stream: packet header, environment, clock classes and stream
 * classes. Built by the TSDL or CTF 2 JSON parser.
 */
public final class TraceClass {
    private final int ctfMajor;
    private final int ctfMinor;
    private final ByteOrder byteOrder;
    private final UUID uuid;
    private final StructClass packetHeader;
    private final Map<String, Object> environment;
    private final Map<String, ClockClass> clocks;
    private final Map<Long, StreamClass> streamClasses = new LinkedHashMap<>();
    private final String namespace;
    private final String name;
    private final String uid;
    private final Map<String, Object> attributes;

    /**
     * @param environment values are {@link Long} or {@link String}, in declaration order
     */
    public TraceClass(int ctfMajor, int ctfMinor, ByteOrder byteOrder, UUID uuid, StructClass packetHeader,
                      Map<String, Object> environment, Map<String, ClockClass> clocks, String namespace,
                      String name, String uid, Map<String, Object> attributes) {
        this.ctfMajor = ctfMajor;
        this.ctfMinor = ctfMinor;
        this.byteOrder = byteOrder;
        this.uuid = uuid;
        this.packetHeader = packetHeader;
        this.environment = environment == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(environment));
        this.clocks = clocks == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(clocks));
        this.namespace = namespace;
        this.name = name;
        this.uid = uid;
        this.attributes = attributes == null ? Map.of() : attributes;
    }

    /** 1 for CTF 1.8, 2 for CTF 2. */
    public int ctfMajor() { return ctfMajor; }
    public int ctfMinor() { return ctfMinor; }
    /** The trace's native byte order (TSDL {@code trace.byte_order}). */
    public ByteOrder byteOrder() { return byteOrder; }
    public UUID uuid() { return uuid; }
    /** The packet header class, or null when packets have no header. */
    public StructClass packetHeader() { return packetHeader; }
    public Map<String, Object> environment() { return environment; }
    public Map<String, ClockClass> clocks() { return clocks; }
    public ClockClass clock(String name) { return clocks.get(name); }
    /** CTF 2 trace class namespace, name and uid (null for CTF 1.8). */
    public String namespace() { return namespace; }
    public String name() { return name; }
    public String uid() { return uid; }
    public Map<String, Object> attributes() { return attributes; }

    public void addStreamClass(StreamClass sc) {
        if (streamClasses.putIfAbsent(sc.id(), sc) != null) {
            throw new IllegalArgumentException("duplicate stream class id " + sc.id());
        }
    }

    public StreamClass streamClass(long id) { return streamClasses.get(id); }

    /** Stream classes in declaration order. */
    public Collection<StreamClass> streamClasses() { return Collections.unmodifiableCollection(streamClasses.values()); }
}
