package io.tracestream.ftrace;

import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.write.EventBuilder;
import io.tracestream.ctf.write.TraceSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one ftrace event becomes one CTF event record: the CTF (LTTng) event name and its payload columns, each
 * declared in the trace class and filled from the ftrace record. Built once per event type; writing an event
 * allocates nothing.
 */
final class EventMapping {

    /** Fills one payload field (or a few, for compound columns) of a CTF event from an ftrace record. */
    interface Column {
        void declare(TraceSchema.Fields f);

        void write(Record r, EventBuilder b, KernelState state);
    }

    final EventFormat format;
    final String ctfName;
    final List<Column> columns;
    /** Set when the trace class is built. */
    EventClass eventClass;
    /** Consumed for state tracking only; not written. */
    final boolean internal;

    EventMapping(EventFormat format, String ctfName, List<Column> columns, boolean internal) {
        this.format = format;
        this.ctfName = ctfName;
        this.columns = columns;
        this.internal = internal;
    }

    void declare(TraceSchema.Fields f) {
        for (Column c : columns) {
            c.declare(f);
        }
    }

    void write(Record r, EventBuilder b, KernelState state) {
        for (Column c : columns) {
            c.write(r, b, state);
        }
        b.end();
    }

    // ------------------------------------------------------------------ column builders

    /** LTTng's kernel priorities are the kernel's {@code prio} minus {@code MAX_RT_PRIO} (100). */
    static final int MAX_RT_PRIO = 100;
    /** Length of a task's comm (TASK_COMM_LEN). */
    static final int COMM_LEN = 16;

    /** Builds the columns of one event from its format; columns whose source field is absent are left out. */
    static final class Builder {
        private final EventFormat format;
        private final List<Column> columns = new ArrayList<>();

        Builder(EventFormat format) {
            this.format = format;
        }

        List<Column> columns() {
            return columns;
        }

        private EventFormat.Field src(String name) {
            return format.field(name);
        }

        /** A {@code char[16]} text array (a task comm), from a char array or a dynamic string. */
        Builder comm(String ctf, String source) {
            EventFormat.Field f = src(source);
            if (f != null && f.isString()) {
                columns.add(new TextColumn(ctf, f, COMM_LEN));
            }
            return this;
        }

        Builder comm(String name) {
            return comm(name, name);
        }

        /** A NUL-terminated string. */
        Builder string(String ctf, String source) {
            EventFormat.Field f = src(source);
            if (f != null && f.isString()) {
                columns.add(new StringColumn(ctf, f));
            }
            return this;
        }

        Builder string(String name) {
            return string(name, name);
        }

        Builder integer(String ctf, String source, int bits, boolean signed, boolean hex) {
            EventFormat.Field f = src(source);
            if (f != null && f.kind() == EventFormat.Kind.INTEGER) {
                columns.add(new IntColumn(ctf, f, bits, signed, hex, 0));
            }
            return this;
        }

        Builder s32(String ctf, String source) {
            return integer(ctf, source, 32, true, false);
        }

        Builder s32(String name) {
            return s32(name, name);
        }

        Builder u32(String ctf, String source) {
            return integer(ctf, source, 32, false, false);
        }

        Builder u32(String name) {
            return u32(name, name);
        }

        Builder s64(String name) {
            return integer(name, name, 64, true, false);
        }

        Builder u64(String ctf, String source) {
            return integer(ctf, source, 64, false, false);
        }

        Builder u64(String name) {
            return u64(name, name);
        }

        Builder hex(String name) {
            return integer(name, name, 64, false, true);
        }

        /** A priority in LTTng's convention (kernel prio minus 100). */
        Builder prio(String ctf, String source) {
            EventFormat.Field f = src(source);
            if (f != null && f.kind() == EventFormat.Kind.INTEGER) {
                columns.add(new IntColumn(ctf, f, 32, true, false, MAX_RT_PRIO));
            }
            return this;
        }

        Builder prio(String name) {
            return prio(name, name);
        }

