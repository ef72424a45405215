package io.tracestream.spark;

import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.types.variant.Variant;
import org.apache.spark.unsafe.types.VariantVal;
import scala.collection.Seq;

/**
 * One event as a canonical string, from the core reader ({@link #of(EventRecord, boolean)}, written here
 * independently of the connector's converters) or from a Spark row ({@link #of(Row, boolean)}), so that both
 * readers can be compared row for row. Values: integers as Long (BigInteger above Long.MAX_VALUE), floats as
 * Double, BLOBs as hex, structures as sorted maps without null members, enumerations as {label, value}; a CTF
 * variant as {option: value} (generic payload) or {tag, option: value} (typed columns).
 */
final class Canonical {
    private Canonical() {
    }

    // ---------------------------------------------------------------- core side

    static String of(EventRecord e, boolean typed) {
        StringBuilder sb = leading(e);
        Map<String, Object> ctx = new TreeMap<>();
        walkInto(e, Scope.EVENT_COMMON_CONTEXT, ctx, typed);
        walkInto(e, Scope.EVENT_SPECIFIC_CONTEXT, ctx, typed);
        sb.append(ctx).append('|');
        Map<String, Object> payload = new TreeMap<>();
        boolean has = walkInto(e, Scope.EVENT_PAYLOAD, payload, typed);
        sb.append(has ? payload : "null");
        return sb.toString();
    }

    /** Core side of a typed row: the leading columns, then context and payload members in one map. */
    static String typedCore(EventRecord e) {
        StringBuilder sb = leading(e);
        Map<String, Object> m = new TreeMap<>();
        walkInto(e, Scope.EVENT_COMMON_CONTEXT, m, true);
        walkInto(e, Scope.EVENT_SPECIFIC_CONTEXT, m, true);
        walkInto(e, Scope.EVENT_PAYLOAD, m, true);
        return sb.append(m).toString();
    }

    private static StringBuilder leading(EventRecord e) {
        StringBuilder sb = new StringBuilder();
        sb.append(e.name()).append('|');
        sb.append(e.timestamp() == ClockValue.NONE ? "null" : e.timestamp()).append('|');
        sb.append(e.cycles() == ClockValue.NONE ? "null" : e.cycles()).append('|');
        long cpu = e.packet().cpuId();
        sb.append(cpu < 0 ? "null" : cpu).append('|');
        sb.append(e.stream().id()).append('|');
        sb.append(e.stream().trace().name()).append('|');
        Object h = e.stream().trace().traceClass().environment().get("hostname");
        sb.append(h instanceof String s ? s : "null").append('|');
        sb.append(e.stream().name()).append('|');
        long seq = e.packet().sequenceNumber();
        sb.append(seq < 0 ? "null" : seq).append('|');
        sb.append(e.eventClass().id()).append('|');
        return sb;
    }

    private static boolean walkInto(EventRecord e, Scope scope, Map<String, Object> into, boolean typed) {
        Walker w = new Walker(typed);
        e.accept(scope, w);
        if (w.root == null) {
            return false;
        }
        into.putAll(w.root);
        return true;
    }

    /** Builds Java values from a field walk. */
    private static final class Walker implements FieldVisitor {
        final boolean typed;
        final Deque<Object> stack = new ArrayDeque<>();
        final Deque<String> names = new ArrayDeque<>();
        Map<String, Object> root;

        Walker(boolean typed) {
            this.typed = typed;
        }

        @SuppressWarnings("unchecked")
        private void put(String name, Object v) {
            if (stack.isEmpty()) {
                return;
            }
            Object top = stack.peek();
            if (top instanceof List<?> l) {
                ((List<Object>) l).add(v);
            } else if (v != null) {
                ((Map<String, Object>) top).put(name, v);
            }
        }

        @Override
        public void integer(String name, IntegerClass type, long value) {
            Object v;
            if (type.kind() == IntegerClass.Kind.BOOLEAN) {
                v = value != 0;
            } else if (value < 0 && !(type.signed() && type.kind() == IntegerClass.Kind.INTEGER)) {
                v = new BigInteger(Long.toUnsignedString(value));
            } else {
                v = value;
            }
            if (type.isEnumeration()) {
                Map<String, Object> m = new TreeMap<>();
                String label = null;
                for (IntegerClass.Mapping mp : type.mappings()) {
                    if (mp.contains(value, type.signed())) {
                        label = label == null ? mp.label() : label + "|" + mp.label();
                    }
                }
                if (label != null) {
                    m.put("label", label);
                }
                m.put("value", v);
                v = m;
            }
            put(name, v);
        }

        @Override
        public void floating(String name, FloatClass type, double value) {
            put(name, type.length() == 32 ? (double) (float) value : value);
        }

        @Override
        public void string(String name, FieldClass type, String value) {
            put(name, value);
        }

        @Override
        public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
            put(name, HexFormat.of().formatHex(bytes, offset, offset + length));
        }

        @Override
        public void beginStruct(String name, StructClass type) {
            names.push(name == null ? "" : name);
            stack.push(new TreeMap<String, Object>());
        }

