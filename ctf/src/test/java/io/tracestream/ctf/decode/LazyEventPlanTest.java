package io.tracestream.ctf.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.MessageType;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.io.FsDataStream;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.StreamWriter;
import io.tracestream.ctf.write.TraceSchema;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decoding plan of an event class is compiled when an event of it is first decoded (a kernel trace declares
 * hundreds of classes and uses few), also when cursors on several threads meet a class at once.
 */
class LazyEventPlanTest {
    private static final int CLASSES = 300;
    private static final int[] USED = {7, 150, 299};

    private static TraceClass schema() {
        return TraceSchema.builder().env("hostname", "box")
                .clock("monotonic", 1_000_000_000L, 1_000, 0, true)
                .stream("channel0", s -> {
                    for (int i = 0; i < CLASSES; i++) {
                        s.event("ev" + i, e -> e.u32("seq").u8("k").sequence("vals", e.uintType(64), "k")
                                .string("text"));
                    }
                })
                .build();
    }

    /** Writes events of the {@link #USED} classes on two streams; returns the expected lines of each stream. */
    private static List<List<String>> write(Path dir, TraceClass tc) {
        StreamClass sc = tc.streamClass(0);
        List<EventClass> classes = new ArrayList<>(sc.eventClasses());
        List<List<String>> expected = new ArrayList<>();
        try (CtfWriter w = CtfWriter.builder(dir, tc).packetSize(4096).build()) {
            for (int cpu = 0; cpu < 2; cpu++) {
                StreamWriter s = w.openStream(sc, cpu);
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < 500; i++) {
                    int c = USED[(i + cpu) % USED.length];
                    int k = i % 4;
                    var b = s.beginEvent(classes.get(c), 1_000_000L + i * 10L + cpu).u32(i).u8(k);
                    for (int j = 0; j < k; j++) {
                        b.u64(i * 100L + j);
                    }
                    b.string("t" + i).end();
                    lines.add("ev" + c + " " + i + " " + k + " t" + i);
                }
                expected.add(lines);
            }
        }
        return expected;
    }

    private static List<String> read(MessageCursor c) {
        List<String> out = new ArrayList<>();
        try (c) {
            while (c.next()) {
                if (c.type() == MessageType.EVENT) {
                    EventRecord e = c.event();
                    out.add(e.name() + " " + e.getLong("seq") + " " + e.getLong("k") + " " + e.getString("text"));
                }
            }
        }
        return out;
    }

    @Test
    void onlyTheClassesOfDecodedEventsAreCompiled(@TempDir Path dir) {
        TraceClass tc = schema();
        List<List<String>> expected = write(dir, tc);
        try (TraceSet set = TraceSet.open(dir)) {
            List<DataStream> streams = set.traces().get(0).streams();
            TraceDecoder dec = TraceDecoder.compile(set.traces().get(0).traceClass());
            assertEquals(0, dec.streamPlan(0).compiledEventPlans());
            for (int i = 0; i < streams.size(); i++) {
                FsDataStream s = (FsDataStream) streams.get(i);
                assertEquals(expected.get((int) s.instanceId()), read(dec.openStream(s, s.packets())));
            }
            assertEquals(USED.length, dec.streamPlan(0).compiledEventPlans());
        }
    }

    @Test
    void cursorsOnSeveralThreadsShareOneDecoder(@TempDir Path dir) throws Exception {
        TraceClass tc = schema();
        List<List<String>> expected = write(dir, tc);
        for (int round = 0; round < 5; round++) {
            try (TraceSet set = TraceSet.open(dir)) {
                List<DataStream> streams = set.traces().get(0).streams();
                TraceDecoder dec = TraceDecoder.compile(set.traces().get(0).traceClass());
                int threads = 4;
                CyclicBarrier start = new CyclicBarrier(threads);
                List<List<String>> got = new ArrayList<>();
                List<Thread> ts = new ArrayList<>();
                Throwable[] failure = new Throwable[1];
                for (int t = 0; t < threads; t++) {
                    FsDataStream s = (FsDataStream) streams.get(t % streams.size());
                    List<String> out = new ArrayList<>();
                    got.add(out);
                    Thread th = new Thread(() -> {
                        try {
                            start.await();
                            out.addAll(read(dec.openStream(s, s.packets())));
                            out.add(0, Long.toString(s.instanceId()));
                        } catch (Throwable e) {
                            synchronized (failure) {
                                failure[0] = e;
                            }
                        }
                    });
                    ts.add(th);
                    th.start();
                }
                for (Thread th : ts) {
                    th.join();
                }
                if (failure[0] != null) {
                    throw new AssertionError(failure[0]);
                }
                for (List<String> out : got) {
                    int id = Integer.parseInt(out.get(0));
                    assertEquals(expected.get(id), out.subList(1, out.size()));
                }
                assertEquals(USED.length, dec.streamPlan(0).compiledEventPlans());
            }
        }
    }
}
