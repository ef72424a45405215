package io.tracestream.spark.read;

import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.types.variant.VariantUtil;
import org.apache.spark.unsafe.types.VariantVal;

/**
 * Encodes one scope of an event (its payload) straight into Spark's VARIANT binary format, without
 * {@code VariantBuilder}: the metadata (key dictionary) is built once per event class and shared by all its rows,
 * and each structure's key order is precomputed. Structures become objects, arrays and sequences arrays, CTF
 * variants objects with one key (the selected option), enumerations objects {@code {label, value}}, optionals their
 * value or null, unsigned 64-bit values above {@code Long.MAX_VALUE} decimals, BLOBs binary. One instance per event
 * class; not thread-safe.
 */
final class VariantEncoder implements FieldVisitor {
    private static final int OBJECT = 1;
    private static final int ARRAY = 2;
    private static final int CHOICE = 3;
    private static final int ROOT = 0;

    /** Per structure class: dictionary id of each member and the member order sorted by key. */
    private record Keys(int[] ids, int[] sorted) {
    }

    private final byte[] metadata;
    private final int maxId;
    private final Map<Object, Keys> keys = new IdentityHashMap<>();
    private final Map<String, Integer> dict;
    private final int labelId;
    private final int valueId;

    private byte[] buf = new byte[256];
    private int pos;
    private int depth;
    private int[] kinds = new int[16];
    private int[] starts = new int[16];
    private int[] counts = new int[16];
    private int[][] offsets = new int[16][];
    private Object[] classes = new Object[16];

    VariantEncoder(StructClass root) {
        TreeSet<String> names = new TreeSet<>();
        names.add("label");
        names.add("value");
        collect(root, names);
        String[] sorted = names.toArray(new String[0]);
        dict = new java.util.HashMap<>();
        for (int i = 0; i < sorted.length; i++) {
            dict.put(sorted[i], i);
        }
        maxId = sorted.length - 1;
        metadata = metadata(sorted);
        labelId = dict.get("label");
        valueId = dict.get("value");
    }

    private void collect(FieldClass fc, TreeSet<String> names) {
        if (fc instanceof StructClass sc) {
            if (keys.containsKey(sc)) {
                return;
            }
            String[] mn = TypeMapping.memberNames(sc);
            names.addAll(Arrays.asList(mn));
            keys.put(sc, null);
            for (StructClass.Member m : sc.members()) {
                collect(m.type(), names);
            }
        } else if (fc instanceof VariantClass vc) {
            for (VariantClass.Option o : vc.options()) {
                names.add(o.name());
                collect(o.type(), names);
            }
        } else if (fc instanceof ArrayClass ac) {
            collect(ac.elementType(), names);
        } else if (fc instanceof OptionalClass oc) {
            collect(oc.type(), names);
        }
    }

    private Keys keysOf(StructClass sc) {
        Keys k = keys.get(sc);
        if (k == null) {
            String[] mn = TypeMapping.memberNames(sc);
            int[] ids = new int[mn.length];
            Integer[] order = new Integer[mn.length];
            for (int i = 0; i < mn.length; i++) {
                ids[i] = dict.get(mn[i]);
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> mn[a].compareTo(mn[b]));
            int[] so = new int[mn.length];
            for (int i = 0; i < so.length; i++) {
                so[i] = order[i];
            }
            k = new Keys(ids, so);
            keys.put(sc, k);
        }
        return k;
    }

    /** Encodes the scope {@code accept} walks next; returns its value (shares this class's metadata). */
    void reset() {
        pos = 0;
        depth = 0;
        kinds[0] = ROOT;
    }

    VariantVal result() {
        return new VariantVal(Arrays.copyOf(buf, pos), metadata);
    }

    private static byte[] metadata(String[] names) {
        byte[][] b = new byte[names.length][];
        int total = 0;
        for (int i = 0; i < names.length; i++) {
            b[i] = names[i].getBytes(StandardCharsets.UTF_8);
            total += b[i].length;
        }
        int os = sizeOf(Math.max(total, names.length));
        byte[] m = new byte[1 + os * (names.length + 2) + total];
        // version 1; sorted_strings only when the Java order equals the byte order (plain ASCII names)
        boolean ascii = true;
        for (String n : names) {
            for (int i = 0; i < n.length() && ascii; i++) {
                ascii = n.charAt(i) < 0x80;
            }
        }
        m[0] = (byte) (VariantUtil.VERSION | (ascii ? 0x10 : 0) | ((os - 1) << 6));
        VariantUtil.writeLong(m, 1, names.length, os);
        int off = 0;
        int p = 1 + os;
        for (int i = 0; i < names.length; i++) {
            VariantUtil.writeLong(m, p, off, os);
            p += os;
            off += b[i].length;
        }
        VariantUtil.writeLong(m, p, off, os);
        p += os;
        for (byte[] x : b) {
            System.arraycopy(x, 0, m, p, x.length);
            p += x.length;
        }
        return m;
    }

