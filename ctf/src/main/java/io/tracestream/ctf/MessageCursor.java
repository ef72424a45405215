package io.tracestream.ctf;

/**
 * Pull iteration over the messages of one or more traces, merged in time order. Zero allocation per message: the
 * objects returned by {@link #event()}, {@link #packet()} and {@link #discarded()} are reused and valid until the
 * next call to {@link #next()}.
 */
public interface MessageCursor extends AutoCloseable {
    /** Moves to the next message; false at the end. */
    boolean next();

    MessageType type();

    /** The stream of the current message. */
    DataStream stream();

    /** The current packet (for PACKET_BEGINNING, EVENT, PACKET_END), else null. */
    Packet packet();

    /** The current event (for EVENT), else null. */
    EventRecord event();

    /** The current loss (for DISCARDED_EVENTS / DISCARDED_PACKETS), else null. */
    Discarded discarded();

    /**
     * The message's default clock snapshot in nanoseconds from origin (the time used to order messages), or
     * {@link ClockValue#NONE}.
     */
    long timeNanos();

    /** Its raw cycles, or {@link ClockValue#NONE}. */
    long timeCycles();

    @Override
    void close();
}
