package io.tracestream.sparktrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Decodes one record encoded by {@link Emitter}, field by field, into a {@link Sink}. */
final class RecordDecoder {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private RecordDecoder() {
    }

    /** Receives the decoded values in field order. */
    interface Sink {
        void i32(String name, int v);

        void i64(String name, long v);

        void bool(String name, boolean v);

        void f64(String name, double v);

        void str(String name, String v);

        void locality(String name, int v);

        /** A sequence of {@code n} elements starts (its elements follow, then {@link #endSequence}). */
        void beginSequence(String name, int n);

        void endSequence(String name);
    }

    static int typeId(byte[] rec) {
        return (int) INT.get(rec, 4);
    }

    static long timestamp(byte[] rec) {
        return (long) LONG.get(rec, 8);
    }

    /** Decodes the payload of {@code rec} (of {@code length} bytes) as event type {@code t}. */
    static void decode(byte[] rec, int length, EventType t, Sink sink) {
        int p = ThreadRing.HEADER;
        for (int i = 0; i < t.kinds.length; i++) {
            String n = t.fieldNames[i];
            switch (t.kinds[i]) {
                case I32 -> {
                    sink.i32(n, (int) INT.get(rec, p));
                    p += 4;
                }
                case I64 -> {
                    sink.i64(n, (long) LONG.get(rec, p));
                    p += 8;
                }
                case BOOL -> {
                    sink.bool(n, (int) INT.get(rec, p) != 0);
                    p += 4;
                }
                case F64 -> {
                    sink.f64(n, Double.longBitsToDouble((long) LONG.get(rec, p)));
                    p += 8;
                }
                case LOCALITY -> {
                    sink.locality(n, (int) INT.get(rec, p));
                    p += 4;
                }
                case STR -> p = str(rec, p, n, sink);
                case I32_SEQ -> {
                    int count = (int) INT.get(rec, p);
                    p += 4;
                    sink.beginSequence(n, count);
                    for (int k = 0; k < count; k++) {
                        sink.i32(null, (int) INT.get(rec, p));
                        p += 4;
                    }
                    sink.endSequence(n);
                }
                case KV_SEQ -> {
                    int count = (int) INT.get(rec, p);
                    p += 4;
                    sink.beginSequence(n, count);
                    for (int k = 0; k < count; k++) {
                        p = str(rec, p, "key", sink);
                        sink.i64("value", (long) LONG.get(rec, p));
                        p += 8;
                    }
                    sink.endSequence(n);
                }
                default -> throw new AssertionError(t.kinds[i]);
            }
        }
        if (p != length) {
            throw new IllegalStateException("record of " + t.name + ": decoded " + p + " bytes of " + length);
        }
    }

    private static int str(byte[] rec, int p, String name, Sink sink) {
        int len = (int) INT.get(rec, p);
        p += 4;
        sink.str(name, len == 0 ? "" : new String(rec, p, len, StandardCharsets.UTF_8));
        return p + len;
    }
}
