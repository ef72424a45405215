package io.tracestream.spark.streaming;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.types.variant.Variant;
import org.apache.spark.types.variant.VariantUtil;
import org.apache.spark.unsafe.types.VariantVal;

/**
 * One event row of the {@code ctf} / {@code lttng-live} generic table, kept in a windowed analysis' state until the
 * watermark passes it: its name, time, CPU and scalar fields (payload, then contexts; enumerations as their value).
 */
final class RowEvent implements Serializable {
    private static final long serialVersionUID = 1L;
    final String name;
    final long eventId;
    final long ts;
    final long cpu;
    final Map<String, Object> fields;

    private RowEvent(String name, long eventId, long ts, long cpu, Map<String, Object> fields) {
        this.name = name;
        this.eventId = eventId;
        this.ts = ts;
        this.cpu = cpu;
        this.fields = fields;
    }

    /** Reads a row of the generic events table (columns name, event_id, ts, cpu, context, payload). */
    static RowEvent of(Row r) {
        StructType schema = r.schema();
        Map<String, Object> fields = new HashMap<>();
        int p = schema.getFieldIndex("payload").getOrElse(() -> -1);
        if (p >= 0 && !r.isNullAt(p) && r.get(p) instanceof VariantVal v) {
            Variant root = new Variant(v.getValue(), v.getMetadata());
            if (root.getType() == VariantUtil.Type.OBJECT) {
                for (int i = 0; i < root.objectSize(); i++) {
                    Variant.ObjectField f = root.getFieldAtIndex(i);
                    Object value = scalar(f.value);
                    if (value != null) {
                        fields.put(f.key, value);
                    }
                }
            }
        }
        int c = schema.getFieldIndex("context").getOrElse(() -> -1);
        if (c >= 0 && !r.isNullAt(c) && r.get(c) instanceof Row ctx) {
            String[] names = ctx.schema().fieldNames();
            for (int i = 0; i < names.length; i++) {
                if (!ctx.isNullAt(i)) {
                    Object o = ctx.get(i);
                    if (o instanceof Number n) {
                        fields.putIfAbsent(names[i], n instanceof Double || n instanceof Float ? n.doubleValue()
                                : n.longValue());
                    } else if (o instanceof String s) {
                        fields.putIfAbsent(names[i], s);
                    }
                }
            }
        }
        int cpuIndex = schema.getFieldIndex("cpu").getOrElse(() -> -1);
        long cpu = cpuIndex < 0 || r.isNullAt(cpuIndex) ? -1 : ((Number) r.get(cpuIndex)).longValue();
        Object id = r.getAs("event_id");
        return new RowEvent(r.getAs("name"), id == null ? -1 : ((Number) id).longValue(),
                ((Number) r.getAs("ts")).longValue(), cpu, fields);
    }

    private static Object scalar(Variant v) {
        switch (v.getType()) {
            case LONG:
                return v.getLong();
            case DOUBLE:
                return v.getDouble();
            case FLOAT:
                return (double) v.getFloat();
            case DECIMAL:
                return v.getDecimal().longValue();
            case BOOLEAN:
                return v.getBoolean() ? 1L : 0L;
            case STRING:
                return v.getString();
            case OBJECT: {
                Variant value = v.getFieldByKey("value"); // an enumeration: {label, value}
                return value == null ? null : scalar(value);
            }
            default:
                return null;
        }
    }
}
