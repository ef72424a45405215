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
    /*
     * The sums are exact 128-bit two's complement integers (hi, lo) in primitives (one add per duration, no BigInteger
     * per event), with a BigInteger spill taking what would overflow them (null until then: never for durations of
     * real traces).
     */
    private long totalHi;
    private long totalLo;
    private long squaresHi;
    private long squaresLo;
    private BigInteger totalSpill;
    private BigInteger squaresSpill;
    private static final BigInteger MASK64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    /** Above this |hi|, a 128-bit sum moves into its spill before the next add can overflow it. */
    private static final long SPILL = 1L << 61;

    /** Adds one duration. */
    public void add(long d) {
        count++;
        min = Math.min(min, d);
        max = Math.max(max, d);
        long lo = totalLo + d;
        totalHi += (d >> 63) + (Long.compareUnsigned(lo, totalLo) < 0 ? 1 : 0);
        totalLo = lo;
        long sqLo = d * d;
        long sq = squaresLo + sqLo;
        squaresHi += Math.multiplyHigh(d, d) + (Long.compareUnsigned(sq, squaresLo) < 0 ? 1 : 0);
        squaresLo = sq;
        if (totalHi > SPILL || totalHi < -SPILL || squaresHi > SPILL) {
            spill();
        }
    }

    private void spill() {
        totalSpill = (totalSpill == null ? BigInteger.ZERO : totalSpill).add(big(totalHi, totalLo));
        squaresSpill = (squaresSpill == null ? BigInteger.ZERO : squaresSpill).add(big(squaresHi, squaresLo));
        totalHi = totalLo = squaresHi = squaresLo = 0;
    }

    private static BigInteger big(long hi, long lo) {
        return BigInteger.valueOf(hi).shiftLeft(64).add(BigInteger.valueOf(lo).and(MASK64));
    }

    private static BigInteger sum(BigInteger spill, long hi, long lo) {
        if (spill == null && (hi == 0 && lo >= 0 || hi == -1 && lo < 0)) {
            return BigInteger.valueOf(lo);
        }
        BigInteger b = big(hi, lo);
        return spill == null ? b : spill.add(b);
    }

    @Override
    public DurationStats merge(DurationStats o) {
        count += o.count;
        min = Math.min(min, o.min);
        max = Math.max(max, o.max);
        if (totalSpill != null || o.totalSpill != null || squaresSpill != null || o.squaresSpill != null) {
            BigInteger t = total().add(o.total());
            BigInteger s = sumSquares().add(o.sumSquares());
            totalHi = totalLo = squaresHi = squaresLo = 0;
            totalSpill = t;
            squaresSpill = s;
            return this;
        }
        long lo = totalLo + o.totalLo;
        totalHi += o.totalHi + (Long.compareUnsigned(lo, totalLo) < 0 ? 1 : 0);
        totalLo = lo;
        long sq = squaresLo + o.squaresLo;
        squaresHi += o.squaresHi + (Long.compareUnsigned(sq, squaresLo) < 0 ? 1 : 0);
        squaresLo = sq;
        if (totalHi > SPILL || totalHi < -SPILL || squaresHi > SPILL) {
            spill();
        }
        return this;
    }

    /** The exact sum of the squares of all durations. */
    BigInteger sumSquares() {
        return sum(squaresSpill, squaresHi, squaresLo);
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
        return sum(totalSpill, totalHi, totalLo);
    }

    /** Python's {@code total / count}: the correctly rounded average (0 when empty). */
    public double average() {
        if (count == 0) {
            return 0;
        }
        BigInteger total = total();
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
        BigInteger total = total();
        BigInteger num = n.multiply(sumSquares()).subtract(total.multiply(total));
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
