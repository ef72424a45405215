package io.tracestream.ctf.robust;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The seeded mutations of {@link MutationFuzzTest}: bit flips, random bytes, interesting values (sizes, lengths,
 * all-ones) over aligned fields near packet starts, truncation, duplicated, deleted and inserted ranges, zeroed or
 * 0xff-filled ranges. {@link #apply(Path, long)} replays one fuzzing case from its seed, for regression tests.
 */
public final class Mutator {
    private Mutator() {
    }

    /**
     * Mutates one data stream file of the trace directory {@code dir} in place, exactly as the fuzzing case with
     * this seed did: the file is the seed's first pick among {@link BrokenTraces#streamFiles}.
     *
     * @return what was done, e.g. {@code chan0_0: flip 2 bits at 4100.3 4107.0}
     */
    public static String apply(Path dir, long seed) {
        List<Path> files = BrokenTraces.streamFiles(dir);
        Random rnd = new Random(seed);
        Path f = files.get(rnd.nextInt(files.size()));
        StringBuilder what = new StringBuilder(dir.relativize(f).toString()).append(": ");
        BrokenTraces.write(f, mutate(BrokenTraces.read(f), rnd, what));
        return what.toString();
    }

    /** Values that tend to break size and length fields. */
    private static final long[] INTERESTING = {0, 1, -1, 7, 8, 0x7f, 0x80, 0xff, 0x100, 0xffff, 0x10000,
        0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L, 1L << 40, Long.MAX_VALUE, Long.MIN_VALUE};

    /** A mutated copy of {@code b}; {@code what} gets a description. */
    public static byte[] mutate(byte[] b, Random rnd, StringBuilder what) {
        int n = b.length;
        if (n == 0) {
            what.append("empty file kept");
            return b;
        }
        byte[] m = b.clone();
        int kind = rnd.nextInt(10);
        switch (kind) {
            case 0 -> {
                int flips = 1 + rnd.nextInt(8);
                what.append("flip ").append(flips).append(" bits at");
                for (int k = 0; k < flips; k++) {
                    int at = hotOffset(n, rnd);
                    int bit = rnd.nextInt(8);
                    m[at] ^= (byte) (1 << bit);
                    what.append(' ').append(at).append('.').append(bit);
                }
            }
            case 1 -> {
                int count = 1 + rnd.nextInt(16);
                int at = hotOffset(n, rnd);
                what.append("random ").append(count).append(" bytes at ").append(at);
                for (int k = 0; k < count && at + k < n; k++) {
                    m[at + k] = (byte) rnd.nextInt(256);
                }
            }
            case 2, 3 -> {
                // an interesting value over an aligned 8-, 4-, 2- or 1-byte field, near packet starts most often
                int width = 1 << rnd.nextInt(4);
                int at = (hotOffset(n, rnd) / width) * width;
                long v = INTERESTING[rnd.nextInt(INTERESTING.length)];
                if (rnd.nextBoolean()) {
                    v = v * 8; // a size in bits
                }
                what.append("value 0x").append(Long.toHexString(v)).append(" (").append(width).append(" bytes) at ")
                        .append(at);
                for (int k = 0; k < width && at + k < n; k++) {
                    m[at + k] = (byte) (v >>> (8 * k));
                }
            }
            case 4 -> {
                int len = rnd.nextInt(n);
                what.append("truncate to ").append(len);
                m = Arrays.copyOf(b, len);
            }
            case 5 -> {
                // duplicate a range (a packet-sized one when the file has packets of 4 KiB or more)
                int from = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(n - from, 1 << 14));
                if (rnd.nextBoolean() && n >= 8192) {
                    int unit = 4096;
                    from = rnd.nextInt(n / unit) * unit;
                    len = Math.min(unit * (1 + rnd.nextInt(2)), n - from);
                }
                int to = rnd.nextInt(n + 1);
                what.append("copy [").append(from).append(", +").append(len).append(") to ").append(to);
                m = new byte[n + len];
                System.arraycopy(b, 0, m, 0, to);
                System.arraycopy(b, from, m, to, len);
                System.arraycopy(b, to, m, to + len, n - to);
            }
            case 6 -> {
                int from = rnd.nextInt(n);
                int len = 1 + rnd.nextInt(Math.min(n - from, 1 << 12));
                what.append("delete [").append(from).append(", +").append(len).append(')');
                m = new byte[n - len];
                System.arraycopy(b, 0, m, 0, from);
                System.arraycopy(b, from + len, m, from, n - from - len);
            }
            case 7 -> {
                int from = hotOffset(n, rnd);
                int len = 1 + rnd.nextInt(Math.min(n - from, 1 << 10));
                byte fill = rnd.nextBoolean() ? 0 : (byte) 0xff;
                what.append("fill [").append(from).append(", +").append(len).append(") with ").append(fill & 0xff);
                Arrays.fill(m, from, from + len, fill);
            }
            case 8 -> {
                int at = rnd.nextInt(n + 1);
                int len = 1 + rnd.nextInt(64);
                what.append("insert ").append(len).append(" random bytes at ").append(at);
                m = new byte[n + len];
                System.arraycopy(b, 0, m, 0, at);
                for (int k = 0; k < len; k++) {
                    m[at + k] = (byte) rnd.nextInt(256);
                }
                System.arraycopy(b, at, m, at + len, n - at);
            }
            default -> {
                // several byte flips spread over the file
                int count = 2 + rnd.nextInt(30);
                what.append(count).append(" random bytes spread");
                for (int k = 0; k < count; k++) {
                    m[rnd.nextInt(n)] = (byte) rnd.nextInt(256);
                }
            }
        }
        return m;
    }

    /** An offset, most often within the first 128 bytes of a 4 KiB-aligned block (packet headers and contexts). */
    private static int hotOffset(int n, Random rnd) {
        if (rnd.nextInt(3) > 0) {
            int blocks = Math.max(1, n / 4096);
            int at = rnd.nextInt(blocks) * 4096 + rnd.nextInt(128);
            if (at < n) {
                return at;
            }
        }
        return rnd.nextInt(n);
    }
}
