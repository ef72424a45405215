package io.tracestream.bench;

import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The babeltrace2-identical text output, {@code tracestream print TRACE}, written to a null stream: one whole pass
 * per operation, decoding and formatting included; the {@code :events} secondary metric is in events per second.
 * Parameters as for {@link DecodeBenchmark}.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PrettyPrintBenchmark {

    /** Event mix of the generated trace ({@link BenchTraces.Mix}). */
    @Param({"kernel"})
    public String mix;

    /** Size of the generated trace, in events. */
    @Param({"1000000"})
    public long events;

    /** A recorded trace to read instead of a generated one ({@code generated}: write one). */
    @Param({"generated"})
    public String trace;

    private BenchTrace input;
    private ReadOptions options;

    @Setup(Level.Trial)
    public void setUp() {
        input = BenchTrace.open(trace, events, mix);
        options = ReadOptions.defaults().listener(new TraceListener() { });
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        input.close();
    }

    /** One pass: every message of the trace printed as babeltrace2 prints it, into a null stream. */
    @Benchmark
    public long printTrace(EventCounter counter) {
        PrettyPrinter printer = new PrettyPrinter(new PrettyOptions().zone(ZoneOffset.UTC).color(false),
                OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        long n = 0;
        try (TraceSet ts = TraceSet.open(options, input.path); MessageCursor c = ts.messages()) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT) {
                    n++;
                }
                printer.message(c);
            }
        }
        printer.flush();
        counter.events += n;
        return n;
    }
}
