package io.tracestream.bench;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.FullDecode;
import io.tracestream.ctf.meta.Scope;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding every field of every event, single-threaded: what {@code tracestream print -o dummy} does (open the
 * traces, merge the streams in time order, decode the header, both contexts and the payload of each event).
 *
 * <ul>
 *   <li>{@link #decodeTrace}: one whole pass over the trace, opening included; its {@code :events} secondary
 *       metric is the decoding speed in events per second.</li>
 *   <li>{@link #walkTrace}: the same pass, also delivering every field to a visitor.</li>
 *   <li>{@link #decodeEvent}: one event per operation (ns/op), for the allocation check:
 *       {@code -prof gc} shows {@code gc.alloc.rate.norm} in bytes per event. The {@code numeric} mix (no text)
 *       must show ~0 B/op; with the {@code kernel} mix the figure is the Java strings made for text fields.</li>
 * </ul>
 * Parameters: {@code mix} (kernel, numeric), {@code events} (generated trace size) and {@code trace} (a recorded
 * trace to read instead, e.g. {@code -p trace=/path/to/lttng/session}).
 */
@State(org.openjdk.jmh.annotations.Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class DecodeBenchmark {

    /** Event mix of the generated trace ({@link BenchTraces.Mix}). */
    @Param({"kernel", "numeric"})
    public String mix;

    /** Size of the generated trace, in events. */
    @Param({"1000000"})
    public long events;

    /** A recorded trace to read instead of a generated one ({@code generated}: write one). */
    @Param({"generated"})
    public String trace;

    private BenchTrace input;
    private ReadOptions options;
    private BlackholeVisitor visitor;

    // decodeEvent's open cursor, reopened at the end of the trace
    private TraceSet openSet;
    private MessageCursor openCursor;

    @Setup(Level.Trial)
    public void setUp(Blackhole bh) {
        input = BenchTrace.open(trace, events, mix);
        options = ReadOptions.defaults().listener(new TraceListener() { });
        visitor = new BlackholeVisitor(bh);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        closeCursor();
        input.close();
    }

    /**
     * One pass over the whole trace, exactly as {@code tracestream print -o dummy TRACE}: every field of every
     * event decoded into its record ({@link FullDecode}), nothing delivered.
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long decodeTrace(EventCounter counter, Blackhole bh) {
        long n = 0;
        try (TraceSet ts = TraceSet.open(options, input.path); MessageCursor c = ts.messages()) {
            while (c.next()) {
                bh.consume(c.timeNanos());
                if (c.type() == MessageType.EVENT) {
                    FullDecode.decode(c.event());
                    n++;
                }
            }
        }
        counter.events += n;
        return n;
    }

    /**
     * One pass over the whole trace delivering every field of every event to a visitor (what a consumer of the
     * {@link EventRecord#accept} API pays on top of {@link #decodeTrace}).
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long walkTrace(EventCounter counter, Blackhole bh) {
        long n = 0;
        try (TraceSet ts = TraceSet.open(options, input.path); MessageCursor c = ts.messages()) {
            while (c.next()) {
                bh.consume(c.timeNanos());
                if (c.type() == MessageType.EVENT) {
                    visit(c.event());
                    n++;
                }
            }
        }
        counter.events += n;
        return n;
    }

    /** Decodes the next event (every field); at the end of the trace it starts over. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public long decodeEvent() {
        MessageCursor c = openCursor;
        while (true) {
            if (c == null || !c.next()) {
                closeCursor();
                openSet = TraceSet.open(options, input.path);
                openCursor = c = openSet.messages();
                continue;
            }
            if (c.type() == MessageType.EVENT) {
                EventRecord e = c.event();
                visit(e);
                return e.timestamp();
            }
        }
    }

    private void visit(EventRecord e) {
        e.accept(Scope.EVENT_HEADER, visitor);
        e.accept(Scope.EVENT_COMMON_CONTEXT, visitor);
        e.accept(Scope.EVENT_SPECIFIC_CONTEXT, visitor);
        e.accept(Scope.EVENT_PAYLOAD, visitor);
    }

    private void closeCursor() {
        if (openCursor != null) {
            openCursor.close();
            openCursor = null;
        }
        if (openSet != null) {
            openSet.close();
            openSet = null;
        }
    }
}
