package io.tracestream.bench;

import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.meta.tsdl.TsdlParser;
import io.tracestream.ctf.write.CtfWriter;
import io.tracestream.ctf.write.TraceSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

/**
 * Parsing a large TSDL metadata text into a trace class (lexing, parsing, type resolution, validation), as done when
 * a trace is opened. The text is read (and unpacketized) once in the set-up; one operation is one full parse.
 *
 * <p>Parameter {@code metadata}: a metadata file or trace folder. The default is the LTTng 2.x kernel trace
 * {@code tracecompass/bug446190} of the shared test traces (356 KB of packetized TSDL, hundreds of event classes) when
 * they are there; {@code generated} (or an absent default) writes a TSDL text of 2,000 event classes with the
 * project's writer.
 */
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TsdlParseBenchmark {

    /** The shared kernel trace used by default, relative to the {@code tracestream.shared} folder. */
    static final String DEFAULT_TRACE = "traces/tracecompass/bug446190";

    /** A metadata file or trace folder; {@code default} or {@code generated}. */
    @Param({"default"})
    public String metadata;

    private String text;
    private Path file;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Path p = null;
        if (metadata.equals("default")) {
            String shared = System.getProperty("tracestream.shared", System.getenv("TRACESTREAM_SHARED"));
            if (shared == null || shared.isBlank()) {
                shared = "../shared";
            }
            Path d = Path.of(shared).resolve(DEFAULT_TRACE);
            if (Files.isRegularFile(d.resolve("metadata"))) {
                p = d;
            }
        } else if (!metadata.equals("generated")) {
            p = Path.of(metadata);
        }
        if (p == null) {
            Path tmp = Files.createTempDirectory("tracestream-bench-tsdl-");
            try {
                generate(tmp.resolve("trace"), 2000);
                p = tmp.resolve("trace");
                text = MetadataReader.read(p.resolve("metadata")).text();
            } finally {
                delete(tmp);
            }
        } else {
            text = MetadataReader.read(Files.isDirectory(p) ? p.resolve("metadata") : p).text();
        }
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            text = text.substring(0, nul);
        }
        file = Files.isDirectory(p) ? p.resolve("metadata") : p;
        System.out.println("\nTSDL metadata: " + file + ", " + text.length() + " characters");
    }

    /** One parse of the whole metadata text. */
    @Benchmark
    public TraceClass parse() {
        return TsdlParser.parse(text, file);
    }

    /** A metadata of {@code n} event classes of assorted shapes (integers, enumerations, strings, sequences). */
    private static void generate(Path dir, int n) {
        TraceClass tc = TraceSchema.builder().clock("monotonic", 1_000_000_000L)
                .stream("channel0", s -> {
                    s.header(TraceSchema.Header.COMPACT);
                    for (int i = 0; i < n; i++) {
                        String name = "subsys" + (i % 40) + "_event" + i;
                        switch (i % 4) {
                            case 0 -> s.event(name, e -> e.i32("fd").u64("count").hex64("addr").string("path"));
                            case 1 -> s.event(name, e -> e.textArray("comm", 16).i32("tid").i32("prio")
                                    .enumeration("state", 8, false, TraceSchema.mapping("RUNNING", 0, 0),
                                            TraceSchema.mapping("SLEEPING", 1, 1),
                                            TraceSchema.mapping("OTHER", 2, 255)));
                            case 2 -> s.event(name, e -> e.u32("n").sequence("args", e.uintType(64), "n")
                                    .f64("ratio"));
                            default -> s.event(name, e -> e.struct("pos", p -> p.i32("x").i32("y")).u16("flags")
                                    .array("regs", e.uintType(64), 6));
                        }
                    }
                })
                .build();
        CtfWriter.create(dir, tc).close();
    }

    private static void delete(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
