package io.tracestream.ctf.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%g", v)} as glibc prints it: 6 significant digits from the exact binary value, rounded half to
 * even; plain notation when the decimal exponent X satisfies -4 &lt;= X &lt; 6, else {@code d.ddddde+XX}; trailing
 * zeros and a trailing point removed; {@code inf}, {@code -inf}, {@code nan}, {@code -nan}, {@code -0}.
 *
 * <p>The digits come from double arithmetic whenever it decides the rounding for sure (all finite values but
 * those within a millionth of a rounding tie), else from the exact decimal expansion ({@link BigDecimal}).
 */
final class FloatFormat {
    private static final int PRECISION = 6;
    private static final MathContext MC = new MathContext(PRECISION, RoundingMode.HALF_EVEN);
    private static final byte[] NAN = {'n', 'a', 'n'};
    private static final byte[] INF = {'i', 'n', 'f'};

    private FloatFormat() {
    }

    /** {@code %g} of {@code v} as a string. */
    static String g(double v) {
        TextBuffer b = new TextBuffer(32);
        g(b, v);
        return b.toString();
    }

    /** Appends {@code %g} of {@code v} to {@code b}. */
    static void g(TextBuffer b, double v) {
        if (Double.doubleToRawLongBits(v) < 0) {
            b.append('-'); // "-nan" and "-0" too, as glibc prints them
            v = -v;
        }
        if (v != v) {
            b.append(NAN);
            return;
        }
        if (v == Double.POSITIVE_INFINITY) {
            b.append(INF);
            return;
        }
        if (v == 0) {
            b.append('0');
            return;
        }
        // Small integers print as themselves: a cheap and common case.
        if (v < 1e6 && v == (double) (long) v) {
            b.unsignedDecimal((long) v);
            return;
        }
        long fast = fastDigits(v);
        int m;
        int x;
        if (fast != 0) {
            m = (int) (fast >>> 16);
            x = (short) fast;
        } else {
            BigDecimal r = new BigDecimal(v).round(MC);
            // Decimal exponent of the rounded value: r = unscaled * 10^-scale, unscaled has `precision` digits.
            x = r.precision() - r.scale() - 1;
            m = r.unscaledValue().intValueExact();
            for (int d = r.precision(); d < PRECISION; d++) {
                m *= 10;
            }
        }
        // m has exactly 6 digits: d.ddddd x 10^x
        if (x >= -4 && x < PRECISION) {
            // %f with 5 - x decimals, then strip zeros
            if (x >= 0) {
                int frac = PRECISION - 1 - x; // digits after the point
                int p = pow10(frac);
                b.unsignedDecimal(m / p);
                fraction(b, m % p, frac);
            } else {
                b.append('0').append('.');
                for (int i = -1; i > x; i--) {
                    b.append('0');
                }
                // all 6 digits, trailing zeros stripped
                int digits = PRECISION;
                while (m % 10 == 0) {
                    m /= 10;
                    digits--;
                }
                b.padded(m, digits);
            }
            return;
        }
        b.append((char) ('0' + m / 100_000));
        fraction(b, m % 100_000, PRECISION - 1);
        b.append('e').append(x < 0 ? '-' : '+');
        int ax = Math.abs(x);
        if (ax < 10) {
            b.append('0');
        }
        b.unsignedDecimal(ax);
    }

    /** Appends ".ddd" for the {@code width}-digit fraction {@code f}, trailing zeros stripped; nothing when 0. */
    private static void fraction(TextBuffer b, int f, int width) {
        if (f == 0) {
            return;
        }
        while (f % 10 == 0) {
            f /= 10;
            width--;
        }
        b.append('.').padded(f, width);
    }

    private static int pow10(int k) {
        int p = 1;
        for (int i = 0; i < k; i++) {
            p *= 10;
        }
        return p;
    }

    /** 10^k for 0 <= k <= 308: exact products up to 10^22, then {@code Math.pow(10, k)} (computed once). */
    private static final double[] POW10 = new double[309];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = i < 23 ? p : Math.pow(10, i);
            p *= 10;
        }
    }

    /** 10^k for 0 <= k <= 308, exact up to 10^22, else within a few ulps. */
    private static double tenTo(int k) {
        return POW10[k];
    }

    /** {@code a * 10^k} with a relative error of a few ulps (no overflow to infinity for finite results). */
    private static double scale(double a, int k) {
        if (k >= 0) {
            if (k > 290) {
                return a * 1e290 * tenTo(k - 290); // subnormal and tiny values: 10^k itself would overflow
            }
            return a * tenTo(k);
        }
        return a / tenTo(-k);
    }

    /**
     * The 6 significant digits of {@code a > 0} and its decimal exponent, packed as
     * {@code digits << 16 | (exponent & 0xFFFF)}, when double arithmetic decides the rounding for sure (the scaled
     * value, off by less than 1e-9, is not within 1e-6 of a tie); else 0, and the caller takes the exact path.
     */
    private static long fastDigits(double a) {
        int x = (int) Math.floor(Math.log10(a));
        double s = scale(a, PRECISION - 1 - x); // 6 digits left of the point
        if (s >= 1_000_000.0) {
            x++;
            s = scale(a, PRECISION - 1 - x);
        } else if (s < 100_000.0) {
            x--;
            s = scale(a, PRECISION - 1 - x);
        }
        if (!(s >= 99_999.0 && s < 1_000_001.0)) {
            return 0;
        }
        double fl = Math.floor(s);
        double frac = s - fl;
        if (Math.abs(frac - 0.5) < 1e-6) {
            return 0; // too close to a rounding tie to trust the (inexact) product: take the exact path
        }
        long m = (long) fl + (frac > 0.5 ? 1 : 0);
        if (m >= 1_000_000) {
            m /= 10;
            x++;
        } else if (m < 100_000) {
            return 0;
        }
        return m << 16 | (x & 0xFFFF);
    }
}
