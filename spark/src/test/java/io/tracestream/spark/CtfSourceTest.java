package io.tracestream.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.spark.read.EventColumns;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ctf} source on the project's recorded UST traces: typed tables and the type mapping, VARIANT queries,
 * splits, pushdown (checked by the packets, bytes and rows the scan metrics count), losses and bad input.
 */
class CtfSourceTest {
    private static final Path SAMPLE = SampleTraces.sampleUst();
    private static final Path LOSSY = SampleTraces.lossyUst();

    private static SparkSession spark() {
        return TestSpark.get();
    }

    private static Dataset<Row> read(Path p) {
        return spark().read().format("ctf").load(p.toString());
    }

    private static List<String> coreEvents(Path p, boolean typed) {
        List<String> out = new ArrayList<>();
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), p)) {
            for (EventRecord e : ts.events()) {
                out.add(typed ? Canonical.typedCore(e) : Canonical.of(e, false));
            }
        }
        Collections.sort(out);
        return out;
    }

    // ------------------------------------------------------------------ typed tables

    @Test
    void typedTableOfEveryClassEqualsTheCoreReader() {
        List<String> names;
        try (TraceSet ts = TraceSet.open(SAMPLE)) {
            names = new ArrayList<>(new TreeSet<>(ts.eventNames()));
        }
        Dataset<Row> df = spark().read().format("ctf").option("events", String.join(",", names))
                .load(SAMPLE.toString());
        StructType st = df.schema();
        int first = EventColumns.META.size();
        List<String> rows = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            rows.add(Canonical.typed(r, first));
        }
        Collections.sort(rows);
        List<String> core = coreEvents(SAMPLE, true);
        // a payload field named like a leading column is renamed payload_NAME: map back for the comparison
        List<String> spark = new ArrayList<>();
        for (String s : rows) {
            spark.add(s.replace("payload_cpu=", "cpu="));
        }
        Collections.sort(spark);
        assertEquals(core, spark);

        // the type mapping
        assertEquals(DataTypes.IntegerType, st.apply("s8").dataType());
        assertEquals(DataTypes.LongType, st.apply("s64").dataType());
        assertEquals(DataTypes.IntegerType, st.apply("u16").dataType());
        assertEquals(DataTypes.LongType, st.apply("u32").dataType());
        assertEquals(DataTypes.createDecimalType(20, 0), st.apply("u64").dataType());
        assertEquals(DataTypes.FloatType, st.apply("f32").dataType());
        assertEquals(DataTypes.DoubleType, st.apply("f64").dataType());
        assertEquals(DataTypes.StringType, st.apply("str").dataType());
        assertEquals(DataTypes.StringType, st.apply("arrtext").dataType());
        assertEquals(DataTypes.createArrayType(DataTypes.IntegerType, true), st.apply("arr_s32").dataType());
        StructType state = (StructType) st.apply("state").dataType();
        assertEquals("value", state.fields()[0].name());
        assertEquals("label", state.fields()[1].name());
        assertTrue(st.getFieldIndex("payload_cpu").isDefined(), "tick's payload cpu is renamed");
        assertEquals(DataTypes.IntegerType, st.apply("cpu").dataType());

        // unsigned 64-bit: exact
        Row x = df.where("name = 'tsprobe:ints'").selectExpr("max(x64)").first();
        assertEquals(new BigDecimal("18446744073709551615"), x.getDecimal(0));
    }

    @Test
    void typedTableOfOneClassHasItsColumnsOnly() {
        Dataset<Row> df = spark().read().format("ctf").option("events", "tsprobe:tick").load(SAMPLE.toString());
        List<String> cols = List.of(df.columns());
        assertTrue(cols.containsAll(List.of("vpid", "vtid", "procname", "pthread_id", "seq", "payload_cpu")), cols
                .toString());
        assertTrue(!cols.contains("f32"), cols.toString());
        assertEquals(840, df.count());
        assertEquals(840, df.where("payload_cpu = cpu").count(), "tick's cpu payload equals the packet cpu");
    }

    // ------------------------------------------------------------------ VARIANT payload

    @Test
    void payloadVariantAnswersPathQueries() {
        Dataset<Row> df = read(SAMPLE);
        df.createOrReplaceTempView("ev");
        Row r = spark().sql("SELECT count(*), sum(payload:seq::bigint), max(payload:x64::decimal(20,0)) "
                + "FROM ev WHERE name = 'tsprobe:ints'").first();
        assertEquals(420, r.getLong(0));
        long seqSum = 0;
        try (TraceSet ts = TraceSet.open(SAMPLE)) {
            for (EventRecord e : ts.events()) {
                if (e.name().equals("tsprobe:ints")) {
                    seqSum += e.getLong("seq");
                }
            }
        }
        assertEquals(seqSum, r.getLong(1));
        assertEquals(new BigDecimal("18446744073709551615"), r.getDecimal(2));
        Row e = spark().sql("SELECT payload:color.label::string, payload:color.value::int FROM ev "
                + "WHERE name = 'tsprobe:enums' AND payload:color.value::int = 1 LIMIT 1").first();
        assertEquals("RED|RED_OR_GREEN", e.getString(0));
        Row s = spark().sql("SELECT payload:utf8::string, size(cast(payload:arr_s32 AS array<int>)) FROM ev "
                + "WHERE name = 'tsprobe:strings' OR name = 'tsprobe:arrays' ORDER BY name LIMIT 1").first();
        assertEquals(4, s.getInt(1));
        Row ctx = spark().sql("SELECT count(DISTINCT context.vtid), max(context.procname) FROM ev").first();
        assertEquals("ust-probe", ctx.getString(1));
        assertTrue(ctx.getLong(0) >= 2);
    }

    // ------------------------------------------------------------------ splits and losses

    @Test
    void onePacketPerSplitGivesTheSameRowsAndLosses() {
        Dataset<Row> whole = read(LOSSY);
        Dataset<Row> split = spark().read().format("ctf").option("maxSplitBytes", "1").load(LOSSY.toString());
        long packets = 0;
        try (TraceSet ts = TraceSet.open(LOSSY)) {
            for (DataStream s : ts.traces().get(0).streams()) {
                packets += ((FsDataStream) s).packets().size();
            }
        }
        assertEquals(packets, split.rdd().getNumPartitions());
        assertTrue(whole.rdd().getNumPartitions() < packets);
        List<String> a = canon(split);
        assertEquals(coreEvents(LOSSY, false), a);
        Dataset<Row> counted = split.groupBy("name").count();
        counted.collectAsList();
        Map<String, Long> m = Metrics.of(counted);
        BabeltraceCounts bt = BabeltraceCounts.of(LOSSY);
        assertTrue(bt.discardedEvents() > 0, "the lossy trace lost events");
        assertEquals(bt.discardedEvents(), m.get("discardedEvents"));
        assertEquals(bt.discardedPackets(), m.get("lostPackets"));
        assertEquals(packets, m.get("packetsRead"));
    }

    private static List<String> canon(Dataset<Row> df) {
        List<String> out = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            out.add(Canonical.of(r, false));
        }
        Collections.sort(out);
        return out;
    }

    // ------------------------------------------------------------------ pushdown

    @Test
    void timeRangeSkipsPacketsByTheirBounds() {
        // a trace with many packets: one packet per stream otherwise
        Path trace = LOSSY;
        List<Long> ts = new ArrayList<>();
        try (TraceSet set = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), trace)) {
            for (EventRecord e : set.events()) {
                ts.add(e.timestamp());
            }
        }
        Collections.sort(ts);
        long lo = ts.get(ts.size() * 40 / 100);
        long hi = ts.get(ts.size() * 45 / 100);
        long expected = ts.stream().filter(t -> t >= lo && t <= hi).count();
        Dataset<Row> all = read(trace);
        Dataset<Row> q = all.where("ts BETWEEN " + lo + " AND " + hi).groupBy().count();
        assertEquals(expected, q.collectAsList().get(0).getLong(0));
        Map<String, Long> m = Metrics.of(q);
        Dataset<Row> full = all.groupBy().count();
        full.collectAsList().get(0);
        Map<String, Long> mf = Metrics.of(full);
        assertTrue(m.get("packetsRead") < mf.get("packetsRead") / 2, m + " vs " + mf);
        assertTrue(m.get("bytesRead") < mf.get("bytesRead") / 2, m + " vs " + mf);
        String plan = all.where("ts BETWEEN " + lo + " AND " + hi).queryExecution().executedPlan().toString();
        assertTrue(plan.contains("ts=[" + lo + ", " + hi + "]"), plan);

        // the same through the TIMESTAMP column
        all.createOrReplaceTempView("lossy");
        Dataset<Row> t = spark().sql("SELECT count(*) FROM lossy WHERE time >= "
                + "timestamp_micros(" + Math.floorDiv(lo, 1000) + ") AND time < timestamp_micros("
                + (Math.floorDiv(hi, 1000) + 1) + ")");
        long byTime = ts.stream().filter(x -> Math.floorDiv(x, 1000) >= Math.floorDiv(lo, 1000)
                && Math.floorDiv(x, 1000) <= Math.floorDiv(hi, 1000)).count();
        assertEquals(byTime, t.collectAsList().get(0).getLong(0));
        assertTrue(Metrics.of(t).get("packetsRead") < mf.get("packetsRead") / 2);
    }

    @Test
    void cpuStreamAndNameFiltersSkipFilesAndPayloads() {
        Dataset<Row> all = read(SAMPLE);
        Dataset<Row> full = all.groupBy().count();
        long total = full.collectAsList().get(0).getLong(0);
        Map<String, Long> mf = Metrics.of(full);

        Dataset<Row> cpu0 = all.where("cpu = 0").groupBy().count();
        long n0 = cpu0.collectAsList().get(0).getLong(0);
        Map<String, Long> m0 = Metrics.of(cpu0);
        long core0 = 0;
        try (TraceSet ts = TraceSet.open(SAMPLE)) {
            for (EventRecord e : ts.events()) {
                if (e.packet().cpuId() == 0) {
                    core0++;
                }
            }
        }
        assertEquals(core0, n0);
        assertTrue(m0.get("bytesRead") < mf.get("bytesRead"), m0 + " vs " + mf);
        assertTrue(all.where("cpu = 0").queryExecution().executedPlan().toString().contains("cpus=[0]"));

        Row s = all.where("stream_id = 0").groupBy().count().first();
        assertTrue(s.getLong(0) > 0 && s.getLong(0) < total);

        Dataset<Row> ticks = all.where("name = 'tsprobe:tick'").groupBy().count();
        assertEquals(840, ticks.collectAsList().get(0).getLong(0));
        Map<String, Long> mt = Metrics.of(ticks);
        assertEquals(840, mt.get("rowsOutput"), "only matching events become rows");
        assertEquals(total, mt.get("eventsDecoded"), "the other events are passed over");
    }

    @Test
    void prunedColumnsAreNotMaterialised() {
        Dataset<Row> df = read(SAMPLE).select("name", "context.vtid");
        String scan = df.queryExecution().executedPlan().toString();
        assertTrue(scan.contains("columns=struct<name:string,context:struct<vtid:"), scan);
        assertEquals(coreEvents(SAMPLE, false).size(), df.collectAsList().size());
        Map<String, Long> m = Metrics.of(df);
        assertEquals(m.get("eventsDecoded"), m.get("rowsOutput"));
    }

    // ------------------------------------------------------------------ bad input

    @Test
    void badPathsAndOptionsFailBeforeAnyJob(@TempDir Path tmp) {
        assertMessage("no such file or directory", () -> read(tmp.resolve("missing")));
        assertMessage("no CTF trace found under " + tmp, () -> read(tmp));
        assertMessage("unknown option 'maxSplitByte'", () -> spark().read().format("ctf")
                .option("maxSplitByte", "1m").load(SAMPLE.toString()));
        assertMessage("option 'maxSplitBytes' must be a positive size", () -> spark().read().format("ctf")
                .option("maxSplitBytes", "-3").load(SAMPLE.toString()));
        assertMessage("option 'lenient' must be true or false", () -> spark().read().format("ctf")
                .option("lenient", "yes").load(SAMPLE.toString()));
        assertMessage("no event class 'sched_switch' in the traces (event classes: lttng_ust_tracef:event",
                () -> spark().read().format("ctf").option("events", "sched_switch").load(SAMPLE.toString()));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable e) {
        CtfException ex = assertThrows(CtfException.class, e);
        assertTrue(ex.getMessage().contains(expected), ex.getMessage());
    }

    @Test
    void corruptPacketFailsWithItsFileAndOffsetOrIsCountedWhenLenient(@TempDir Path tmp) throws IOException {
        Path copy = tmp.resolve("trace");
        copyTree(SAMPLE, copy);
        PacketIndexEntry victim;
        try (TraceSet ts = TraceSet.open(copy)) {
            FsDataStream s = (FsDataStream) ts.traces().get(0).streams().get(0);
            assertTrue(s.packets().size() >= 2, "needs a stream with two packets");
            victim = s.packets().get(1);
        }
        try (RandomAccessFile f = new RandomAccessFile(victim.file().toFile(), "rw")) {
            f.seek(victim.offset());
            f.writeInt(0x0BADF00D);
        }
        Exception ex = assertThrows(Exception.class, () -> read(copy).count());
        String msg = RealTracesTest.messages(ex);
        assertTrue(msg.contains(victim.file() + ": offset " + victim.offset() + ": bad packet magic number"), msg);

        long lenientCore = 0;
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().lenient(true).listener(TraceListener.SILENT),
                copy)) {
            for (EventRecord e : ts.events()) {
                lenientCore++;
            }
        }
        Dataset<Row> q = spark().read().format("ctf").option("lenient", "true").load(copy.toString())
                .groupBy().count();
        assertEquals(lenientCore, q.collectAsList().get(0).getLong(0));
        assertNotEquals(coreEvents(SAMPLE, false).size(), (int) lenientCore);
        assertEquals(1L, Metrics.of(q).get("corruptPackets"));
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path d = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(d);
                } else {
                    Files.copy(p, d);
                }
            }
        }
    }
}
