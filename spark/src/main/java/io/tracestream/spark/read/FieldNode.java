package io.tracestream.spark.read;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * A compiled conversion of one CTF field class to the Spark value of a (possibly pruned) Spark type: the executor
 * side of {@link TypeMapping}. Struct-like nodes map each CTF member (or variant option) to a slot of their
 * target array; a null child means the member is pruned (not materialised).
 */
final class FieldNode {
    enum Kind { INT, LONG, DECIMAL, BOOLEAN, ENUM, FLOAT, DOUBLE, STRING, BINARY, STRUCT, ARRAY, VARIANT, OPTIONAL }

    final Kind kind;
    /** STRUCT: one child per member; VARIANT: one per option; ARRAY/OPTIONAL: the element at 0. */
    final FieldNode[] children;
    /** Target slot of each child, -1 when pruned. */
    final int[] slots;
    /** Size of the target array (STRUCT, VARIANT, ENUM). */
    final int width;
    /** VARIANT: slot of the tag, or -1. ENUM: slot of the value. */
    final int tagSlot;
    /** ENUM: slot of the label, or -1. */
    final int labelSlot;
    final IntegerClass enumClass;
    final DataType enumValueType;
    final String[] optionNames;
    private final Map<Long, UTF8String> labels;

    private FieldNode(Kind kind, FieldNode[] children, int[] slots, int width, int tagSlot, int labelSlot,
                      IntegerClass enumClass, DataType enumValueType, String[] optionNames) {
        this.kind = kind;
        this.children = children;
        this.slots = slots;
        this.width = width;
        this.tagSlot = tagSlot;
        this.labelSlot = labelSlot;
        this.enumClass = enumClass;
        this.enumValueType = enumValueType;
        this.optionNames = optionNames;
        this.labels = enumClass != null ? new HashMap<>() : null;
    }

    private static FieldNode leaf(Kind k) {
        return new FieldNode(k, null, null, 0, -1, -1, null, null, null);
    }

    /**
     * Compiles the conversion of {@code fc} to {@code target}, a type {@link TypeMapping#sparkType} gives for it or a
     * pruned version of that (struct fields removed).
     */
    static FieldNode compile(FieldClass fc, DataType target) {
        if (fc instanceof IntegerClass ic) {
            if (ic.isEnumeration() && target instanceof StructType st) {
                int v = index(st, "value");
                int l = index(st, "label");
                DataType vt = v >= 0 ? st.fields()[v].dataType() : DataTypes.LongType;
                return new FieldNode(Kind.ENUM, null, null, st.size(), v, l, ic, vt, null);
            }
            return leaf(integerKind(target));
        }
        if (fc instanceof FloatClass) {
            return leaf(target == DataTypes.FloatType ? Kind.FLOAT : Kind.DOUBLE);
        }
        if (fc instanceof StringClass) {
            return leaf(Kind.STRING);
        }
        if (fc instanceof BlobClass) {
            return leaf(Kind.BINARY);
        }
        if (fc instanceof ArrayClass ac) {
            if (ac.isText()) {
                return leaf(Kind.STRING);
            }
            DataType et = ((ArrayType) target).elementType();
            return new FieldNode(Kind.ARRAY, new FieldNode[] {compile(ac.elementType(), et)}, null, 0, -1, -1,
                    null, null, null);
        }
        if (fc instanceof StructClass sc) {
            return struct(sc, (StructType) target, TypeMapping.structType(sc, true));
        }
        if (fc instanceof VariantClass vc) {
            StructType st = (StructType) target;
            StructType full = (StructType) TypeMapping.sparkType(vc, true);
            List<VariantClass.Option> opts = vc.options();
            FieldNode[] ch = new FieldNode[opts.size()];
            int[] slots = new int[opts.size()];
            String[] names = new String[opts.size()];
            for (int i = 0; i < opts.size(); i++) {
                names[i] = opts.get(i).name();
                int s = index(st, full.fields()[i + 1].name());
                slots[i] = s;
                ch[i] = s < 0 ? null : compile(opts.get(i).type(), st.fields()[s].dataType());
            }
            return new FieldNode(Kind.VARIANT, ch, slots, st.size(), index(st, "tag"), -1, null, null, names);
        }
        if (fc instanceof OptionalClass oc) {
            return new FieldNode(Kind.OPTIONAL, new FieldNode[] {compile(oc.type(), target)}, null, 1, -1, -1,
                    null, null, null);
        }
        throw new IllegalArgumentException("no conversion for " + fc);
    }

