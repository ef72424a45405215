package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Field handles ({@link EventRecord#fieldHandle}, {@link EventRecord#getLong(int)}, {@link EventRecord#getString(int)})
 * read the same values as the getters by name, on a real kernel trace (every field of every scope of the first
 * events), and the flyweight's texts equal those of a detached copy (which decodes every text anew).
 */
class FieldHandleTest {

    @Test
    void handlesReadWhatNamesRead() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        int events = 0;
        int strings = 0;
        try (TraceSet set = TraceSet.open(trace)) {
            for (EventRecord e : set.events()) {
                EventClass ec = e.eventClass();
                EventRecord copy = e.copy();
                for (String name : fieldNames(ec)) {
                    int h = e.fieldHandle(name);
                    assertEquals(ec.fieldHandle(name), h, name);
                    assertTrue(h >= 0, name);
                    assertEquals(name, ec.fieldName(h));
                    assertEquals(outcome(() -> e.getLong(name)), outcome(() -> e.getLong(h)), name);
                    String byName = e.getString(name);
                    assertEquals(byName, e.getString(h), name);
                    assertEquals(copy.getString(name), byName, name);
                    assertEquals(copy.getString(name), e.getString(name), name); // a second read (cached)
                    strings++;
                }
                assertEquals(-1, e.fieldHandle("no such field"));
                assertThrows(IllegalArgumentException.class, () -> e.getLong(99 << 24));
                if (++events == 20_000) {
                    break;
                }
            }
        }
        assertTrue(events > 1000 && strings > events, events + " events, " + strings + " fields");
    }

    /**
     * Fields after variable-size ones (strings, sequences) are found by a walk that the flyweight resumes from the
     * field it found last: reads in any order, repeated, and across events, give what a detached copy gives.
     */
    @Test
    void readsInAnyOrderAfterVariableSizeFields() {
        Path trace = io.tracestream.ctf.testing.SampleTraces.sampleUst(); // the probe's strings and sequences
        java.util.Random rnd = new java.util.Random(7);
        int events = 0;
        int walked = 0;
        try (TraceSet set = TraceSet.open(trace)) {
            for (EventRecord e : set.events()) {
                EventRecord copy = e.copy();
                List<String> names = fieldNames(e.eventClass());
                for (int round = 0; round < 3; round++) {
                    List<String> order = new ArrayList<>(names);
                    if (round == 1) {
                        java.util.Collections.reverse(order);
                    } else if (round == 2) {
                        java.util.Collections.shuffle(order, rnd);
                    }
                    for (String name : order) {
                        assertEquals(copy.getString(name), e.getString(name), name);
                        assertEquals(outcome(() -> copy.getLong(name)), outcome(() -> e.getLong(name)), name);
                    }
                }
                if (e instanceof EventImpl impl && impl.walkScope >= 0) {
                    walked++;
                }
                if (++events == 20_000) {
                    break;
                }
            }
        }
        assertTrue(events > 100 && walked > 0, events + " events, " + walked + " with fields after variable-size ones");
    }

    /** The top-level field names of all scopes of an event class, payload last. */
    private static List<String> fieldNames(EventClass ec) {
        List<String> names = new ArrayList<>();
        StructClass[] scopes = {ec.streamClass().eventHeader(), ec.streamClass().eventCommonContext(),
            ec.specificContext(), ec.payload()};
        for (StructClass st : scopes) {
            if (st != null) {
                for (int i = 0; i < st.memberCount(); i++) {
                    names.add(st.member(i).name());
                }
            }
        }
        return names;
    }

    /** A getter's value, or its exception's class and message. */
    private static String outcome(java.util.function.LongSupplier getter) {
        try {
            return "value " + getter.getAsLong();
        } catch (RuntimeException ex) {
            return ex.getClass().getName() + ": " + ex.getMessage();
        }
    }
}
