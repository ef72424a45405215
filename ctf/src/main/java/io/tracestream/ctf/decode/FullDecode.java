package io.tracestream.ctf.decode;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.Scope;

/**
 * Decodes every field of an event record without delivering the values anywhere: the work of
 * {@code tracestream print -o dummy}, the counterpart of babeltrace2's {@code -o dummy} (its source decodes every
 * field into the message's field objects, the dummy sink drops the message).
 *
 * <p>Records read by this package keep decoded values in their value log: after {@link #decode(EventRecord)}
 * every field of the header, both contexts and the payload has been read from the packet bytes into it (a fixed
 * layout that the cursor skipped on the way, to decode it only when asked for, is decoded now). Any other
 * {@link EventRecord} is walked with a visitor that ignores what it receives.
 */
public final class FullDecode {
    private static final FieldVisitor IGNORE = new FieldVisitor() { };

    private FullDecode() {
    }

    /** Decodes all the fields of {@code event} (the record the cursor is on). */
    public static void decode(EventRecord event) {
        if (event instanceof EventImpl e) {
            e.materialize();
            return;
        }
        event.accept(Scope.EVENT_HEADER, IGNORE);
        event.accept(Scope.EVENT_COMMON_CONTEXT, IGNORE);
        event.accept(Scope.EVENT_SPECIFIC_CONTEXT, IGNORE);
        event.accept(Scope.EVENT_PAYLOAD, IGNORE);
    }
}
