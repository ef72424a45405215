package io.tracestream.spark.read;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.decode.Utf8FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.PartitionReader;
import org.apache.spark.sql.execution.vectorized.Dictionary;
import org.apache.spark.sql.execution.vectorized.OnHeapColumnVector;
import org.apache.spark.sql.execution.vectorized.WritableColumnVector;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.vectorized.ColumnarBatch;

/**
 * The columnar reader of a split: fills Spark column vectors ({@link OnHeapColumnVector}) straight from the decoder,
 * a batch of up to {@code batchSize} events at a time. Used when every column of the plan is of a flat type
 * ({@link #supports}): integers, floats, booleans, strings, binaries, {@code DECIMAL(20,0)}, the {@code time}
 * TIMESTAMP; structs, arrays, enumerations and the VARIANT payload go through the row reader. Text fields are copied
 * as the packet's UTF-8 bytes; the string leading columns ({@code name}, {@code trace}, ...) are dictionary-encoded.
 */
final class ColumnarReader implements PartitionReader<ColumnarBatch> {
    private final PacketRangeReader in;
    private final ReadPlan plan;
    private final int batchSize;
    private final WritableColumnVector[] vectors;
    private final ColumnarBatch batch;
    /** Per column: the leading column index, or -1 for a context/payload column. */
    private final int[] meta;
    /** The context/payload columns (null-filled when an event lacks them). */
    private final int[] fields;
    private final Filler filler = new Filler();
    private final Map<PacketRangeReader.EventWriter, ClassColumns> classes = new IdentityHashMap<>();
    private final NameDictionary[] dictionaries;
    private final byte[] traceBytes;
    private final byte[] hostBytes;
    private final byte[] fileBytes;
    private PacketRangeReader.EventWriter lastWriter;
    private ClassColumns last;
    private int row;
    private final int[] stamp;
    private int serial;

    /** True when the columnar reader can produce every column of {@code schema}. */
    static boolean supports(StructType schema) {
        for (StructField f : schema.fields()) {
            DataType t = f.dataType();
            boolean flat = t == DataTypes.IntegerType || t == DataTypes.LongType || t == DataTypes.BooleanType
                    || t == DataTypes.FloatType || t == DataTypes.DoubleType || t == DataTypes.StringType
                    || t == DataTypes.BinaryType || t == DataTypes.TimestampType
                    || t instanceof DecimalType d && d.precision() == 20 && d.scale() == 0;
            if (!flat) {
                return false;
            }
        }
        return true;
    }

    ColumnarReader(PacketRange range, ReadPlan plan, int batchSize) {
        this.in = new PacketRangeReader(range, plan);
        this.plan = plan;
        this.batchSize = batchSize;
        StructType st = plan.schema();
        this.vectors = OnHeapColumnVector.allocateColumns(batchSize, st);
        this.batch = new ColumnarBatch(vectors);
        this.meta = new int[st.size()];
        this.dictionaries = new NameDictionary[st.size()];
        this.stamp = new int[st.size()];
        List<Integer> f = new ArrayList<>();
        for (int i = 0; i < meta.length; i++) {
            String n = st.fields()[i].name();
            meta[i] = -1;
            for (int k = 0; k < EventColumns.META.size(); k++) {
                if (EventColumns.META.get(k).name().equals(n)
                        && EventColumns.META.get(k).dataType().equals(st.fields()[i].dataType())) {
                    meta[i] = k;
                }
            }
            if (meta[i] < 0) {
                f.add(i);
            } else if (EventColumns.META.get(meta[i]).dataType() == DataTypes.StringType) {
                dictionaries[i] = new NameDictionary();
                vectors[i].reserveDictionaryIds(batchSize);
                vectors[i].setDictionary(dictionaries[i]);
            }
        }
        this.fields = f.stream().mapToInt(Integer::intValue).toArray();
        this.traceBytes = utf8(range.traceName);
        this.hostBytes = utf8(range.host);
        this.fileBytes = utf8(range.streamName);
    }