        @SuppressWarnings("unchecked")
        @Override
        public void endStruct(String name, StructClass type) {
            Object m = stack.pop();
            names.pop();
            if (stack.isEmpty()) {
                root = (Map<String, Object>) m;
            } else {
                put(name, m);
            }
        }

        @Override
        public void beginArray(String name, ArrayClass type, long length) {
            stack.push(new ArrayList<>());
        }

        @Override
        public void endArray(String name, ArrayClass type) {
            Object l = stack.pop();
            put(name, l);
        }

        @Override
        public void beginVariant(String name, VariantClass type, int optionIndex) {
            Map<String, Object> m = new TreeMap<>();
            if (typed) {
                m.put("tag", type.options().get(optionIndex).name());
            }
            stack.push(m);
        }

        @Override
        public void endVariant(String name, VariantClass type) {
            put(name, stack.pop());
        }

        @Override
        public void beginOptional(String name, OptionalClass type, boolean present) {
            if (!present) {
                put(name, null);
            }
        }
    }

    // ---------------------------------------------------------------- Spark side

    static String of(Row r, boolean typed) {
        StructType st = r.schema();
        StringBuilder sb = new StringBuilder();
        for (String c : new String[] {"name", "ts", "cycles", "cpu", "stream_id", "trace", "host", "stream_file",
            "packet_seq", "event_id"}) {
            Object v = r.get(st.fieldIndex(c));
            sb.append(v == null ? "null" : v).append('|');
        }
        if (!typed) {
            Map<String, Object> ctx = new TreeMap<>();
            if (st.getFieldIndex("context").isDefined()) {
                Row c = r.getStruct(st.fieldIndex("context"));
                if (c != null) {
                    ctx.putAll(rowMap(c));
                }
            }
            sb.append(ctx).append('|');
            Object p = r.get(st.fieldIndex("payload"));
            sb.append(p == null ? "null" : variant(new Variant(((VariantVal) p).getValue(),
                    ((VariantVal) p).getMetadata())));
            return sb.toString();
        }
        throw new UnsupportedOperationException("typed rows: use typed(...)");
    }

    /** A typed row: leading columns, then all other columns as one map (context and payload together). */
    static String typed(Row r, int firstField) {
        StructType st = r.schema();
        StringBuilder sb = new StringBuilder();
        for (String c : new String[] {"name", "ts", "cycles", "cpu", "stream_id", "trace", "host", "stream_file",
            "packet_seq", "event_id"}) {
            Object v = r.get(st.fieldIndex(c));
            sb.append(v == null ? "null" : v).append('|');
        }
        Map<String, Object> m = new TreeMap<>();
        for (int i = firstField; i < st.size(); i++) {
            Object v = value(r.get(i));
            if (v != null) {
                m.put(st.fields()[i].name(), v);
            }
        }
        sb.append(m);
        return sb.toString();
    }

    static Map<String, Object> rowMap(Row r) {
        Map<String, Object> m = new TreeMap<>();
        StructType st = r.schema();
        for (int i = 0; i < st.size(); i++) {
            Object v = value(r.get(i));
            if (v != null) {
                m.put(st.fields()[i].name(), v);
            }
        }
        return m;
    }

    static Object value(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Row r) {
            return rowMap(r);
        }
        if (v instanceof Seq<?> s) {
            List<Object> l = new ArrayList<>();
            scala.collection.Iterator<?> it = s.iterator();
            while (it.hasNext()) {
                l.add(value(it.next()));
            }
            return l;
        }
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof Short i) {
            return (long) i;
        }
        if (v instanceof Byte i) {
            return (long) i;
        }
        if (v instanceof Float f) {
            return (double) f;
        }
        if (v instanceof BigDecimal d) {
            BigInteger b = d.toBigIntegerExact();
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        return v;
    }

    static Object variant(Variant v) {
        switch (v.getType()) {
            case OBJECT -> {
                Map<String, Object> m = new TreeMap<>();
                for (int i = 0; i < v.objectSize(); i++) {
                    Variant.ObjectField f = v.getFieldAtIndex(i);
                    Object x = variant(f.value);
                    if (x != null) {
                        m.put(f.key, x);
                    }
                }
                return m;
            }
            case ARRAY -> {
                List<Object> l = new ArrayList<>();
                for (int i = 0; i < v.arraySize(); i++) {
                    l.add(variant(v.getElementAtIndex(i)));
                }
                return l;
            }
            case NULL -> {
                return null;
            }
            case BOOLEAN -> {
                return v.getBoolean();
            }
            case LONG -> {
                return v.getLong();
            }
            case DOUBLE -> {
                return v.getDouble();
            }
            case FLOAT -> {
                return (double) v.getFloat();
            }
            case DECIMAL -> {
                BigInteger b = v.getDecimal().toBigIntegerExact();
                return b.bitLength() < 64 ? (Object) b.longValue() : b;
            }
            case STRING -> {
                return v.getString();
            }
            case BINARY -> {
                return HexFormat.of().formatHex(v.getBinary());
            }
            default -> throw new IllegalStateException("unexpected variant type " + v.getType());
        }
    }
}
