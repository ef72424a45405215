package io.tracestream.spark.analyses;

import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Column;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.TableClass;
import io.tracestream.analyses.Value;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.MetadataBuilder;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Analysis results as DataFrames: one per LAMI table class, all periods (windows) and sub-tables stacked with
 * {@code period_begin}, {@code period_end} (ns) and {@code subtitle} columns first, then the table class's columns.
 * Column types follow the LAMI classes of the values: numbers {@code BIGINT} (or {@code DOUBLE} when a value is
 * not integral), processes {@code STRUCT<name, pid, tid>}, CPUs and fds {@code BIGINT}, IRQs
 * {@code STRUCT<hard, nr, name>}, time ranges {@code STRUCT<begin, end>}, names and paths {@code STRING}, unknown
 * ({@code ?}) and empty values {@code NULL}. Each column's metadata holds its LAMI {@code class}, {@code title} and
 * {@code unit}.
 */
final class ResultFrames {
    private static final StructType PROCESS = new StructType()
            .add("name", DataTypes.StringType).add("pid", DataTypes.LongType).add("tid", DataTypes.LongType);
    private static final StructType IRQ = new StructType()
            .add("hard", DataTypes.BooleanType).add("nr", DataTypes.LongType).add("name", DataTypes.StringType);
    private static final StructType RANGE = new StructType()
            .add("begin", DataTypes.LongType).add("end", DataTypes.LongType);

    private ResultFrames() {
    }

    static Map<String, Dataset<Row>> tables(SparkSession spark, List<AnalysisResult> results) {
        // table class name -> analyses having it (to prefix names that would collide)
        Map<String, List<String>> owners = new HashMap<>();
        Map<String, Map<String, List<ResultTable>>> byAnalysis = new LinkedHashMap<>();
        Map<String, Map<String, long[]>> periodsOf = new HashMap<>();
        for (AnalysisResult r : results) {
            String an = r.analysis().name();
            Map<String, List<ResultTable>> mine = byAnalysis.computeIfAbsent(an, k -> new LinkedHashMap<>());
            for (TableClass tc : r.analysis().tableClasses()) {
                mine.putIfAbsent(tc.name(), new ArrayList<>());
                List<String> o = owners.computeIfAbsent(tc.name(), k -> new ArrayList<>());
                if (!o.contains(an)) {
                    o.add(an);
                }
            }
            for (AnalysisResult.Period p : r.periods()) {
                for (ResultTable t : p.tables()) {
                    mine.computeIfAbsent(t.tableClass().name(), k -> new ArrayList<>()).add(t);
                    periodsOf.computeIfAbsent(an, k -> new HashMap<>()).put(key(t), new long[] {p.begin(), p.end()});
                }
            }
        }
        Map<String, Dataset<Row>> out = new LinkedHashMap<>();
        for (AnalysisResult r : results) {
            String an = r.analysis().name();
            for (TableClass tc : r.analysis().tableClasses()) {
                String view = viewName(tc.name());
                if (owners.get(tc.name()).size() > 1) {
                    view = viewName(an) + "_" + view;
                }
                if (out.containsKey(view)) {
                    continue;
                }
                List<ResultTable> tables = byAnalysis.get(an).get(tc.name());
                Dataset<Row> df = frame(spark, tc, tables, periodsOf.getOrDefault(an, Map.of()));
                df.createOrReplaceTempView(view);
                out.put(view, df);
            }
        }
        return out;
    }

    private static String key(ResultTable t) {
        return System.identityHashCode(t) + "";
    }

    static String viewName(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    }

    private enum Kind { LONG, DOUBLE, STRING, BOOL, PROCESS, IRQ, RANGE, NULL }

