package io.tracestream.analyses.kstate;

import java.io.Serializable;
import java.math.BigInteger;

/**
 * Count, minimum, maximum, exact sum and exact sum of squares of integer durations (ns): enough for the min, average,
 * max and sample standard deviation lttng-analyses prints, in constant memory, mergeable across partitions. The sum
 * of squares is kept in 128 bits.
 */
public final class DurationStats implements Serializable {
    private static final long serialVersionUID = 1L;

    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private long sum;
    private long sqLo;
    private long sqHi;

    /** Adds one duration. */
    public void add(long d) {
        count++;
        if (d < min) {
            min = d;
        }
        if (d > max) {
            max = d;
        }
        sum += d;
        addSquare(d * d, Math.multiplyHigh(d, d));
    }

    private void addSquare(long lo, long hi) {
        long nlo = sqLo + lo;
        long carry = Long.compareUnsigned(nlo, sqLo) < 0 ? 1 : 0;
        sqLo = nlo;
        sqHi += hi + carry;
    }

    /** Adds the durations of another accumulator. */
    public DurationStats merge(DurationStats o) {
        if (o.count == 0) {
            return this;
        }
        count += o.count;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        sum += o.sum;
        addSquare(o.sqLo, o.sqHi);
        return this;
    }

    public long count() {
        return count;
    }

    /** Smallest duration, 0 when empty. */
    public long min() {
        return count == 0 ? 0 : min;
    }

    /** Largest duration, 0 when empty. */
    public long max() {
        return count == 0 ? 0 : max;
    }

    public long sum() {
        return sum;
    }

    /** {@code total / count} as Python computes it (a float), 0 when empty. */
    public double mean() {
        return count == 0 ? 0.0 : (double) sum / (double) count;
    }

    /** The exact sum of squares. */
    public BigInteger sumOfSquares() {
        return new BigInteger(1, toBytes(sqHi, sqLo));
    }

    private static byte[] toBytes(long hi, long lo) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (hi >>> (56 - 8 * i));
            b[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return b;
    }

    /** Python's {@code statistics.stdev} of the durations (needs at least 2). */
    public double stdev() {
        return Py.stdev(count, BigInteger.valueOf(sum), sumOfSquares());
    }
}