        /** The block request flags as LTTng's bit set, from ftrace's {@code rwbs} characters. */
        Builder rwbs(String name) {
            EventFormat.Field f = src(name);
            if (f != null && f.isString()) {
                columns.add(new RwbsColumn(name, f));
            }
            return this;
        }

        /** The emitting thread ({@code common_pid}) as a signed 32-bit field. */
        Builder currentTid(String ctf) {
            columns.add(new Column() {
                @Override
                public void declare(TraceSchema.Fields f) {
                    f.i32(ctf);
                }

                @Override
                public void write(Record r, EventBuilder b, KernelState state) {
                    b.integer(r.commonPid());
                }
            });
            return this;
        }

        Builder column(Column c) {
            columns.add(c);
            return this;
        }

        /** Every field of the format (after the common ones), typed from its C type. */
        Builder allFields(boolean syscallSlots) {
            return allFieldsExcept(syscallSlots, null);
        }

        /** {@link #allFields} without field {@code skip} (already written by another column). */
        Builder allFieldsExcept(String skip) {
            return allFieldsExcept(false, skip);
        }

        private Builder allFieldsExcept(boolean syscallSlots, String skip) {
            for (EventFormat.Field f : format.fields) {
                if (f.name().equals("__syscall_nr") || f.name().equals(skip)) {
                    continue;
                }
                Column c = generic(f, syscallSlots);
                if (c != null) {
                    columns.add(c);
                }
            }
            return this;
        }
    }

    /** A column for any field, typed from its C type (pointers in hexadecimal). */
    static Column generic(EventFormat.Field f, boolean syscallSlot) {
        switch (f.kind()) {
            case CHAR_ARRAY -> {
                return new TextColumn(f.name(), f, f.size());
            }
            case DATA_LOC, REL_LOC -> {
                return f.isString() ? new StringColumn(f.name(), f) : null;
            }
            case INT_ARRAY -> {
                return new IntArrayColumn(f.name(), f);
            }
            case INTEGER -> {
                if (syscallSlot && isUserString(f.type())) {
                    return new AddressStringColumn(f.name(), f);
                }
                int[] t = cType(f.type(), f.size(), f.signed());
                if (syscallSlot || t[0] <= f.size() * 8) {
                    return new IntColumn(f.name(), f, t[0], t[1] != 0, t[2] != 0, 0);
                }
                return new IntColumn(f.name(), f, f.size() * 8, f.signed(), f.isPointer(), 0);
            }
            default -> {
                return null;
            }
        }
    }

    private static final Map<String, int[]> C_TYPES = Map.ofEntries(
            Map.entry("int", new int[]{32, 1}),
            Map.entry("signed int", new int[]{32, 1}),
            Map.entry("pid_t", new int[]{32, 1}),
            Map.entry("clockid_t", new int[]{32, 1}),
            Map.entry("timer_t", new int[]{32, 1}),
            Map.entry("key_serial_t", new int[]{32, 1}),
            Map.entry("mqd_t", new int[]{32, 1}),
            Map.entry("rwf_t", new int[]{32, 1}),
            Map.entry("unsigned int", new int[]{32, 0}),
            Map.entry("unsigned", new int[]{32, 0}),
            Map.entry("u32", new int[]{32, 0}),
            Map.entry("__u32", new int[]{32, 0}),
            Map.entry("uid_t", new int[]{32, 0}),
            Map.entry("gid_t", new int[]{32, 0}),
            Map.entry("qid_t", new int[]{32, 0}),
            Map.entry("old_uid_t", new int[]{16, 0}),
            Map.entry("old_gid_t", new int[]{16, 0}),
            Map.entry("gfp_t", new int[]{32, 0}),
            Map.entry("dev_t", new int[]{32, 0}),
            Map.entry("umode_t", new int[]{16, 0}),
            Map.entry("unsigned short", new int[]{16, 0}),
            Map.entry("u16", new int[]{16, 0}),
            Map.entry("short", new int[]{16, 1}),
            Map.entry("char", new int[]{8, 1}),
            Map.entry("unsigned char", new int[]{8, 0}),
            Map.entry("u8", new int[]{8, 0}),
            Map.entry("bool", new int[]{8, 0}),
            Map.entry("long", new int[]{64, 1}),
            Map.entry("long long", new int[]{64, 1}),
            Map.entry("loff_t", new int[]{64, 1}),
            Map.entry("off_t", new int[]{64, 1}),
            Map.entry("ssize_t", new int[]{64, 1}),
            Map.entry("time_t", new int[]{64, 1}),
            Map.entry("s64", new int[]{64, 1}),
            Map.entry("unsigned long", new int[]{64, 0}),
            Map.entry("unsigned long long", new int[]{64, 0}),
            Map.entry("size_t", new int[]{64, 0}),
            Map.entry("u64", new int[]{64, 0}),
            Map.entry("__u64", new int[]{64, 0}),
            Map.entry("sector_t", new int[]{64, 0}),
            Map.entry("aio_context_t", new int[]{64, 0}));

