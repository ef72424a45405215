package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.testing.SharedTraces;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.StreamWriter;
import io.tracestream.ctf.write.TraceSchema;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The time-ordered pass on two threads ({@code LocalEngine} with two threads or more, when no pass reads event fields:
 * a decoding thread hands the analysis thread the events reduced to the model's fields) gives exactly the results
 * and the errors of the one-thread pass; and the primitive accumulators behind it are exact.
 */
class PipelinedPassTest {
    private static final List<Analysis> MODEL_ONLY = List.of(Analyses.byName("cputop"),
            Analyses.byName("schedstats"), Analyses.byName("schedtop"), Analyses.byName("threadstates"));
    private static final Set<String> FLAGS = Set.of(SchedAnalysis.FLAG_TOTAL, SchedAnalysis.FLAG_PER_PRIO,
            SchedAnalysis.FLAG_PER_TID, Histogram.FLAG, ThreadStatesAnalysis.FLAG_INTERVALS);

    private static String lami(Path trace, AnalysisConfig c, int threads) {
        return Lami.results(new LocalEngine().parallelism(threads).run(List.of(trace), MODEL_ONLY, c));
    }

    @Test
    void theseAnalysesReadNoEventFields() {
        for (Analysis a : MODEL_ONLY) {
            assertFalse(a.newPass(AnalysisConfig.defaults()).readsEventFields(), a.name());
        }
        assertTrue(Analyses.byName("syscallstats").newPass(AnalysisConfig.defaults()).readsEventFields());
    }

    @Test
    void twoThreadsGiveTheResultsOfOne() {
        Path trace = SharedTraces.path("tracecompass/many-threads");
        AnalysisConfig c = AnalysisConfig.defaults().withFlags(FLAGS);
        assertEquals(lami(trace, c, 1), lami(trace, c, 2));
        AnalysisConfig top = AnalysisConfig.defaults().withTop(0); // every latency
        assertEquals(lami(trace, top, 1), lami(trace, top, 2));
    }

    @Test
    void twoThreadsWithWindowsRangeAndFilters() {
        Path trace = SharedTraces.path("tracecompass/bug446190");
        List<AnalysisResult> whole = new LocalEngine().run(List.of(trace), MODEL_ONLY, AnalysisConfig.defaults());
        long b = whole.get(0).periods().get(0).begin();
        long e = whole.get(0).periods().get(0).end();
        AnalysisConfig c = AnalysisConfig.defaults().withFlags(FLAGS).withRange(b + (e - b) / 5, e - (e - b) / 5)
                .withWindow((e - b) / 7).withTop(3).withCpus(Set.of(0L, 1L));
        assertEquals(lami(trace, c, 1), lami(trace, c, 2));
    }

    /** Events without the optional fields the model asks for (exec without procname, statedump without prio). */
    @Test
    void absentOptionalFields(@TempDir Path dir) throws Exception {
        long s = KernelTraceWriter.S;
        try (KernelTraceWriter w = new KernelTraceWriter(dir)) {
            w.cpu(0);
            w.cpu(1);
            w.statedump(0, s, 100, 100, "server");
            w.statedump(1, s, 200, 200, "client");
            w.wakeup(0, s + 10, "server", 100, 0);
            w.schedSwitch(0, s + 30, "swapper/0", 0, 0, "server", 100);
            w.event(0, "sched_process_exec", s + 40).string("/bin/true").i32(100).i32(100).end();
            w.wakeup(1, s + 50, "client", 200, 1);
            w.schedSwitch(1, s + 90, "swapper/1", 0, 0, "client", 200);
            w.schedSwitch(0, s + 100, "server", 100, 1, "swapper/0", 0);
            w.schedSwitch(1, s + 120, "client", 200, 1, "swapper/1", 0);
        }
        AnalysisConfig c = AnalysisConfig.defaults().withFlags(FLAGS);
        String one = lami(dir, c, 1);
        assertEquals(one, lami(dir, c, 2));
        assertTrue(one.contains("\"server\""), one);
    }

    /** A sched_switch without next_prio: the same error, from the same event, on one thread or two. */
    @Test
    void aMissingFieldFailsTheSameWay(@TempDir Path dir) throws Exception {
        TraceClass tc = TraceSchema.builder().env("domain", "kernel").env("tracer_name", "lttng-modules")
                .env("tracer_major", 2).env("tracer_minor", 13).env("tracer_patchlevel", 0)
                .clock("monotonic", KernelTraceWriter.S)
                .stream("channel0", st -> st.header(TraceSchema.Header.COMPACT)
                        .event("sched_switch", e -> e.textArray("prev_comm", 16).i32("prev_tid").i32("prev_prio")
                                .i64("prev_state").textArray("next_comm", 16).i32("next_tid")))
                .build();
        StreamClass sc = tc.streamClass(0);
        try (CtfWriter writer = CtfWriter.builder(dir, tc).packetSize(4096).build()) {
            StreamWriter w = writer.openStream(sc, 0);
            io.tracestream.ctf.meta.EventClass ec = sc.eventClasses().iterator().next();
            for (int i = 0; i < 3; i++) {
                w.beginEvent(ec, KernelTraceWriter.S + i).string("a").i32(1).i32(20).i64(0).string("b").i32(2).end();
            }
        }
        RuntimeException one = assertThrows(RuntimeException.class, () -> lami(dir, AnalysisConfig.defaults(), 1));
        RuntimeException two = assertThrows(RuntimeException.class, () -> lami(dir, AnalysisConfig.defaults(), 2));
        assertEquals(one.getClass(), two.getClass());
        assertEquals(one.getMessage(), two.getMessage());
        assertTrue(one.getMessage().contains("next_prio"), one.getMessage());
    }

    /** DurationStats' 128-bit primitive sums against BigInteger, with durations up to the long range. */
    @Test
    void durationStatsSumsAreExact() {
        Random r = new Random(42);
        for (int round = 0; round < 200; round++) {
            DurationStats a = new DurationStats();
            DurationStats b = new DurationStats();
            BigInteger total = BigInteger.ZERO;
            BigInteger squares = BigInteger.ZERO;
            int n = 1 + r.nextInt(50);
            for (int i = 0; i < n; i++) {
                long d = switch (r.nextInt(4)) {
                    case 0 -> r.nextLong();
                    case 1 -> r.nextBoolean() ? Long.MAX_VALUE : Long.MIN_VALUE + 1;
                    case 2 -> r.nextInt(1_000_000);
                    default -> -r.nextInt(1000);
                };
                (i % 2 == 0 ? a : b).add(d);
                total = total.add(BigInteger.valueOf(d));
                squares = squares.add(BigInteger.valueOf(d).multiply(BigInteger.valueOf(d)));
            }
            DurationStats m = a.merge(b);
            assertEquals(total, m.total());
            assertEquals(squares, m.sumSquares());
            assertEquals(n, m.count());
        }
    }
}
