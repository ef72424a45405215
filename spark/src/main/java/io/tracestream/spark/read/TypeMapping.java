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
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * How CTF field classes map to Spark SQL types (the typed tables and the {@code context} column).
 *
 * <ul>
 * <li>integer, signed, up to 32 bits: {@code INT}; signed up to 64 bits (or variable length): {@code BIGINT}</li>
 * <li>integer, unsigned, up to 31 bits: {@code INT}; up to 63 bits: {@code BIGINT}; 64 bits or variable length:
 *     {@code DECIMAL(20,0)} (exact), or {@code BIGINT} holding the bit pattern with {@code unsigned64=long}</li>
 * <li>boolean: {@code BOOLEAN}; bit array: as an unsigned integer of its length</li>
 * <li>enumeration: {@code STRUCT<value: integer as above, label: STRING>}; the label is the matching mapping (several
 *     matching labels joined by {@code |}), null when none matches</li>
 * <li>float: 32-bit {@code FLOAT}, otherwise {@code DOUBLE}</li>
 * <li>string and text array/sequence: {@code STRING}</li>
 * <li>array and sequence: {@code ARRAY<element>}</li>
 * <li>structure: {@code STRUCT} with the same members</li>
 * <li>variant: {@code STRUCT<tag: STRING, option1: T1, ...>} with only the selected option non-null</li>
 * <li>optional: its field's type, null when absent</li>
 * <li>BLOB: {@code BINARY}</li>
 * </ul>
 */
public final class TypeMapping {
    /** {@code DECIMAL(20,0)}: every unsigned 64-bit value, exactly. */
    public static final DecimalType U64 = DataTypes.createDecimalType(20, 0);

    private TypeMapping() {
    }

    /** The Spark type of a CTF field class. */
    public static DataType sparkType(FieldClass fc, boolean unsigned64AsLong) {
        if (fc instanceof IntegerClass ic) {
            DataType base = integerType(ic, unsigned64AsLong);
            if (ic.isEnumeration()) {
                return new StructType()
                        .add("value", base, false)
                        .add("label", DataTypes.StringType, true);
            }
            return base;
        }
        if (fc instanceof FloatClass f) {
            return f.length() == 32 ? DataTypes.FloatType : DataTypes.DoubleType;
        }
        if (fc instanceof StringClass) {
            return DataTypes.StringType;
        }
        if (fc instanceof BlobClass) {
            return DataTypes.BinaryType;
        }
        if (fc instanceof ArrayClass ac) {
            if (ac.isText()) {
                return DataTypes.StringType;
            }
            return DataTypes.createArrayType(sparkType(ac.elementType(), unsigned64AsLong), true);
        }
        if (fc instanceof StructClass sc) {
            return structType(sc, unsigned64AsLong);
        }
        if (fc instanceof VariantClass vc) {
            List<StructField> fields = new ArrayList<>();
            fields.add(DataTypes.createStructField("tag", DataTypes.StringType, true));
            for (VariantClass.Option o : vc.options()) {
                fields.add(DataTypes.createStructField(o.name(), sparkType(o.type(), unsigned64AsLong), true));
            }
            return DataTypes.createStructType(dedupe(fields));
        }
        if (fc instanceof OptionalClass oc) {
            return sparkType(oc.type(), unsigned64AsLong);
        }
        throw new IllegalArgumentException("no Spark type for " + fc);
    }

    /** The Spark struct of a CTF structure's members (all nullable). */
    public static StructType structType(StructClass sc, boolean unsigned64AsLong) {
        List<StructField> fields = new ArrayList<>();
        for (StructClass.Member m : sc.members()) {
            fields.add(DataTypes.createStructField(m.name(), sparkType(m.type(), unsigned64AsLong), true));
        }
        return DataTypes.createStructType(dedupe(fields));
    }

    /** The Spark names of a structure's members: the CTF names, a repeated name (ignoring case) suffixed _2, _3... */
    public static String[] memberNames(StructClass sc) {
        String[] out = new String[sc.memberCount()];
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < out.length; i++) {
            String base = sc.member(i).name();
            String n = base;
            int k = 2;
            while (!seen.add(n.toLowerCase(java.util.Locale.ROOT))) {
                n = base + "_" + k++;
            }
            out[i] = n;
        }
        return out;
    }

    static DataType integerType(IntegerClass ic, boolean unsigned64AsLong) {
        if (ic.kind() == IntegerClass.Kind.BOOLEAN) {
            return DataTypes.BooleanType;
        }
        boolean signed = ic.signed() && ic.kind() == IntegerClass.Kind.INTEGER;
        int len = ic.variableLength() ? 64 : ic.length();
        if (signed) {
            return len <= 32 ? DataTypes.IntegerType : DataTypes.LongType;
        }
        if (len <= 31) {
            return DataTypes.IntegerType;
        }
        if (len <= 63 || unsigned64AsLong) {
            return DataTypes.LongType;
        }
        return U64;
    }

    /** Spark rejects duplicate names in one struct; a repeated CTF member name gets a numeric suffix. */
    private static List<StructField> dedupe(List<StructField> fields) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<StructField> out = new ArrayList<>(fields.size());
        for (StructField f : fields) {
            String n = f.name();
            int k = 2;
            while (!seen.add(n.toLowerCase(java.util.Locale.ROOT))) {
                n = f.name() + "_" + k++;
            }
            out.add(n.equals(f.name()) ? f : DataTypes.createStructField(n, f.dataType(), f.nullable()));
        }
        return out;
    }
}
