package io.tracestream.ctf.robust;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.decode.TraceDecoder;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.tsdl.MetadataReader;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deterministic mutation fuzzing of metadata text (TSDL and CTF 2 JSON): characters and ranges deleted, duplicated
 * or replaced by tokens, huge numbers, deep nesting. Parsing (and, when it succeeds, compiling the decoder and,
 * for the sample trace, decoding its data with the mutated metadata) must succeed or throw a one-line
 * {@link CtfException} that starts with the metadata (or a stream) file; never another exception, never a hang.
 */
class MetadataFuzzTest {
    static final long SEED = 0x3e7a_da7aL;
    static final int SAMPLE_CASES = 400;
    static final int PACKETIZED_CASES = 400;
    static final int CORPUS_CASES = 1500;
    static final long CASE_TIMEOUT_MS = 5_000;
    static final long BUDGET_MS = 15_000;

    private static final String[] TOKENS = {"{", "}", "[", "]", "(", ")", ";", ":", ":=", "=", ",", "<", ">", ".",
        "...", "\"", "'", "\0", "\n", "/*", "*/", "//", "-", "+", "struct", "variant", "enum", "typealias",
        "typedef", "integer", "floating_point", "string", "event", "stream", "trace", "clock", "env", "align(",
        "size = ", "align = ", "signed = true", "byte_order = be", "map = clock.monotonic.value",
        "99999999999999999999999", "0xffffffffffffffff", "-9223372036854775808", "18446744073709551616",
        "4294967296", "0", "1e400", "0x", "077777777777777777777777", "stream.packet.context.packet_size",
        "event.fields.len", "\"type\": ", "\"length\": ", "\"alignment\": 4294967296", "null", "true", "[[[[",
        "]]]]", "{\"type\": \"fixed-length-unsigned-integer\", \"length\": 64, \"byte-order\": \"little-endian\"}",
        "\u001e", "\\u0000", "\\ud800", "\u00e9", "\uFFFF"};

    @TempDir
    Path tmp;

    record Seed(String name, byte[] bytes) {
    }

    @Test
    void mutatedMetadataFailsCleanly() throws Exception {
        Path sample = BrokenTraces.copySample(tmp.resolve("sample"));
        Path sampleMetadata = sample.resolve("metadata");
        byte[] sampleBytes = BrokenTraces.read(sampleMetadata);
        // the text of the (packetized) sample metadata, fuzzed as plain TSDL
        byte[] sampleText = MetadataReader.read(sampleMetadata).text().getBytes(StandardCharsets.UTF_8);

        List<Seed> corpus = new ArrayList<>();
        corpus.add(new Seed("tiny", BrokenTraces.TINY_METADATA.getBytes(StandardCharsets.UTF_8)));
        if (SharedTraces.isAvailable()) {
            for (String dir : List.of("yactfr/metadata-text/ctf-1", "yactfr/metadata-text/ctf-2")) {
                Path d = SharedTraces.traces().resolve(dir);
                if (!Files.isDirectory(d)) {
                    continue;
                }
                try (Stream<Path> s = Files.list(d)) {
                    for (Path p : s.filter(p -> p.getFileName().toString().startsWith("pass-")).sorted().toList()) {
                        corpus.add(new Seed(dir + "/" + p.getFileName(), Files.readAllBytes(p)));
                    }
                }
            }
        }

        List<String> findings = new ArrayList<>();
        Map<String, Boolean> distinct = new LinkedHashMap<>();
        ExecutorService exec = newExecutor();
        long start = System.nanoTime();
        int run = 0;
        try {
            // 1. the sample trace's metadata, then its data decoded with it
            for (int i = 0; i < SAMPLE_CASES && elapsed(start) < BUDGET_MS / 2; i++) {
                long seed = SEED + i;
                StringBuilder what = new StringBuilder();
                byte[] m = mutate(sampleText, new Random(seed), what);
                BrokenTraces.write(sampleMetadata, m);
                String problem = check(exec, sample, () -> {
                    MutationFuzzTest.decodeEverything(sample, ReadOptions.defaults().listener(TraceListener.SILENT));
                });
                run++;
                if (problem != null) {
                    record(findings, distinct, "sample-ust metadata, seed " + seed + ", " + what, problem);
                    if (problem.startsWith("no result")) {
                        exec.shutdownNow();
                        exec = newExecutor();
                    }
                }
            }
            // 2. the packetized (binary) form of the sample metadata, mutated as bytes
            for (int i = 0; i < PACKETIZED_CASES && elapsed(start) < BUDGET_MS / 2; i++) {
                long seed = SEED * 3 + i;
                StringBuilder what = new StringBuilder();
                byte[] m = Mutator.mutate(sampleBytes, new Random(seed), what);
                String problem = check(exec, sample, () -> MetadataReader.parse(m, sampleMetadata));
                run++;
                if (problem != null) {
                    record(findings, distinct, "sample-ust packetized metadata, seed " + seed + ", " + what,
                            problem);
                    if (problem.startsWith("no result")) {
                        exec.shutdownNow();
                        exec = newExecutor();
                    }
                }
            }
            BrokenTraces.write(sampleMetadata, sampleBytes);
            // 3. the corpus: parse and compile only
            Path file = tmp.resolve("corpus/metadata");
            Files.createDirectories(file.getParent());
            for (int i = 0; i < CORPUS_CASES && elapsed(start) < BUDGET_MS; i++) {
                long seed = SEED * 7 + i;
                Random rnd = new Random(seed);
                Seed s = corpus.get(rnd.nextInt(corpus.size()));
                StringBuilder what = new StringBuilder();
                byte[] m = mutate(s.bytes(), rnd, what);
                String problem = check(exec, file.getParent(), () -> {
                    TraceClass tc = MetadataReader.parse(m, file).traceClass();
                    TraceDecoder.compile(tc);
                });
                run++;
                if (problem != null) {
                    record(findings, distinct, s.name() + ", seed " + seed + ", " + what, problem);
                    if (problem.startsWith("no result")) {
                        exec.shutdownNow();
                        exec = newExecutor();
                    }
                }
            }
        } finally {
            exec.shutdownNow();
        }
        System.out.println("MetadataFuzzTest: " + run + " mutated metadata in " + elapsed(start) + " ms, "
                + findings.size() + " broke the contract");
        assertTrue(run >= 300, "too few cases within the budget: " + run);
        if (!findings.isEmpty()) {
            fail(findings.size() + " of " + run + " cases broke the contract; distinct problems:\n"
                    + String.join("\n", distinct.keySet().stream().map(k -> firstCase(findings, k)).toList()));
        }
    }

