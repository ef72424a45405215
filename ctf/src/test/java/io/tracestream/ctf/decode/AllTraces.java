package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.testing.SampleTraces;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Every CTF trace available to the tests: the shared traces and the project's sample traces. */
final class AllTraces {
    private AllTraces() {
    }

    /** A trace directory, its parsed metadata (or the parse error) and its stream files. */
    record TraceDir(Path dir, TraceClass traceClass, CtfException metadataError, List<Path> streams) {
    }

    static List<TraceDir> find() {
        List<Path> roots = new ArrayList<>();
        if (SharedTraces.isAvailable()) {
            roots.add(SharedTraces.traces());
        }
        Path testdata = SampleTraces.projectRoot().resolve("testdata");
        if (Files.isDirectory(testdata)) {
            roots.add(testdata);
        }
        List<TraceDir> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Path root : roots) {
            try (Stream<Path> s = Files.walk(root, 12)) {
                for (Path meta : s.filter(p -> p.getFileName().toString().equals("metadata")
                        && Files.isRegularFile(p) && !p.toString().contains("/yactfr/")).sorted().toList()) {
                    // The shared traces hold several copies of babeltrace2's test traces: read each once.
                    StringBuilder id = new StringBuilder(Long.toHexString(
                            java.util.Arrays.hashCode(Files.readAllBytes(meta))));
                    try (Stream<Path> fs = Files.list(meta.getParent())) {
                        for (Path f : fs.sorted().toList()) {
                            id.append(' ').append(f.getFileName()).append('=').append(Files.size(f));
                        }
                    }
                    if (seen.add(id.toString())) {
                        out.add(load(meta.getParent()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static TraceDir load(Path dir) throws IOException {
        TraceClass tc = null;
        CtfException err = null;
        try {
            tc = MetadataReader.read(dir.resolve("metadata")).traceClass();
        } catch (CtfException e) {
            err = e;
        } catch (RuntimeException e) {
            err = new CtfException("metadata parser crashed: " + e, e);
        }
        List<Path> streams;
        try (Stream<Path> s = Files.list(dir)) {
            streams = s.filter(Files::isRegularFile)
                    .filter(p -> !p.getFileName().toString().equals("metadata"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(p -> !p.getFileName().toString().endsWith(".expect"))
                    .filter(p -> !p.getFileName().toString().endsWith(".txt"))
                    .sorted().toList();
        }
        return new TraceDir(dir, tc, err, streams);
    }
}
