package io.tracestream.spark.read;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.connector.expressions.aggregate.AggregateFunc;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.expressions.aggregate.Count;
import org.apache.spark.sql.connector.expressions.aggregate.CountStar;
import org.apache.spark.sql.connector.expressions.aggregate.Max;
import org.apache.spark.sql.connector.expressions.aggregate.Min;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * An aggregation pushed into the scan ({@code SupportsPushDownAggregates}): {@code COUNT(*)}, {@code COUNT(col)},
 * {@code MIN(col)} and {@code MAX(col)} of leading columns, grouped by leading columns whose value is fixed per
 * event class, packet or stream ({@code name}, {@code event_id}, {@code cpu}, {@code trace}, {@code host},
 * {@code stream_id}, {@code stream_class_id}, {@code stream_file}, {@code packet_seq}). Each split computes its
 * groups straight from the decoder (no row per event); Spark merges the splits' partial results.
 *
 * @param groupBy   leading column index ({@link EventColumns#META}) of each grouping column
 * @param functions one of {@link #COUNT_STAR}, {@link #COUNT}, {@link #MIN}, {@link #MAX} per aggregate
 * @param columns   leading column index of each aggregate's argument (-1 for {@code COUNT(*)})
 * @param schema    the rows the scan returns: the grouping columns, then one column per aggregate
 * @param text      the aggregation as {@code explain()} shows it
 */
public record AggregatePlan(int[] groupBy, int[] functions, int[] columns, StructType schema, String text)
        implements Serializable {
    public static final int COUNT_STAR = 0;
    public static final int COUNT = 1;
    public static final int MIN = 2;
    public static final int MAX = 3;

    /** Leading columns a group key can use: fixed for all the events of one class in one packet. */
    private static final List<String> GROUPABLE = List.of(EventColumns.NAME, EventColumns.EVENT_ID,
            EventColumns.CPU, EventColumns.TRACE, EventColumns.HOST, EventColumns.STREAM_ID,
            EventColumns.STREAM_CLASS_ID, EventColumns.STREAM_FILE, EventColumns.PACKET_SEQ);

    /** The plan of an aggregation, or null when some part of it cannot be computed by the scan. */
    public static AggregatePlan of(Aggregation a) {
        List<StructField> fields = new ArrayList<>();
        Expression[] g = a.groupByExpressions();
        int[] groupBy = new int[g.length];
        List<String> groupText = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            int c = column(g[i]);
            if (c < 0 || !GROUPABLE.contains(EventColumns.META.get(c).name())) {
                return null;
            }
            groupBy[i] = c;
            StructField f = EventColumns.META.get(c);
            fields.add(DataTypes.createStructField(f.name(), f.dataType(), true));
            groupText.add(f.name());
        }
        AggregateFunc[] fs = a.aggregateExpressions();
        int[] functions = new int[fs.length];
        int[] columns = new int[fs.length];
        List<String> aggText = new ArrayList<>();
        for (int i = 0; i < fs.length; i++) {
            AggregateFunc f = fs[i];
            int fn;
            int c;
            if (f instanceof CountStar) {
                fn = COUNT_STAR;
                c = -1;
            } else if (f instanceof Count cnt && !cnt.isDistinct()) {
                fn = COUNT;
                c = column(cnt.column());
            } else if (f instanceof Min m) {
                fn = MIN;
                c = column(m.column());
            } else if (f instanceof Max m) {
                fn = MAX;
                c = column(m.column());
            } else {
                return null;
            }
            if (fn != COUNT_STAR && (c < 0 || fn >= MIN && !numeric(c))) {
                return null;
            }
            functions[i] = fn;
            columns[i] = c;
            String arg = c < 0 ? "*" : EventColumns.META.get(c).name();
            String name = switch (fn) {
                case MIN -> "MIN";
                case MAX -> "MAX";
                default -> "COUNT";
            } + "(" + arg + ")";
            aggText.add(name);
            DataType t = fn <= COUNT ? DataTypes.LongType : EventColumns.META.get(c).dataType();
            fields.add(DataTypes.createStructField(name, t, true));
        }
        String text = aggText + (groupText.isEmpty() ? "" : " GROUP BY " + groupText);
        return new AggregatePlan(groupBy, functions, columns, DataTypes.createStructType(fields), text);
    }

    /** The leading column a top-level reference names, or -1. */
    private static int column(Expression e) {
        if (!(e instanceof NamedReference r) || r.fieldNames().length != 1) {
            return -1;
        }
        String n = r.fieldNames()[0].toLowerCase(Locale.ROOT);
        for (int i = 0; i < EventColumns.META.size(); i++) {
            if (EventColumns.META.get(i).name().equals(n)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean numeric(int column) {
        DataType t = EventColumns.META.get(column).dataType();
        return t == DataTypes.LongType || t == DataTypes.IntegerType || t == DataTypes.TimestampType;
    }

    /** True when there is no grouping: every split returns one row, even without events. */
    boolean global() {
        return groupBy.length == 0;
    }
}