    @Override
    public boolean next() {
        for (WritableColumnVector v : vectors) {
            v.reset();
        }
        row = 0;
        EventRecord e;
        while (row < batchSize && (e = in.nextEvent()) != null) {
            put(e, in.writer());
            row++;
        }
        batch.setNumRows(row);
        return row > 0;
    }

    private void put(EventRecord e, PacketRangeReader.EventWriter w) {
        int r = row;
        long ts = e.timestamp();
        ClassColumns cc = last;
        if (w != lastWriter) {
            cc = classes.computeIfAbsent(w, ClassColumns::new);
            lastWriter = w;
            last = cc;
        }
        for (int i = 0; i < meta.length; i++) {
            int m = meta[i];
            if (m < 0) {
                continue;
            }
            WritableColumnVector v = vectors[i];
            switch (m) {
                case 0 -> {
                    if (cc.nameId < 0) {
                        cc.nameId = dictionaries[i].id(cc.name);
                    }
                    v.getDictionaryIds().putInt(r, cc.nameId);
                }
                case 1 -> putLong(v, r, ts);
                case 2 -> putLong(v, r, ts == ClockValue.NONE ? ts : Math.floorDiv(ts, 1000L));
                case 3 -> putLong(v, r, e.cycles());
                case 4 -> {
                    Object cpu = in.cpu();
                    if (cpu == null) {
                        v.putNull(r);
                    } else {
                        v.putInt(r, (Integer) cpu);
                    }
                }
                case 5 -> putString(i, r, traceBytes);
                case 6 -> putString(i, r, hostBytes);
                case 7 -> v.putLong(r, range().streamId);
                case 8 -> v.putLong(r, range().streamClassId);
                case 9 -> putString(i, r, fileBytes);
                case 10 -> {
                    Object s = in.packetSeq();
                    if (s == null) {
                        v.putNull(r);
                    } else {
                        v.putLong(r, (Long) s);
                    }
                }
                case 11 -> v.putLong(r, w.id);
                default -> throw new IllegalStateException();
            }
        }
        if (fields.length > 0) {
            int s = ++serial;
            filler.walk(e, Scope.EVENT_COMMON_CONTEXT, cc.common, r, s);
            filler.walk(e, Scope.EVENT_SPECIFIC_CONTEXT, cc.specific, r, s);
            filler.walk(e, Scope.EVENT_PAYLOAD, cc.payload, r, s);
            for (int i : fields) {
                if (stamp[i] != s) {
                    vectors[i].putNull(r);
                }
            }
        }
    }

    private PacketRange range() {
        return in.range();
    }

    private static void putLong(WritableColumnVector v, int r, long x) {
        if (x == ClockValue.NONE) {
            v.putNull(r);
        } else {
            v.putLong(r, x);
        }
    }

