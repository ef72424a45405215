package io.tracestream.analyses;

import java.io.Serializable;
import java.util.Arrays;

/**
 * An exact, mergeable histogram of non-negative durations (ns) on log-linear buckets: values below 16 ns have a bucket
 * each, above that every power of two is cut in 8 equal buckets (bucket width at most 12.5% of its lower bound).
 * Constant size (at most 496 buckets), associative merge: partitions and splits give the same counts. Analyses feed
 * it through {@link AnalysisPass#sample} when the configuration has the flag {@link #FLAG}; the engine then adds a
 * {@link #TABLE} table to their results (used by the HTML report's latency histograms).
 */
public final class Histogram implements Mergeable<Histogram> {
    private static final long serialVersionUID = 1L;

    /** {@link AnalysisConfig#flags()} value: analyses also record their durations in histograms. */
    public static final String FLAG = "histograms";

    /** The table of histogram buckets (only non-empty buckets, by group, series and bound). */
    public static final TableClass TABLE = TableClass.of("duration-histogram", "Duration distribution",
            Column.of("group", "Distribution", "string"),
            Column.of("series", "Series", "string"),
            Column.of("lower", "Duration (lower bound)", "duration"),
            Column.of("upper", "Duration (upper bound, exclusive)", "duration"),
            Column.of("count", "Count", "number"));

    /** The partial key of one histogram: a group (what is measured) and a series in it. */
    public record Key(String group, String series) implements Serializable {
    }

    private static final int SUB_BITS = 3;
    private static final int LINEAR = 16;
    private long[] counts = new long[0];
    private long total;

    /** Adds one duration (negative durations count as 0). */
    public void add(long ns) {
        int i = index(Math.max(0, ns));
        if (i >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(i + 1, Math.min(counts.length * 2, 496)));
        }
        counts[i]++;
        total++;
    }

    @Override
    public Histogram merge(Histogram o) {
        if (o.counts.length > counts.length) {
            counts = Arrays.copyOf(counts, o.counts.length);
        }
        for (int i = 0; i < o.counts.length; i++) {
            counts[i] += o.counts[i];
        }
        total += o.total;
        return this;
    }

    /**
     * Adds {@code n} values to the bucket that starts at {@code lower} (a {@link #lower} bound, e.g. read back from a
     * {@link #TABLE} row): rebuilds a histogram from its table.
     */
    public void addBucket(long lower, long n) {
        int i = index(Math.max(0, lower));
        if (i >= counts.length) {
            counts = Arrays.copyOf(counts, Math.max(i + 1, Math.min(counts.length * 2, 496)));
        }
        counts[i] += n;
        total += n;
    }

    /**
     * The {@code q}-quantile (0 &lt; q &le; 1; 0.99 for p99) by nearest rank: the middle of the bucket holding the
     * value of rank {@code ceil(q * count)}. Exact below 16 ns; above, a bucket spans at most 1/8 of its lower bound,
     * so the result is within 6.25 % of the true value. NaN when empty.
     */
    public double quantile(double q) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i < LINEAR ? i : (lower(i) + (double) (upper(i) - lower(i)) / 2);
            }
        }
        return Double.NaN;
    }

    /** The number of values added. */
    public long count() {
        return total;
    }

    /** The number of bucket slots (bucket indexes are below it). */
    public int buckets() {
        return counts.length;
    }

    /** The count of bucket {@code i}. */
    public long count(int i) {
        return i < counts.length ? counts[i] : 0;
    }

    /** The bucket index of a non-negative value. */
    static int index(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int e = 63 - Long.numberOfLeadingZeros(v); // >= 4
        int sub = (int) (v >>> (e - SUB_BITS)) & ((1 << SUB_BITS) - 1);
        return LINEAR + ((e - 4) << SUB_BITS) + sub;
    }

    /** The inclusive lower bound of bucket {@code i}. */
    public static long lower(int i) {
        if (i < LINEAR) {
            return i;
        }
        int e = ((i - LINEAR) >>> SUB_BITS) + 4;
        long sub = (i - LINEAR) & ((1 << SUB_BITS) - 1);
        return ((1L << SUB_BITS) + sub) << (e - SUB_BITS);
    }

    /** The exclusive upper bound of bucket {@code i} ({@link Long#MAX_VALUE} for the last one). */
    public static long upper(int i) {
        if (i < LINEAR) {
            return i + 1L;
        }
        int e = ((i - LINEAR) >>> SUB_BITS) + 4;
        long u = lower(i) + (1L << (e - SUB_BITS));
        return u < 0 ? Long.MAX_VALUE : u;
    }
}
