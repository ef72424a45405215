package io.tracestream.sparktrace;

import io.tracestream.ctf.write.TraceSchema;

import java.util.ArrayList;
import java.util.List;

/**
 * One recorded event class: its CTF name and its payload fields, in order. The same description drives the
 * producer's encoding into a thread ring ({@link Emitter}), the replay into the CTF writer ({@link RingDrainer}) and
 * the TSDL declaration ({@link SparkEvents#traceClass}).
 */
final class EventType {
    /** Kinds of payload fields. */
    enum Kind {
        /** signed 32-bit integer */
        I32,
        /** signed 64-bit integer */
        I64,
        /** unsigned 8-bit integer, 0 or 1 */
        BOOL,
        /** 64-bit IEEE 754 */
        F64,
        /** null-terminated UTF-8 string */
        STR,
        /** task locality: an 8-bit enumeration (see {@link SparkEvents#LOCALITIES}) */
        LOCALITY,
        /** a sequence of signed 32-bit integers, preceded by its u32 length field {@code _NAME_length} */
        I32_SEQ,
        /** a sequence of {@code {string key; i64 value;}} structures, preceded by its u32 length field */
        KV_SEQ
    }

    final int id;
    final String name;
    final String[] fieldNames;
    final Kind[] kinds;

    private EventType(int id, String name, List<String> names, List<Kind> kinds) {
        this.id = id;
        this.name = name;
        this.fieldNames = names.toArray(new String[0]);
        this.kinds = kinds.toArray(new Kind[0]);
    }

    /** Declares this event's payload on a TraceSchema field builder. */
    void declare(TraceSchema.Fields f) {
        for (int i = 0; i < kinds.length; i++) {
            String n = fieldNames[i];
            switch (kinds[i]) {
                case I32 -> f.i32(n);
                case I64 -> f.i64(n);
                case BOOL -> f.u8(n);
                case F64 -> f.f64(n);
                case STR -> f.string(n);
                case LOCALITY -> f.enumeration(n, 8, false, SparkEvents.localityMappings());
                case I32_SEQ -> f.u32("_" + n + "_length").sequence(n, f.sintType(32), "_" + n + "_length");
                case KV_SEQ -> f.u32("_" + n + "_length").sequence(n,
                        f.structType(n, s -> s.string("key").i64("value")), "_" + n + "_length");
                default -> throw new AssertionError(kinds[i]);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Builds event types with consecutive ids. */
    static final class Registry {
        private final List<EventType> types = new ArrayList<>();

        Def define(String name) {
            return new Def(name);
        }

        List<EventType> all() {
            return List.copyOf(types);
        }

        /** Fields of one event type being declared. */
        final class Def {
            private final String name;
            private final List<String> names = new ArrayList<>();
            private final List<Kind> kinds = new ArrayList<>();

            private Def(String name) {
                this.name = name;
            }

            Def i32(String n) {
                return add(n, Kind.I32);
            }

            Def i64(String n) {
                return add(n, Kind.I64);
            }

            Def bool(String n) {
                return add(n, Kind.BOOL);
            }

            Def f64(String n) {
                return add(n, Kind.F64);
            }

            Def str(String n) {
                return add(n, Kind.STR);
            }

            Def locality(String n) {
                return add(n, Kind.LOCALITY);
            }

            Def i32Seq(String n) {
                return add(n, Kind.I32_SEQ);
            }

            Def kvSeq(String n) {
                return add(n, Kind.KV_SEQ);
            }

            private Def add(String n, Kind k) {
                if (names.contains(n)) {
                    throw new IllegalArgumentException(name + ": duplicate field " + n);
                }
                names.add(n);
                kinds.add(k);
                return this;
            }

            EventType build() {
                EventType t = new EventType(types.size(), name, names, kinds);
                types.add(t);
                return t;
            }
        }
    }
}
