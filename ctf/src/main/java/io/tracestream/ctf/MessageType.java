package io.tracestream.ctf;

/**
 * Kinds of message a {@link MessageCursor} delivers, in the spirit of babeltrace2's message types. For each data
 * stream: STREAM_BEGINNING, then for each packet PACKET_BEGINNING, its EVENTs, PACKET_END; DISCARDED_EVENTS and
 * DISCARDED_PACKETS where the packet contexts show losses; STREAM_END.
 */
public enum MessageType {
    STREAM_BEGINNING, PACKET_BEGINNING, EVENT, PACKET_END, STREAM_END, DISCARDED_EVENTS, DISCARDED_PACKETS
}
