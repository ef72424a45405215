package io.tracestream.ctf.meta;

/** The six root scopes of CTF data, in decoding order. */
public enum Scope {
    PACKET_HEADER("trace.packet.header", "packet-header"),
    PACKET_CONTEXT("stream.packet.context", "packet-context"),
    EVENT_HEADER("stream.event.header", "event-record-header"),
    EVENT_COMMON_CONTEXT("stream.event.context", "event-record-common-context"),
    EVENT_SPECIFIC_CONTEXT("event.context", "event-record-specific-context"),
    EVENT_PAYLOAD("event.fields", "event-record-payload");

    private final String tsdlPrefix;
    private final String ctf2Name;

    Scope(String tsdlPrefix, String ctf2Name) {
        this.tsdlPrefix = tsdlPrefix;
        this.ctf2Name = ctf2Name;
    }

    /** The TSDL absolute path prefix, for instance {@code stream.event.header}. */
    public String tsdlPrefix() {
        return tsdlPrefix;
    }

    /** The CTF 2 field location origin name, for instance {@code event-record-header}. */
    public String ctf2Name() {
        return ctf2Name;
    }
}