    /** A {@code const char *} system call argument: a user-space string (a path, a name) that ftrace does not copy. */
    static boolean isUserString(String type) {
        return type.replace(" ", "").equals("constchar*");
    }

    /**
     * A user-space string argument (LTTng records the string; ftrace only its address): written as a string field,
     * as LTTng's is, holding the address in hexadecimal ({@code 0x7ffd5e3a1c80}), so that tools expecting a string
     * (lttng-analyses' I/O views) keep working and nobody mistakes it for a path.
     */
    static final class AddressStringColumn implements Column {
        private static final byte[] HEX = "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final String name;
        final EventFormat.Field field;
        private final byte[] text = new byte[18];

        AddressStringColumn(String name, EventFormat.Field field) {
            this.name = name;
            this.field = field;
        }

        @Override
        public void declare(TraceSchema.Fields f) {
            f.string(name);
        }

        @Override
        public void write(Record r, EventBuilder b, KernelState state) {
            long v = r.integer(field);
            int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
            text[0] = '0';
            text[1] = 'x';
            for (int i = 0; i < digits; i++) {
                text[2 + i] = HEX[(int) (v >>> (4 * (digits - 1 - i))) & 0xf];
            }
            b.bytes(text, 0, 2 + digits);
        }
    }

    /** {bits, signed, hex} of a C type; unknown types keep the format's size and signedness. */
    static int[] cType(String type, int size, boolean signed) {
        String t = type.replace("const ", "").replace("volatile ", "").trim();
        if (t.endsWith("*")) {
            return new int[]{64, 0, 1};
        }
        int[] known = C_TYPES.get(t.toLowerCase(Locale.ROOT));
        if (known != null) {
            return new int[]{known[0], known[1], 0};
        }
        return new int[]{size * 8, signed ? 1 : 0, 0};
    }

    /** An integer, cut to {@code bits} bits (syscall arguments are stored as 64-bit words) minus an adjustment. */
    static final class IntColumn implements Column {
        final String name;
        final EventFormat.Field field;
        final int bits;
        final boolean signed;
        final boolean hex;
        final int minus;

        IntColumn(String name, EventFormat.Field field, int bits, boolean signed, boolean hex, int minus) {
            this.name = name;
            this.field = field;
            this.bits = bits;
            this.signed = signed;
            this.hex = hex;
            this.minus = minus;
        }

        @Override
        public void declare(TraceSchema.Fields f) {
            f.integer(name, bits, signed && !hex, 8, ByteOrder.LITTLE_ENDIAN, hex ? 16 : 10);
        }

        @Override
        public void write(Record r, EventBuilder b, KernelState state) {
            long v = r.integer(field) - minus;
            b.integer(cut(v, bits, signed));
        }
    }

    static long cut(long v, int bits, boolean signed) {
        if (bits >= 64) {
            return v;
        }
        return signed ? (v << (64 - bits)) >> (64 - bits) : v & ((1L << bits) - 1);
    }