    /** A value fixed for the whole split: id 0 of its column's dictionary. */
    private void putString(int column, int r, byte[] value) {
        if (value == null) {
            vectors[column].putNull(r);
        } else {
            if (dictionaries[column].size() == 0) {
                dictionaries[column].id(value);
            }
            vectors[column].getDictionaryIds().putInt(r, 0);
        }
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ColumnarBatch get() {
        return batch;
    }

    @Override
    public CustomTaskMetric[] currentMetricsValues() {
        return in.currentMetricsValues();
    }

    @Override
    public void close() {
        batch.close();
        in.close();
    }

    /** The compiled scopes of one event class (the row reader's, whose slots are this plan's columns). */
    private static final class ClassColumns {
        final byte[] name;
        /** Its id in the {@code name} column's dictionary, once known. */
        int nameId = -1;
        final FieldNode common;
        final FieldNode specific;
        final FieldNode payload;

        ClassColumns(PacketRangeReader.EventWriter w) {
            name = w.name.getBytes();
            common = w.common;
            specific = w.specific;
            payload = w.payload;
        }
    }

    /** Distinct byte strings of one column, numbered in order of appearance. */
    private static final class NameDictionary implements Dictionary {
        private final List<byte[]> values = new ArrayList<>();
        private final Map<java.nio.ByteBuffer, Integer> ids = new HashMap<>();

        /** The id of a value (callers cache it: this hashes the bytes). */
        int id(byte[] b) {
            return ids.computeIfAbsent(java.nio.ByteBuffer.wrap(b), k -> {
                values.add(b);
                return values.size() - 1;
            });
        }

        int size() {
            return values.size();
        }

        @Override
        public byte[] decodeToBinary(int id) {
            return values.get(id);
        }

        @Override
        public int decodeToInt(int id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long decodeToLong(int id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public float decodeToFloat(int id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public double decodeToDouble(int id) {
            throw new UnsupportedOperationException();
        }
    }

    /**
     * Writes the wanted top-level members of one scope into the vectors at the current row; members not wanted
     * (and everything inside compound members, which are never wanted here) are walked past.
     */
    private final class Filler implements Utf8FieldVisitor {
        private FieldNode root;
        private int depth;
        private int member;
        private int r;
        private int s;

        void walk(EventRecord e, Scope scope, FieldNode node, int r, int s) {
            if (node == null) {
                return;
            }
            this.root = node;
            this.depth = 0;
            this.member = 0;
            this.r = r;
            this.s = s;
            e.accept(scope, this);
        }

        /** The column of the top-level member that starts now, or -1. */
        private int column() {
            if (depth != 1) {
                return -1;
            }
            int m = member++;
            if (m >= root.slots.length) {
                return -1;
            }
            int c = root.slots[m];
            if (c >= 0) {
                stamp[c] = s;
            }
            return c;
        }

        private FieldNode.Kind kind(int c) {
            return root.children[member - 1].kind;
        }

        @Override
        public void integer(String name, IntegerClass type, long value) {
            int c = column();
            if (c < 0) {
                return;
            }
            WritableColumnVector v = vectors[c];
            switch (kind(c)) {
                case INT -> v.putInt(r, (int) value);
                case LONG -> v.putLong(r, value);
                case BOOLEAN -> v.putBoolean(r, value != 0);
                case DECIMAL -> v.putDecimal(r, FieldNode.unsignedDecimal(value), 20);
                default -> throw new IllegalStateException("integer to " + kind(c));
            }
        }

        @Override
        public void floating(String name, FloatClass type, double value) {
            int c = column();
            if (c < 0) {
                return;
            }
            if (kind(c) == FieldNode.Kind.FLOAT) {
                vectors[c].putFloat(r, (float) value);
            } else {
                vectors[c].putDouble(r, value);
            }
        }

        @Override
        public void string(String name, FieldClass type, String value) {
            int c = column();
            if (c >= 0) {
                byte[] b = value.getBytes(StandardCharsets.UTF_8);
                vectors[c].putByteArray(r, b, 0, b.length);
            }
        }

        @Override
        public void utf8(String name, FieldClass type, byte[] bytes, int offset, int length) {
            int c = column();
            if (c >= 0) {
                vectors[c].putByteArray(r, bytes, offset, length);
            }
        }

        @Override
        public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
            int c = column();
            if (c >= 0) {
                vectors[c].putByteArray(r, bytes, offset, length);
            }
        }

        private void begin() {
            if (depth == 1) {
                column(); // a compound member: never a column here
            }
            depth++;
        }

        @Override
        public void beginStruct(String name, StructClass type) {
            begin();
        }

        @Override
        public void endStruct(String name, StructClass type) {
            depth--;
        }

        @Override
        public void beginArray(String name, ArrayClass type, long length) {
            begin();
        }

        @Override
        public void endArray(String name, ArrayClass type) {
            depth--;
        }

        @Override
        public void beginVariant(String name, VariantClass type, int optionIndex) {
            begin();
        }

        @Override
        public void endVariant(String name, VariantClass type) {
            depth--;
        }

        @Override
        public void beginOptional(String name, OptionalClass type, boolean present) {
            begin();
        }

        @Override
        public void endOptional(String name, OptionalClass type) {
            depth--;
        }
    }
}