    private static String firstCase(List<String> findings, String key) {
        for (String f : findings) {
            if (key(f.substring(f.indexOf('\n') + 1)).equals(key)) {
                return "- " + f.replace("\n", "\n  ");
            }
        }
        return key;
    }

    private static void record(List<String> findings, Map<String, Boolean> distinct, String what, String problem) {
        findings.add(what + "\n" + problem);
        distinct.putIfAbsent(key(problem), true);
    }

    /** The first line of a problem with paths and numbers blurred, to group findings. */
    private static String key(String problem) {
        String first = problem.lines().findFirst().orElse("");
        if (first.startsWith("CtfException")) {
            return first.replaceAll(":.*", "");
        }
        return first.replaceAll("/\\S*/", "/").replaceAll("\\d+", "#").replaceAll("`[^`]*`", "`x`");
    }

    private static long elapsed(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static ExecutorService newExecutor() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metadata-fuzz-case");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs a case with the timeout; null when the contract held, else what went wrong. */
    static String check(ExecutorService exec, Path dir, Runnable body) throws InterruptedException {
        Future<?> f = exec.submit(body);
        try {
            f.get(CASE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            f.cancel(true);
            return "no result within " + CASE_TIMEOUT_MS + " ms (hang?)";
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof CtfException ce) {
                String msg = ce.getMessage();
                if (msg == null || msg.contains("\n") || msg.contains("\r")) {
                    return "CtfException message is not one line: " + msg;
                }
                if (!msg.startsWith(dir.toString())) {
                    return "CtfException message does not start with a file of the trace: " + msg;
                }
                return null;
            }
            StringBuilder sb = new StringBuilder(String.valueOf(c));
            StackTraceElement[] st = c.getStackTrace();
            for (int i = 0; i < Math.min(5, st.length); i++) {
                sb.append("\nat ").append(st[i]);
            }
            return sb.toString();
        }
    }

    /** A mutated copy of metadata text. */
    static byte[] mutate(byte[] b, Random rnd, StringBuilder what) {
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int n = s.length();
        if (n == 0) {
            return b;
        }
        int rounds = 1 + (rnd.nextInt(4) == 0 ? rnd.nextInt(4) : 0);
        for (int r = 0; r < rounds; r++) {
            n = s.length();
            if (n == 0) {
                break;
            }
            int at = rnd.nextInt(n);
            switch (rnd.nextInt(7)) {
                case 0 -> {
                    int len = 1 + rnd.nextInt(Math.min(n - at, 24));
                    what.append("delete [").append(at).append(", +").append(len).append(") ");
                    s = s.substring(0, at) + s.substring(at + len);
                }
                case 1 -> {
                    int len = 1 + rnd.nextInt(Math.min(n - at, 200));
                    int to = rnd.nextInt(n + 1);
                    what.append("copy [").append(at).append(", +").append(len).append(") to ").append(to)
                            .append(' ');
                    s = s.substring(0, to) + s.substring(at, at + len) + s.substring(to);
                }
                case 2, 3 -> {
                    String t = TOKENS[rnd.nextInt(TOKENS.length)];
                    boolean replace = rnd.nextBoolean();
                    int len = replace ? 1 + rnd.nextInt(Math.min(n - at, 8)) : 0;
                    what.append(replace ? "replace [" + at + ", +" + len + ") with " : "insert at " + at + " ")
                            .append(printable(t)).append(' ');
                    s = s.substring(0, at) + t + s.substring(at + len);
                }
                case 4 -> {
                    // replace a number with an extreme one
                    int d = at;
                    while (d < n && !Character.isDigit(s.charAt(d))) {
                        d++;
                    }
                    int e = d;
                    while (e < n && Character.isLetterOrDigit(s.charAt(e))) {
                        e++;
                    }
                    String t = TOKENS[43 + rnd.nextInt(9)];
                    what.append("number at ").append(d).append(" -> ").append(t).append(' ');
                    s = s.substring(0, d) + t + s.substring(e);
                }
                case 5 -> {
                    what.append("truncate to ").append(at).append(' ');
                    s = s.substring(0, at);
                }
                default -> {
                    char c = (char) rnd.nextInt(256);
                    what.append("byte at ").append(at).append(" -> ").append((int) c).append(' ');
                    s = s.substring(0, at) + c + s.substring(at + 1);
                }
            }
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String printable(String t) {
        StringBuilder sb = new StringBuilder("'");
        for (char c : t.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return sb.append('\'').toString();
    }
}
