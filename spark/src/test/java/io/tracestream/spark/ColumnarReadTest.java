package io.tracestream.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.SampleTraces;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Columnar reads (column vectors filled from the decoder): equal, row for row, to the row reader
 * ({@code columnar=false}) on the sample traces and on every real trace at hand, for the leading columns of the
 * generic table and the flat columns of typed tables; structs, arrays and the VARIANT fall back to rows.
 */
class ColumnarReadTest {

    private static Dataset<Row> table(Path trace, boolean columnar, String events) {
        var r = TestSpark.get().read().format("ctf").option("columnar", Boolean.toString(columnar));
        if (events != null) {
            r = r.option("events", events);
        }
        return r.load(trace.toString());
    }

    /** The flat columns of a table: numbers, booleans, strings, binaries, timestamps (not structs, arrays...). */
    private static Column[] flat(Dataset<Row> df) {
        List<Column> out = new ArrayList<>();
        for (StructField f : df.schema().fields()) {
            DataType t = f.dataType();
            if (t == DataTypes.IntegerType || t == DataTypes.LongType || t == DataTypes.BooleanType
                    || t == DataTypes.FloatType || t == DataTypes.DoubleType || t == DataTypes.StringType
                    || t == DataTypes.BinaryType || t == DataTypes.TimestampType
                    || t.equals(DataTypes.createDecimalType(20, 0))) {
                out.add(df.col("`" + f.name() + "`"));
            }
        }
        return out.toArray(new Column[0]);
    }

    private static boolean columnarPlan(Dataset<Row> df) {
        return df.queryExecution().executedPlan().toString().contains("ColumnarToRow");
    }

    private static List<String> rows(Dataset<Row> df) {
        List<String> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            out.add(r.toString());
        }
        Collections.sort(out);
        return out;
    }

    /** Row count and an order-independent sum of row hashes (the same Spark expression over both reads). */
    private static Row digest(Dataset<Row> df) {
        return df.select(functions.count(functions.lit(1)),
                functions.sum(functions.xxhash64(flat(df)).cast("decimal(38,0)"))).first();
    }

    @Test
    void typedFlatColumnsEqualTheRowReader() {
        Path sample = SampleTraces.sampleUst();
        String all;
        try (TraceSet ts = TraceSet.open(sample)) {
            all = String.join(",", new TreeSet<>(ts.eventNames()));
        }
        Dataset<Row> col = table(sample, true, all);
        Dataset<Row> row = table(sample, false, all);
        Dataset<Row> c = col.select(flat(col));
        Dataset<Row> r = row.select(flat(row));
        assertTrue(columnarPlan(c), c.queryExecution().executedPlan().toString());
        assertFalse(columnarPlan(r));
        assertTrue(c.columns().length > 20, List.of(c.columns()).toString());
        assertEquals(rows(r), rows(c));
        // a struct column (enumeration) falls back to rows
        Dataset<Row> withEnum = col.select(col.col("name"), col.col("state"));
        assertFalse(columnarPlan(withEnum));
        assertEquals(rows(row.select(row.col("name"), row.col("state"))), rows(withEnum));
    }

    @Test
    void genericLeadingColumnsEqualTheRowReaderWithLosses() {
        for (Path p : List.of(SampleTraces.sampleUst(), SampleTraces.lossyUst())) {
            Dataset<Row> col = table(p, true, null);
            Dataset<Row> c = col.select(flat(col));
            assertTrue(columnarPlan(c));
            Dataset<Row> row = table(p, false, null);
            assertEquals(rows(row.select(flat(row))), rows(c));
            assertEquals(rows(row.where("ts % 3 = 0").select("name", "ts")),
                    rows(col.where("ts % 3 = 0").select("name", "ts")));
            assertEquals(digest(row.select("name")), digest(col.select("name")));
        }
    }

    @TestFactory
    Stream<DynamicTest> realTracesColumnarEqualsRows() throws IOException {
        return RealTracesTest.traces().stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
                () -> {
                    String all;
                    try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), p)) {
                        all = String.join(",", new TreeSet<>(ts.eventNames()));
                    } catch (CtfException e) {
                        return; // refused by the core reader (RealTracesTest checks the source the same way)
                    }
                    // typed table of every class (its flat columns include all the leading columns), or, for
                    // traces of many classes (wide tables, slow to hash), the leading columns of the generic table
                    boolean typed = !all.isEmpty() && all.split(",").length <= 12;
                    Dataset<Row> tr = table(p, false, typed ? all : null);
                    Dataset<Row> tc = table(p, true, typed ? all : null);
                    Dataset<Row> c = tc.select(flat(tc));
                    String plan = c.queryExecution().executedPlan().toString();
                    assertTrue(plan.contains("ColumnarToRow") || plan.contains("splits=0"), plan); // 0: no stream
                    Row rows;
                    try {
                        rows = digest(tr.select(flat(tr)));
                    } catch (Exception e) {
                        assertThrows(Exception.class, () -> digest(c)); // a corrupt trace fails both ways
                        return;
                    }
                    assertEquals(rows, digest(c));
                }));
    }
}
