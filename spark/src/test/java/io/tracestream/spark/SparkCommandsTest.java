package io.tracestream.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.cli.Command;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.spark.cli.ParquetConvertCommand;
import io.tracestream.spark.cli.SqlCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark-backed commands {@code tracestream sql} and {@code convert --to parquet}, run in-process (the CLI's
 * plugin loading itself is exercised by {@code ./tracestream}): output formats against the core reader's counts,
 * typed views, Parquet round trip, one-line errors.
 */
class SparkCommandsTest {
    private static final Path SAMPLE = SampleTraces.sampleUst();

    private static String run(Command c, String... args) throws IOException {
        TestSpark.get(); // share the test session (the command then leaves it running)
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Terminal t = new Terminal(out, new PrintStream(new ByteArrayOutputStream()), Map.of());
        int code = c.run(c.options().parse(List.of(args)), t);
        assertEquals(0, code);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Map<String, Long> coreCounts() {
        Map<String, Long> m = new TreeMap<>();
        try (TraceSet ts = TraceSet.open(SAMPLE)) {
            for (EventRecord e : ts.events()) {
                m.merge(e.name(), 1L, Long::sum);
            }
        }
        return m;
    }

    @Test
    void sqlCsvCountsEqualTheCoreReader() throws IOException {
        String csv = run(new SqlCommand(), "--format", "csv", SAMPLE.toString(),
                "SELECT name, count(*) AS n FROM events GROUP BY name ORDER BY name");
        String[] lines = csv.split("\n");
        assertEquals("name,n", lines[0]);
        Map<String, Long> got = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int c = lines[i].lastIndexOf(',');
            got.put(lines[i].substring(0, c), Long.parseLong(lines[i].substring(c + 1)));
        }
        assertEquals(coreCounts(), got);
    }

    @Test
    void sqlTableAndJsonAndTypedViews() throws IOException {
        String table = run(new SqlCommand(), SAMPLE.toString(),
                "SELECT vtid, count(*) AS n FROM tsprobe_tick GROUP BY vtid ORDER BY vtid");
        String[] lines = table.split("\n");
        assertTrue(lines[0].matches("vtid +n"), lines[0]);
        assertTrue(lines[1].matches("-+ +-+"), lines[1]);
        assertEquals(4, lines.length, table);
        long ticks = 0;
        for (int i = 2; i < lines.length; i++) {
            String[] f = lines[i].trim().split(" +");
            ticks += Long.parseLong(f[1]);
        }
        assertEquals(coreCounts().get("tsprobe:tick"), ticks);

        String json = run(new SqlCommand(), "-f", "json", SAMPLE.toString(),
                "SELECT payload:state.label::string AS label FROM events WHERE name = 'tsprobe:enums' ORDER BY ts "
                        + "LIMIT 2");
        assertEquals("{\"label\":\"IDLE\"}\n{\"label\":\"RUNNING\"}\n", json);
    }

    @Test
    void sqlErrorsAreOneLine() {
        assertThrows(CtfException.class, () -> run(new SqlCommand(), "/nonexistent/trace", "SELECT 1"));
        UsageException u = assertThrows(UsageException.class, () -> run(new SqlCommand(), SAMPLE.toString(),
                "SELECT nope FROM events"));
        assertTrue(u.getMessage().startsWith("bad query: [UNRESOLVED_COLUMN"), u.getMessage());
        assertThrows(UsageException.class, () -> run(new SqlCommand(), "--format", "xml", SAMPLE.toString(),
                "SELECT 1"));
    }

    @Test
    void parquetConversionIsPartitionedByEventClassAndReadsBackTheSame(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("pq");
        run(new ParquetConvertCommand(), SAMPLE.toString(), out.toString());
        assertTrue(out.resolve("name=tsprobe%3Atick").toFile().isDirectory());
        Map<String, Long> got = new TreeMap<>();
        for (Row r : TestSpark.get().read().parquet(out.toString()).groupBy("name").count().collectAsList()) {
            got.put(r.getString(0), r.getLong(1));
        }
        assertEquals(coreCounts(), got);
        Row x = TestSpark.get().read().parquet(out.toString()).where("name = 'tsprobe:ints'")
                .selectExpr("max(payload:x64::decimal(20,0))").collectAsList().get(0);
        assertEquals("18446744073709551615", x.getDecimal(0).toPlainString());
        UsageException u = assertThrows(UsageException.class,
                () -> run(new ParquetConvertCommand(), SAMPLE.toString(), out.toString()));
        assertTrue(u.getMessage().contains("exists and is not empty"), u.getMessage());
    }
}
