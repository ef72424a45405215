package io.tracestream.ctf.io;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;

/**
 * A cursor whose current message is the current message of another cursor (a merge of streams picks one of its
 * inputs per message): the accessors read {@link #delegate()}.
 */
public abstract class ForwardingMessageCursor implements MessageCursor {

    /**
     * The cursor on the current message.
     *
     * @throws IllegalStateException when there is no current message
     */
    protected abstract MessageCursor delegate();

    /** The exception {@link #delegate()} throws when there is no current message. */
    protected static IllegalStateException noCurrentMessage() {
        return new IllegalStateException("no current message: call next() first");
    }

    @Override
    public MessageType type() {
        return delegate().type();
    }

    @Override
    public DataStream stream() {
        return delegate().stream();
    }

    @Override
    public Packet packet() {
        return delegate().packet();
    }

    @Override
    public EventRecord event() {
        return delegate().event();
    }

    @Override
    public Discarded discarded() {
        return delegate().discarded();
    }

    @Override
    public long timeNanos() {
        return delegate().timeNanos();
    }

    @Override
    public long timeCycles() {
        return delegate().timeCycles();
    }
}