    private static Dataset<Row> frame(SparkSession spark, TableClass tc, List<ResultTable> tables,
            Map<String, long[]> periods) {
        int n = tc.columns().size();
        Kind[] kinds = new Kind[n];
        java.util.Arrays.fill(kinds, Kind.NULL);
        for (ResultTable t : tables) {
            for (List<Value> row : t.rows()) {
                for (int i = 0; i < n && i < row.size(); i++) {
                    kinds[i] = widen(kinds[i], kindOf(row.get(i)));
                }
            }
        }
        StructType schema = new StructType()
                .add("period_begin", DataTypes.LongType, false)
                .add("period_end", DataTypes.LongType, false)
                .add("subtitle", DataTypes.StringType, true);
        List<String> used = new ArrayList<>(List.of("period_begin", "period_end", "subtitle"));
        for (int i = 0; i < n; i++) {
            Column c = tc.columns().get(i);
            String name = viewName(c.key());
            while (used.contains(name)) {
                name = name + "_";
            }
            used.add(name);
            Metadata md = new MetadataBuilder().putString("class", String.valueOf(c.lamiClass()))
                    .putString("title", String.valueOf(c.title()))
                    .putString("unit", c.unit() == null ? "" : c.unit()).build();
            schema = schema.add(new StructField(name, type(kinds[i]), true, md));
        }
        List<Row> rows = new ArrayList<>();
        for (ResultTable t : tables) {
            long[] p = periods.getOrDefault(key(t), new long[] {t.begin(), t.end()});
            for (List<Value> row : t.rows()) {
                Object[] cells = new Object[n + 3];
                cells[0] = p[0];
                cells[1] = p[1];
                cells[2] = t.subtitle();
                for (int i = 0; i < n; i++) {
                    cells[i + 3] = i < row.size() ? cell(kinds[i], row.get(i)) : null;
                }
                rows.add(RowFactory.create(cells));
            }
        }
        return spark.createDataFrame(rows, schema);
    }

    private static Kind kindOf(Value v) {
        if (v instanceof Value.Num num) {
            return num.integral() ? Kind.LONG : Kind.DOUBLE;
        } else if (v instanceof Value.Cpu || v instanceof Value.Fd) {
            return Kind.LONG;
        } else if (v instanceof Value.Bool) {
            return Kind.BOOL;
        } else if (v instanceof Value.Process) {
            return Kind.PROCESS;
        } else if (v instanceof Value.Irq) {
            return Kind.IRQ;
        } else if (v instanceof Value.TimeRange) {
            return Kind.RANGE;
        } else if (v instanceof Value.Unknown || v instanceof Value.Empty || v == null) {
            return Kind.NULL;
        }
        return Kind.STRING;
    }

    private static Kind widen(Kind a, Kind b) {
        if (a == b || b == Kind.NULL) {
            return a;
        }
        if (a == Kind.NULL) {
            return b;
        }
        if ((a == Kind.LONG && b == Kind.DOUBLE) || (a == Kind.DOUBLE && b == Kind.LONG)) {
            return Kind.DOUBLE;
        }
        return Kind.STRING;
    }

    private static DataType type(Kind k) {
        return switch (k) {
            case LONG -> DataTypes.LongType;
            case DOUBLE -> DataTypes.DoubleType;
            case BOOL -> DataTypes.BooleanType;
            case PROCESS -> PROCESS;
            case IRQ -> IRQ;
            case RANGE -> RANGE;
            case STRING, NULL -> DataTypes.StringType;
        };
    }

    private static Object cell(Kind k, Value v) {
        if (v == null || v instanceof Value.Unknown || v instanceof Value.Empty) {
            return null;
        }
        return switch (k) {
            case LONG -> v instanceof Value.Num num ? num.longValue()
                    : v instanceof Value.Cpu c ? c.id() : ((Value.Fd) v).fd();
            case DOUBLE -> ((Value.Num) v).asDouble();
            case BOOL -> ((Value.Bool) v).value();
            case PROCESS -> {
                Value.Process p = (Value.Process) v;
                yield RowFactory.create(p.name(), p.pid() < 0 ? null : p.pid(), p.tid() < 0 ? null : p.tid());
            }
            case IRQ -> {
                Value.Irq q = (Value.Irq) v;
                yield RowFactory.create(q.hard(), q.nr(), q.name());
            }
            case RANGE -> {
                Value.TimeRange r = (Value.TimeRange) v;
                yield RowFactory.create(r.begin(), r.end());
            }
            case STRING, NULL -> v.text();
        };
    }
}
