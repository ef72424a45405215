package io.tracestream.ctf.io;

import io.tracestream.ctf.MessageCursor;

/**
 * babeltrace2's deterministic order of two messages that have the same time ({@link MessageOrder}), for mergers
 * outside this package (the LTTng live reader, which merges streams that come and go). Rarely called: only on equal
 * times.
 */
public final class MessageTieBreak {
    private MessageTieBreak() {
    }

    /**
     * Negative when the current message of {@code left} goes before the current message of {@code right}, positive
     * when after, 0 when babeltrace2 cannot tell them apart.
     */
    public static int compare(MessageCursor left, MessageCursor right) {
        return MessageOrder.compare(new MessageOrder.StreamKey(left.stream()), left,
                new MessageOrder.StreamKey(right.stream()), right);
    }
}
