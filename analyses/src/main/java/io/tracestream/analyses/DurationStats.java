package io.tracestream.analyses;

import java.math.BigInteger;

/**
 * Count, minimum, maximum, total and exact sum of squares of integer durations (ns): mergeable, constant size, and
 * exact, so that the average and the sample standard deviation equal Python's {@code total / count} and
 * {@code statistics.stdev(durations)} (which lttng-analyses uses) bit for bit, whatever the partitioning.
 */
public final class DurationStats implements Mergeable<DurationStats> {
    private static final long serialVersionUID = 1L;
    private long count;
    private long min = Long.MAX_VALUE;
    private long max = Long.MIN_VALUE;
    private BigInteger total = BigInteger.ZERO;
    private BigInteger sumSquares = BigInteger.ZERO;

    /** Adds one duration. */
    public void add(long d) {
        count++;
        min = Math.min(min, d);
        max = Math.max(max, d);
        BigInteger b = BigInteger.valueOf(d);
        total = total.add(b);
        sumSquares = sumSquares.add(b.multiply(b));
    }

    @Override
    public DurationStats merge(DurationStats o) {
        count += o.count;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        total = total.add(o.total);
        sumSquares = sumSquares.add(o.sumSquares);
        return this;
    }

    public long count() {
        return count;
    }

    /** The minimum (undefined when empty). */
    public long min() {
        return min;
    }

    public long max() {
        return max;
    }

    /** The sum of all durations. */
    public BigInteger total() {
        return total;
    }

    /** Python's {@code total / count}: the correctly rounded average (0 when empty). */
    public double average() {
        if (count == 0) {
            return 0;
        }
        if (total.bitLength() < 53) {
            return Floats.div(total.longValueExact(), count);
        }
        return new java.math.BigDecimal(total).divide(java.math.BigDecimal.valueOf(count),
                java.math.MathContext.DECIMAL128).doubleValue();
    }

    /** True when the sample standard deviation is defined (at least 2 values). */
    public boolean hasStdev() {
        return count >= 2;
    }

    /** The sample standard deviation, correctly rounded (as Python 3.11's statistics.stdev); NaN below 2 values. */
    public double stdev() {
        if (count < 2) {
            return Double.NaN;
        }
        // sum((x - mean)^2) / (n - 1) = (n * sumsq - total^2) / (n * (n - 1))
        BigInteger n = BigInteger.valueOf(count);
        BigInteger num = n.multiply(sumSquares).subtract(total.multiply(total));
        BigInteger den = n.multiply(n.subtract(BigInteger.ONE));
        BigInteger g = num.gcd(den);
        if (g.signum() > 0) {
            num = num.divide(g);
            den = den.divide(g);
        }
        return Floats.sqrtOfFraction(num, den);
    }

    /** The stdev as a table value: a duration, or unknown below 2 values. */
    public Value stdevValue() {
        return hasStdev() ? Value.duration(stdev()) : Value.UNKNOWN;
    }

    /** The average as a table value (a float duration, as lttng-analyses writes it). */
    public Value averageValue() {
        return Value.duration(average());
    }
}
