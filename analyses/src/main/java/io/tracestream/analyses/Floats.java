package io.tracestream.analyses;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Float formatting and exact arithmetic matching Python 3 (the reference implementation is Python). */
final class Floats {
    private Floats() {
    }

    /** Python's {@code repr(float)}: the shortest string that reads back to the same double. */
    static String repr(double d) {
        return Py.repr(d);
    }

    /** Python's {@code n / m} for integers: the correctly rounded quotient. */
    static double div(long n, long m) {
        if (Math.abs(n) < (1L << 53) && Math.abs(m) < (1L << 53)) {
            return (double) n / (double) m;
        }
        return new BigDecimal(n).divide(new BigDecimal(m), java.math.MathContext.DECIMAL128).doubleValue();
    }

    /** The correctly rounded square root of n/m (n, m &gt; 0), as Python 3.11's statistics.stdev computes it. */
    static double sqrtOfFraction(BigInteger n, BigInteger m) {
        if (n.signum() == 0) {
            return 0.0;
        }
        int width = 2 * 53 + 3;
        int q = Math.floorDiv(n.bitLength() - m.bitLength() - width, 2);
        BigInteger num;
        int scale; // result = num * 2^scale
        if (q >= 0) {
            num = sqrtRoundToOdd(n, m.shiftLeft(2 * q));
            scale = q;
        } else {
            num = sqrtRoundToOdd(n.shiftLeft(-2 * q), m);
            scale = q;
        }
        return Math.scalb(num.doubleValue(), scale);
    }

    private static BigInteger sqrtRoundToOdd(BigInteger n, BigInteger m) {
        BigInteger a = n.divide(m).sqrt();
        boolean exact = a.multiply(a).multiply(m).equals(n);
        return exact ? a : a.or(BigInteger.ONE);
    }
}