    /**
     * A structure whose members go to the named fields of {@code target} (members absent from it are pruned).
     * {@code names} gives the Spark name of each member (the deduplicated names of {@link TypeMapping}).
     */
    static FieldNode struct(StructClass sc, StructType target, StructType names) {
        int n = sc.memberCount();
        FieldNode[] ch = new FieldNode[n];
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            int s = index(target, names.fields()[i].name());
            slots[i] = s;
            ch[i] = s < 0 ? null : compile(sc.member(i).type(), target.fields()[s].dataType());
        }
        return new FieldNode(Kind.STRUCT, ch, slots, target.size(), -1, -1, null, null, null);
    }

    /** A root structure whose members go to given slots of an outer array (slot -1: not wanted). */
    static FieldNode root(StructClass sc, int[] slots, DataType[] types) {
        int n = sc.memberCount();
        FieldNode[] ch = new FieldNode[n];
        for (int i = 0; i < n; i++) {
            ch[i] = slots[i] < 0 ? null : compile(sc.member(i).type(), types[i]);
        }
        return new FieldNode(Kind.STRUCT, ch, slots.clone(), -1, -1, -1, null, null, null);
    }

    private static Kind integerKind(DataType t) {
        if (t == DataTypes.IntegerType) {
            return Kind.INT;
        }
        if (t == DataTypes.LongType) {
            return Kind.LONG;
        }
        if (t == DataTypes.BooleanType) {
            return Kind.BOOLEAN;
        }
        if (t instanceof DecimalType) {
            return Kind.DECIMAL;
        }
        throw new IllegalArgumentException("integer field cannot become " + t);
    }

    static int index(StructType st, String name) {
        scala.Option<Object> o = st.getFieldIndex(name);
        return o.isDefined() ? (Integer) o.get() : -1;
    }

    /** The Spark value of an integer for this node's kind (not ENUM). */
    static Object integerValue(Kind k, long v) {
        return switch (k) {
            case INT -> (int) v;
            case LONG -> v;
            case BOOLEAN -> v != 0;
            case DECIMAL -> unsignedDecimal(v);
            default -> throw new IllegalStateException(k.name());
        };
    }

    static Decimal unsignedDecimal(long v) {
        if (v >= 0) {
            return Decimal.apply(v);
        }
        return Decimal.apply(new BigDecimal(new BigInteger(Long.toUnsignedString(v))), 20, 0);
    }

    /** The {value, label} row of an enumeration value. */
    Object enumValue(long v) {
        GenericInternalRow r = new GenericInternalRow(width);
        if (tagSlot >= 0) {
            r.update(tagSlot, integerValue(integerKind(enumValueType), v));
        }
        if (labelSlot >= 0) {
            r.update(labelSlot, label(v));
        }
        return r;
    }

    private UTF8String label(long v) {
        UTF8String s = labels.get(v);
        if (s == null && !labels.containsKey(v)) {
            String l = enumLabel(enumClass, v);
            s = l == null ? null : UTF8String.fromString(l);
            if (labels.size() < 4096) {
                labels.put(v, s);
            }
        }
        return s;
    }

    /** The label(s) of an enumeration value: the matching mappings joined by {@code |}, or null. */
    static String enumLabel(IntegerClass ic, long v) {
        String out = null;
        boolean signed = ic.signed();
        for (IntegerClass.Mapping m : ic.mappings()) {
            if (m.contains(v, signed)) {
                out = out == null ? m.label() : out + "|" + m.label();
            }
        }
        return out;
    }
}
