package io.tracestream.ctf.decode;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A quick decoder throughput check (not a unit test): decodes every event of a trace's stream files, all fields,
 * several times, and prints events per second.
 *
 * <pre>
 * java -cp ctf/target/classes:ctf/target/test-classes io.tracestream.ctf.decode.DecodeBenchmark [TRACE_DIR] [ROUNDS] [all]
 * </pre>
 * Without a trace directory, a synthetic LTTng-UST-shaped trace of 5 M small events is written to a temporary
 * folder first.
 */
public final class DecodeBenchmark {
    private DecodeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir;
        if (args.length > 0) {
            dir = Path.of(args[0]);
        } else {
            dir = Files.createTempDirectory("tracestream-bench");
            long n = SyntheticUstTrace.write(dir, 5_000_000);
            System.out.println("wrote " + n + " events to " + dir);
        }
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        // "all": decode every field of every event (materialize lazily decoded bodies) as babeltrace2 -o dummy does.
        boolean all = args.length > 2 && args[2].equals("all");
        // "walk": also walk every payload with a (no-op) FieldVisitor, as a formatter does.
        boolean walk = args.length > 2 && args[2].equals("walk");
        io.tracestream.ctf.FieldVisitor noop = new io.tracestream.ctf.FieldVisitor() { };
        TraceClass tc = MetadataReader.read(dir.resolve("metadata")).traceClass();
        TraceDecoder dec = TraceDecoder.compile(tc);
        List<Path> files;
        try (var s = Files.list(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("metadata"))
                    .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        }
        long bytes = 0;
        for (Path f : files) {
            bytes += Files.size(f);
        }
        for (int r = 0; r < rounds; r++) {
            java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
            long c0 = mx.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            long events = 0;
            long sum = 0;
            for (Path f : files) {
                List<PacketIndexEntry> packets = dec.scanPackets(f);
                TestStream ts = new TestStream(tc.streamClass(packets.get(0).streamClassId()), f);
                try (MessageCursor c = dec.openStream(ts, packets)) {
                    while (c.next()) {
                        if (c.type() == MessageType.EVENT) {
                            EventRecord e = c.event();
                            sum += e.cycles();
                            if (all) {
                                ((EventImpl) e).materialize();
                            } else if (walk) {
                                e.accept(io.tracestream.ctf.meta.Scope.EVENT_PAYLOAD, noop);
                            }
                            events++;
                        }
                    }
                }
            }
            long dt = System.nanoTime() - t0;
            long cpu = mx.getCurrentThreadCpuTime() - c0;
            System.out.printf("round %d: %,d events in %.3f s: %,.0f events/s, %.0f MB/s; per CPU second: %,.0f "
                    + "events/s (checksum %x)%n", r, events, dt / 1e9, events * 1e9 / dt, bytes * 1e3 / dt,
                    events * 1e9 / cpu, sum);
        }
    }
}