    /** A fixed-length text array (cut or NUL-padded). */
    static final class TextColumn implements Column {
        final String name;
        final EventFormat.Field field;
        final int length;

        TextColumn(String name, EventFormat.Field field, int length) {
            this.name = name;
            this.field = field;
            this.length = length;
        }

        @Override
        public void declare(TraceSchema.Fields f) {
            f.textArray(name, length);
        }

        @Override
        public void write(Record r, EventBuilder b, KernelState state) {
            long span = r.stringSpan(field);
            b.bytes(r.page.array(), r.page.arrayOffset() + (int) (span >>> 32), (int) span);
        }
    }

    /** A NUL-terminated string. */
    static final class StringColumn implements Column {
        final String name;
        final EventFormat.Field field;

        StringColumn(String name, EventFormat.Field field) {
            this.name = name;
            this.field = field;
        }

        @Override
        public void declare(TraceSchema.Fields f) {
            f.string(name);
        }

        @Override
        public void write(Record r, EventBuilder b, KernelState state) {
            long span = r.stringSpan(field);
            b.bytes(r.page.array(), r.page.arrayOffset() + (int) (span >>> 32), (int) span);
        }
    }

    /** A fixed-size integer array. */
    static final class IntArrayColumn implements Column {
        final String name;
        final EventFormat.Field field;

        IntArrayColumn(String name, EventFormat.Field field) {
            this.name = name;
            this.field = field;
        }

        @Override
        public void declare(TraceSchema.Fields f) {
            int bits = field.size() / field.elements() * 8;
            f.array(name, field.signed() ? f.sintType(bits) : f.uintType(bits), field.elements());
        }

        @Override
        public void write(Record r, EventBuilder b, KernelState state) {
            for (int i = 0; i < field.elements(); i++) {
                b.integer(r.element(field, i));
            }
        }
    }

    /**
     * LTTng's block request flags ({@code RWBS_FLAG_*}): write 1, discard 2, read 4, read-ahead 8, barrier 16,
     * sync 32, meta 64, secure 128, flush 256, FUA 512, preflush 1024. ftrace writes them as characters
     * ({@code blk_fill_rwbs}): an optional leading {@code F} (preflush), then {@code W}, {@code R}, {@code D},
     * {@code E} or {@code N}, then {@code F} (FUA), {@code A}, {@code S}, {@code M}.
     */
    static final class RwbsColumn implements Column {
        final String name;
        final EventFormat.Field field;

        RwbsColumn(String name, EventFormat.Field field) {
            this.name = name;
            this.field = field;
        }

        @Override
        public void declare(TraceSchema.Fields f) {
            f.u32(name);
        }

        @Override
        public void write(Record r, EventBuilder b, KernelState state) {
            long span = r.stringSpan(field);
            b.integer(rwbsFlags(r.page, (int) (span >>> 32), (int) span));
        }
    }

    static long rwbsFlags(java.nio.ByteBuffer page, int start, int n) {
        long flags = 0;
        boolean opSeen = false;
        for (int i = 0; i < n; i++) {
            char c = (char) page.get(start + i);
            if (!opSeen) {
                switch (c) {
                    case 'F' -> flags |= 1024; // preflush before the operation
                    case 'W' -> { flags |= 1; opSeen = true; }
                    case 'R' -> { flags |= 4; opSeen = true; }
                    case 'D' -> { flags |= 2; opSeen = true; }
                    case 'E' -> { flags |= 2 | 128; opSeen = true; }
                    case 'N' -> opSeen = true;
                    default -> opSeen = true;
                }
            } else {
                switch (c) {
                    case 'F' -> flags |= 512;
                    case 'A' -> flags |= 8;
                    case 'S' -> flags |= 32;
                    case 'M' -> flags |= 64;
                    default -> {
                    }
                }
            }
        }
        if (!opSeen && flags == 1024) {
            flags = 256; // a lone 'F' is a flush request
        }
        return flags;
    }
}
