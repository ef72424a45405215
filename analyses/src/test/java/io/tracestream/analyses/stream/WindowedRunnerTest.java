package io.tracestream.analyses.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.ResultTable;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Discarded;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.Packet;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The windowed runner against the batch engine ({@code tracestream analyze --window}) on real kernel traces: every
 * window's tables equal the batch window's, and memory does not grow with the number of windows.
 */
class WindowedRunnerTest {
    static final List<String> NAMES = List.of("cputop", "schedstats", "syscallstats", "irqstats", "iousagetop",
            "iolatencystats", "memtop", "threadstates");

    static List<Analysis> analyses() {
        return NAMES.stream().map(Analyses::byName).toList();
    }

    /** The batch configuration the runner's windows must equal: no stream intersection (a stream has none). */
    static AnalysisConfig config(long window) {
        return AnalysisConfig.defaults().withWindow(window).withTop(0).withIntersection(false);
    }

    static List<AnalysisResult> batch(Path trace, AnalysisConfig runnerConfig) {
        return new LocalEngine().run(List.of(trace), analyses(), runnerConfig);
    }

    /** Feeds a whole trace, message by message, to a runner. */
    static List<WindowResult> stream(Path trace, long window) {
        List<WindowResult> out = new ArrayList<>();
        WindowedRunner r = new WindowedRunner(analyses(), config(window), out::add);
        try (TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(false), List.of(trace));
                MessageCursor c = set.messages()) {
            while (c.next()) {
                r.message(c);
            }
        }
        r.finish();
        return out;
    }

    /** Asserts each window equals the batch result's period of the same index, table by table, cell by cell. */
    static void assertSameWindows(List<AnalysisResult> batch, List<WindowResult> windows, int count) {
        int periods = batch.get(0).periods().size();
        assertTrue(periods > 3, "several windows: " + periods);
        assertEquals(count < 0 ? periods : count, windows.size());
        for (int w = 0; w < windows.size(); w++) {
            WindowResult wr = windows.get(w);
            assertEquals(w, wr.index());
            for (int i = 0; i < batch.size(); i++) {
                AnalysisResult.Period bp = batch.get(i).periods().get(w);
                AnalysisResult.Period sp = wr.results().get(i).periods().get(0);
                String where = NAMES.get(i) + " window " + w;
                assertEquals(bp.begin(), sp.begin(), where);
                assertEquals(bp.end(), sp.end(), where);
                assertEquals(bp.begin(), wr.begin(), where);
                assertEquals(bp.tables().size(), sp.tables().size(), where);
                for (int t = 0; t < bp.tables().size(); t++) {
                    ResultTable a = bp.tables().get(t);
                    ResultTable b = sp.tables().get(t);
                    assertEquals(a.fullTitle(), b.fullTitle(), where);
                    assertEquals(a.rows(), b.rows(), where + " " + a.fullTitle());
                }
            }
        }
    }

    @Test
    void sameAsBatchWindowsOnSampleKernelTrace() {
        Path trace = SampleTraces.path("sample-kernel/kernel");
        long window = 20_000_000L;
        List<WindowResult> windows = stream(trace, window);
        WindowedRunner r = new WindowedRunner(analyses(), config(window), w -> { });
        List<AnalysisResult> batch = batch(trace, r.config());
        assertSameWindows(batch, windows, -1);
        assertTrue(windows.get(windows.size() - 1).partial());
        assertFalse(windows.get(0).partial());
        long events = windows.stream().mapToLong(WindowResult::events).sum();
        assertEquals(44_633, events, "every event of the trace in one window");
        // the metrics of a busy window: latencies, rates, usage
        WindowMetrics m = windows.get(1).metrics();
        for (Metric k : List.of(Metric.CPU_USAGE, Metric.SCHED_LATENCY_P99, Metric.SYSCALL_LATENCY_P50,
                Metric.SYSCALL_RATE, Metric.IRQ_RATE, Metric.EVENTS_RATE)) {
            assertTrue(m.values().containsKey(k.key()), k.key() + " in " + m.values());
        }
        assertTrue(m.get(Metric.SYSCALL_LATENCY_P50) <= m.get(Metric.SYSCALL_LATENCY_P90));
        assertTrue(m.get(Metric.SYSCALL_LATENCY_P90) <= m.get(Metric.SYSCALL_LATENCY_P99));
        assertTrue(m.get(Metric.SYSCALL_LATENCY_P99) <= m.get(Metric.SYSCALL_LATENCY_MAX) * 1.0625);
        assertFalse(m.ranked(WindowMetrics.THREAD_CPU).isEmpty());
    }

    @Test
    void sameAsBatchWindowsOnManyThreads() {
        Path trace = SharedTraces.path("tracecompass/many-threads"); // skips when ../shared is absent
        assertSameWindows(batch(trace, new WindowedRunner(analyses(), config(50_000_000L), w -> { }).config()),
                stream(trace, 50_000_000L), -1);
    }

    /**
     * Replays the sample trace {@code times} times, each replay shifted by a whole number of windows (so that every
     * replay ends at the same place in its window), through a runner; returns the serialized size of its state.
     */
    private static long stateBytesAfter(int times, List<WindowResult> out) throws IOException {
        Path trace = SampleTraces.path("sample-kernel/kernel");
        long window = 10_000_000L;
        long[] range = eventRange(trace);
        long period = ((range[1] - range[0]) / window + 2) * window;
        WindowedRunner r = new WindowedRunner(analyses(), config(window), out::add);
        for (int k = 0; k < times; k++) {
            try (TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(false), List.of(trace));
                    MessageCursor c = new Shifted(set.messages(), k * period)) {
                while (c.next()) {
                    r.message(c);
                }
            }
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(r.task());
        }
        return bytes.size();
    }

    /** The first and last event times of a trace. */
    private static long[] eventRange(Path trace) {
        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        try (TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(false), List.of(trace));
                MessageCursor c = set.messages()) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT) {
                    range[0] = Math.min(range[0], c.timeNanos());
                    range[1] = Math.max(range[1], c.timeNanos());
                }
            }
        }
        return range;
    }

    @Test
    void memoryDoesNotGrowWithTheNumberOfWindows() throws IOException {
        List<WindowResult> few = new ArrayList<>();
        List<WindowResult> many = new ArrayList<>();
        long small = stateBytesAfter(2, few);
        long large = stateBytesAfter(6, many);
        assertTrue(many.size() > 2.5 * few.size(), few.size() + " then " + many.size() + " windows");
        assertTrue(large <= small * 1.02 + 1024, "state after " + few.size() + " windows: " + small + " bytes, after "
                + many.size() + ": " + large + " bytes");
    }

    /** A cursor whose times are shifted (a replay of a trace later in time). */
    private record Shifted(MessageCursor c, long shift) implements MessageCursor {
        @Override
        public boolean next() {
            return c.next();
        }

        @Override
        public MessageType type() {
            return c.type();
        }

        @Override
        public DataStream stream() {
            return c.stream();
        }

        @Override
        public Packet packet() {
            return c.packet();
        }

        @Override
        public EventRecord event() {
            return c.event();
        }

        @Override
        public Discarded discarded() {
            return c.discarded();
        }

        @Override
        public long timeNanos() {
            return c.timeNanos() + shift;
        }

        @Override
        public long timeCycles() {
            return c.timeCycles();
        }

        @Override
        public void close() {
            c.close();
        }
    }
}
