package io.tracestream.spark.read;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The schema of a table over some traces, computed on the driver from their metadata.
 *
 * <p>Generic table ({@code events == null}): {@link EventColumns#META}, then {@code context} (a struct of the union
 * of all event common context and specific context fields of all event classes, omitted when there is none), then
 * {@code payload} (VARIANT). Typed table: the leading columns, then the context fields and the payload fields of the
 * chosen classes as top-level columns.
 *
 * <p>Naming: a field keeps its CTF name; a context or payload field whose name is taken by a leading column becomes
 * {@code context_NAME} / {@code payload_NAME}; a payload field whose name a context field took becomes
 * {@code payload_NAME}; fields of the same name but a different Spark type in different classes get {@code _2},
 * {@code _3}... Names compare ignoring case, as Spark SQL does.
 *
 * @param schema      the full table schema
 * @param columnNames column (typed) or context field (generic) of each member key ({@link ReadPlan#key})
 * @param events      the event names of a typed table, null for the generic table
 */
public record TableLayout(StructType schema, Map<String, String> columnNames, Set<String> events) {

    /**
     * The layout of the generic table ({@code events} null) or of the typed table of these event names.
     *
     * @throws CtfException when a typed table names an event class that no trace has
     */
    public static TableLayout of(List<? extends Trace> traces, List<String> events) {
        Map<String, String> names = new HashMap<>();
        List<StructField> fields = new ArrayList<>(EventColumns.META);
        Set<String> taken = new HashSet<>();
        for (StructField f : EventColumns.META) {
            taken.add(f.name().toLowerCase(Locale.ROOT));
        }
        if (events == null) {
            List<StructField> ctx = new ArrayList<>();
            Set<String> ctxTaken = new HashSet<>();
            for (Trace t : traces) {
                for (StreamClass sc : t.traceClass().streamClasses()) {
                    addScope('c', sc.eventCommonContext(), null, names, ctx, ctxTaken);
                    for (EventClass ec : sc.eventClasses()) {
                        addScope('s', ec.specificContext(), null, names, ctx, ctxTaken);
                    }
                }
            }
            if (!ctx.isEmpty()) {
                fields.add(DataTypes.createStructField(EventColumns.CONTEXT, DataTypes.createStructType(ctx), true)
                        .withComment("event common and specific context fields"));
            }
            fields.add(DataTypes.createStructField(EventColumns.PAYLOAD, DataTypes.VariantType, true)
                    .withComment("event payload as a VARIANT"));
            return new TableLayout(DataTypes.createStructType(fields), Map.copyOf(names), null);
        }
        Set<String> wanted = new LinkedHashSet<>(events);
        Set<String> found = new HashSet<>();
        Set<String> all = new TreeSet<>();
        List<StructField> ctxFields = new ArrayList<>();
        List<StructField> payloadFields = new ArrayList<>();
        // contexts first (all classes), then payloads: context columns keep the plain names
        for (Trace t : traces) {
            for (StreamClass sc : t.traceClass().streamClasses()) {
                boolean any = false;
                for (EventClass ec : sc.eventClasses()) {
                    all.add(ec.name());
                    if (wanted.contains(ec.name())) {
                        any = true;
                        found.add(ec.name());
                        addScope('s', ec.specificContext(), "context_", names, ctxFields, taken);
                    }
                }
                if (any) {
                    addScope('c', sc.eventCommonContext(), "context_", names, ctxFields, taken);
                }
            }
        }
        for (Trace t : traces) {
            for (StreamClass sc : t.traceClass().streamClasses()) {
                for (EventClass ec : sc.eventClasses()) {
                    if (wanted.contains(ec.name())) {
                        addScope('p', ec.payload(), "payload_", names, payloadFields, taken);
                    }
                }
            }
        }
        for (String w : wanted) {
            if (!found.contains(w)) {
                throw new CtfException("ctf: option 'events': no event class '" + w + "' in the traces"
                        + suggestions(all));
            }
        }
        fields.addAll(ctxFields);
        fields.addAll(payloadFields);
        return new TableLayout(DataTypes.createStructType(fields), Map.copyOf(names), Set.copyOf(wanted));
    }

    private static String suggestions(Set<String> all) {
        if (all.isEmpty()) {
            return " (they have no event classes)";
        }
        StringBuilder sb = new StringBuilder(" (event classes: ");
        int n = 0;
        for (String s : all) {
            if (n++ == 20) {
                sb.append(", ... ").append(all.size() - 20).append(" more");
                break;
            }
            sb.append(n > 1 ? ", " : "").append(s);
        }
        return sb.append(')').toString();
    }

    private static void addScope(char scope, StructClass st, String prefix, Map<String, String> names,
                                 List<StructField> out, Set<String> taken) {
        if (st == null) {
            return;
        }
        String[] mn = TypeMapping.memberNames(st);
        for (int i = 0; i < mn.length; i++) {
            DataType type = TypeMapping.sparkType(st.member(i).type(), false);
            String key = ReadPlan.key(scope, mn[i], type);
            if (names.containsKey(key)) {
                continue;
            }
            String col = mn[i];
            if (taken.contains(col.toLowerCase(Locale.ROOT)) && prefix != null) {
                col = prefix + mn[i];
            }
            String base = col;
            int k = 2;
            while (taken.contains(col.toLowerCase(Locale.ROOT))) {
                col = base + "_" + k++;
            }
            taken.add(col.toLowerCase(Locale.ROOT));
            names.put(key, col);
            out.add(DataTypes.createStructField(col, type, true));
        }
    }

    /** The pruned plan of this layout. */
    public ReadPlan plan(StructType readSchema, Set<String> eventFilter, long tsLow, long tsHigh, boolean lenient) {
        Set<String> ev = events;
        if (eventFilter != null) {
            Set<String> s = new LinkedHashSet<>(eventFilter);
            if (ev != null) {
                s.retainAll(ev);
            }
            ev = s;
        }
        return new ReadPlan(events != null, readSchema, new LinkedHashMap<>(columnNames), ev == null ? null
                : new LinkedHashSet<>(ev), tsLow, tsHigh, lenient);
    }
}
