package io.tracestream.sparktrace;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The per-thread event encoder: values of one event go into a thread-confined scratch array in the order of the
 * event type's fields, and {@link #end()} appends the record to the thread's {@link ThreadRing} in one copy. No locks,
 * no shared writes besides the ring's tail.
 *
 * <pre>{@code
 * Emitter e = recorder.emitter();
 * if (e.begin(SparkEvents.TASK_THREAD_START)) {
 *     e.i64(taskId).i32(stageId)...end();
 * }
 * }</pre>
 * Sequences: {@link #count(int)} then the elements ({@code i32} each, or {@code str} + {@code i64} per key/value).
 */
final class Emitter {
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private final Recorder recorder;
    final ThreadRing ring;
    private byte[] s = new byte[1024];
    private int pos;
    private EventType type;
    private boolean active;

    Emitter(Recorder recorder, ThreadRing ring) {
        this.recorder = recorder;
        this.ring = ring;
    }

    /** Starts an event at the current monotonic time; false when the recorder is closed (write nothing then). */
    boolean begin(EventType t) {
        return begin(t, System.nanoTime());
    }

    /** Starts an event at monotonic time {@code ts} (raised to the thread's previous timestamp if earlier). */
    boolean begin(EventType t, long ts) {
        if (!recorder.accepting()) {
            return false;
        }
        if (ts < ring.lastTimestamp) {
            ts = ring.lastTimestamp;
        }
        ring.lastTimestamp = ts;
        type = t;
        active = true;
        INT.set(s, 4, t.id);
        LONG.set(s, 8, ts);
        pos = ThreadRing.HEADER;
        return true;
    }

    Emitter i32(int v) {
        ensure(4);
        INT.set(s, pos, v);
        pos += 4;
        return this;
    }

    Emitter i64(long v) {
        ensure(8);
        LONG.set(s, pos, v);
        pos += 8;
        return this;
    }

    Emitter bool(boolean v) {
        return i32(v ? 1 : 0);
    }

    Emitter f64(double v) {
        return i64(Double.doubleToRawLongBits(v));
    }

    /** Locality enumeration value (see {@link SparkEvents#locality}). */
    Emitter locality(String name) {
        return i32(SparkEvents.locality(name));
    }

    /** Number of elements of the sequence field that comes next. */
    Emitter count(int n) {
        return i32(n);
    }

    /** A string (null becomes empty), cut to the recorder's maximum length, U+0000 replaced by a space. */
    Emitter str(String v) {
        if (v == null || v.isEmpty()) {
            return i32(0);
        }
        int max = recorder.maxStringChars();
        if (v.length() > max) {
            v = v.substring(0, max) + "...[truncated]";
        }
        if (v.indexOf('\0') >= 0) {
            v = v.replace('\0', ' ');
        }
        byte[] b = v.getBytes(StandardCharsets.UTF_8);
        i32(b.length);
        ensure(b.length);
        System.arraycopy(b, 0, s, pos, b.length);
        pos += b.length;
        return this;
    }

    /** Completes the event: appends it to the thread's ring (or counts it as discarded when the ring is full). */
    void end() {
        if (!active) {
            throw new IllegalStateException("end() without begin()");
        }
        active = false;
        INT.set(s, 0, pos);
        if (pos > ring.capacity()) {
            ring.drop(); // larger than the whole ring
        } else if (ring.append(s, pos) && ring.halfFull()) {
            recorder.wakeFlusher();
        }
        LttngBackend lttng = recorder.lttng();
        if (lttng != null) {
            lttng.publish(type, s, pos);
        }
    }

    private void ensure(int n) {
        if (pos + n > s.length) {
            s = Arrays.copyOf(s, Math.max(s.length * 2, pos + n));
        }
    }
}