    private static int sizeOf(int max) {
        return max <= 0xFF ? 1 : max <= 0xFFFF ? 2 : max <= 0xFFFFFF ? 3 : 4;
    }

    private void ensure(int n) {
        if (pos + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
        }
    }

    /** Notes where a child value starts, in the current container. */
    private void child() {
        int d = depth;
        int k = kinds[d];
        if (k == ROOT) {
            return;
        }
        int i = counts[d]++;
        int[] o = offsets[d];
        if (i >= o.length) {
            o = Arrays.copyOf(o, o.length * 2);
            offsets[d] = o;
        }
        o[i] = pos - starts[d];
    }

    private void push(int kind, Object cls, int capacity) {
        int d = ++depth;
        if (d == kinds.length) {
            int len = d * 2;
            kinds = Arrays.copyOf(kinds, len);
            starts = Arrays.copyOf(starts, len);
            counts = Arrays.copyOf(counts, len);
            offsets = Arrays.copyOf(offsets, len);
            classes = Arrays.copyOf(classes, len);
        }
        kinds[d] = kind;
        starts[d] = pos;
        counts[d] = 0;
        classes[d] = cls;
        if (offsets[d] == null || offsets[d].length < capacity) {
            offsets[d] = new int[Math.max(capacity, 8)];
        }
    }

    private void writeInt(long v) {
        ensure(9);
        if (v == (byte) v) {
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.INT1);
            buf[pos++] = (byte) v;
        } else if (v == (short) v) {
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.INT2);
            VariantUtil.writeLong(buf, pos, v, 2);
            pos += 2;
        } else if (v == (int) v) {
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.INT4);
            VariantUtil.writeLong(buf, pos, v, 4);
            pos += 4;
        } else {
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.INT8);
            VariantUtil.writeLong(buf, pos, v, 8);
            pos += 8;
        }
    }

    private void writeIntegerValue(IntegerClass type, long value) {
        if (type.kind() == IntegerClass.Kind.BOOLEAN) {
            ensure(1);
            buf[pos++] = VariantUtil.primitiveHeader(value != 0 ? VariantUtil.TRUE : VariantUtil.FALSE);
        } else if (value < 0 && !(type.signed() && type.kind() == IntegerClass.Kind.INTEGER)) {
            // unsigned above Long.MAX_VALUE: DECIMAL16, scale 0
            ensure(18);
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.DECIMAL16);
            buf[pos++] = 0;
            VariantUtil.writeLong(buf, pos, value, 8);
            VariantUtil.writeLong(buf, pos + 8, 0, 8);
            pos += 16;
        } else {
            writeInt(value);
        }
    }

    private void writeBytes(byte[] b, int off, int len, boolean string) {
        ensure(len + 5);
        if (string && len <= VariantUtil.MAX_SHORT_STR_SIZE) {
            buf[pos++] = VariantUtil.shortStrHeader(len);
        } else {
            buf[pos++] = VariantUtil.primitiveHeader(string ? VariantUtil.LONG_STR : VariantUtil.BINARY);
            VariantUtil.writeLong(buf, pos, len, 4);
            pos += 4;
        }
        System.arraycopy(b, off, buf, pos, len);
        pos += len;
    }

    private void writeNull() {
        ensure(1);
        buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.NULL);
    }

    @Override
    public void integer(String name, IntegerClass type, long value) {
        child();
        if (type.isEnumeration()) {
            // {label, value}: keys in sorted order, label first
            int start = pos;
            String l = FieldNode.enumLabel(type, value);
            if (l == null) {
                writeNull();
            } else {
                byte[] b = l.getBytes(StandardCharsets.UTF_8);
                writeBytes(b, 0, b.length, true);
            }
            int valueOff = pos - start;
            writeIntegerValue(type, value);
            finishObject(start, new int[] {labelId, valueId}, new int[] {0, valueOff}, 2);
            return;
        }
        writeIntegerValue(type, value);
    }

    @Override
    public void floating(String name, FloatClass type, double value) {
        child();
        ensure(9);
        if (type.length() == 32) {
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.FLOAT);
            VariantUtil.writeLong(buf, pos, Float.floatToRawIntBits((float) value), 4);
            pos += 4;
        } else {
            buf[pos++] = VariantUtil.primitiveHeader(VariantUtil.DOUBLE);
            VariantUtil.writeLong(buf, pos, Double.doubleToRawLongBits(value), 8);
            pos += 8;
        }
    }

    @Override
    public void string(String name, FieldClass type, String value) {
        child();
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        writeBytes(b, 0, b.length, true);
    }

    @Override
    public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
        child();
        writeBytes(bytes, offset, length, false);
    }

    @Override
    public void beginStruct(String name, StructClass type) {
        child();
        push(OBJECT, type, type.memberCount());
    }

    @Override
    public void endStruct(String name, StructClass type) {
        int d = depth;
        Keys k = keysOf(type);
        int n = counts[d];
        int[] ids = new int[n];
        int[] offs = new int[n];
        int[] o = offsets[d];
        for (int i = 0; i < n; i++) {
            int m = k.sorted[i];
            ids[i] = k.ids[m];
            offs[i] = o[m];
        }
        depth--;
        finishObject(starts[d], ids, offs, n);
    }

    /** Puts an object header (ids and offsets given in key order) before the values written since {@code start}. */
    private void finishObject(int start, int[] ids, int[] offs, int n) {
        int dataSize = pos - start;
        boolean large = n > 0xFF;
        int idSize = sizeOf(maxId);
        int offSize = sizeOf(dataSize);
        int header = 1 + (large ? 4 : 1) + n * idSize + (n + 1) * offSize;
        ensure(header);
        System.arraycopy(buf, start, buf, start + header, dataSize);
        int p = start;
        buf[p++] = VariantUtil.objectHeader(large, idSize, offSize);
        VariantUtil.writeLong(buf, p, n, large ? 4 : 1);
        p += large ? 4 : 1;
        for (int i = 0; i < n; i++) {
            VariantUtil.writeLong(buf, p, ids[i], idSize);
            p += idSize;
        }
        for (int i = 0; i < n; i++) {
            VariantUtil.writeLong(buf, p, offs[i], offSize);
            p += offSize;
        }
        VariantUtil.writeLong(buf, p, dataSize, offSize);
        pos += header;
    }

    @Override
    public void beginArray(String name, ArrayClass type, long length) {
        child();
        push(ARRAY, type, (int) Math.min(length, 1 << 20));
    }

    @Override
    public void endArray(String name, ArrayClass type) {
        int d = depth;
        int n = counts[d];
        int start = starts[d];
        int[] o = offsets[d];
        depth--;
        int dataSize = pos - start;
        boolean large = n > 0xFF;
        int offSize = sizeOf(dataSize);
        int header = 1 + (large ? 4 : 1) + (n + 1) * offSize;
        ensure(header);
        System.arraycopy(buf, start, buf, start + header, dataSize);
        int p = start;
        buf[p++] = VariantUtil.arrayHeader(large, offSize);
        VariantUtil.writeLong(buf, p, n, large ? 4 : 1);
        p += large ? 4 : 1;
        for (int i = 0; i < n; i++) {
            VariantUtil.writeLong(buf, p, o[i], offSize);
            p += offSize;
        }
        VariantUtil.writeLong(buf, p, dataSize, offSize);
        pos += header;
    }

    @Override
    public void beginVariant(String name, VariantClass type, int optionIndex) {
        child();
        push(CHOICE, type.options().get(optionIndex).name(), 1);
    }

    @Override
    public void endVariant(String name, VariantClass type) {
        int d = depth;
        depth--;
        int id = dict.get((String) classes[d]);
        finishObject(starts[d], new int[] {id}, new int[] {0}, counts[d] > 0 ? 1 : 0);
    }

    @Override
    public void beginOptional(String name, OptionalClass type, boolean present) {
        if (!present) {
            child();
            writeNull();
        }
        // a present optional is its field, which follows and notes itself in the container
    }
}
