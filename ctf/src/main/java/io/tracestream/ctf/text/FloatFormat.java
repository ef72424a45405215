package io.tracestream.ctf.text;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%g", v)} as glibc prints it: 6 significant digits from the exact binary value, rounded half to
 * even; plain notation when the decimal exponent X satisfies -4 &lt;= X &lt; 6, else {@code d.ddddde+XX}; trailing
 * zeros and a trailing point removed; {@code inf}, {@code -inf}, {@code nan}, {@code -nan}, {@code -0}.
 */
final class FloatFormat {
    private static final int PRECISION = 6;
    private static final MathContext MC = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private FloatFormat() {
    }

    static String g(double v) {
        if (Double.isNaN(v)) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-nan" : "nan";
        }
        if (Double.isInfinite(v)) {
            return v < 0 ? "-inf" : "inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0" : "0";
        }
        // Small integers print as themselves: a cheap and common case.
        if (v == Math.rint(v) && Math.abs(v) < 1e6) {
            return Long.toString((long) v);
        }
        String digits;
        int x;
        long fast = fastDigits(v);
        if (fast != 0) {
            digits = Long.toString(fast >>> 16);
            x = (short) fast;
        } else {
            BigDecimal r = new BigDecimal(v).round(MC);
            // Decimal exponent of the rounded value: r = unscaled * 10^-scale, unscaled has `precision` digits.
            x = r.precision() - r.scale() - 1;
            digits = r.unscaledValue().abs().toString();
        }
        StringBuilder sb = new StringBuilder(16);
        if (v < 0) {
            sb.append('-');
        }
        if (x >= -4 && x < PRECISION) {
            // %f with P-1-X decimals, then strip zeros.
            if (x >= 0) {
                int intDigits = x + 1;
                if (digits.length() <= intDigits) {
                    sb.append(digits);
                    for (int i = digits.length(); i < intDigits; i++) {
                        sb.append('0');
                    }
                } else {
                    sb.append(digits, 0, intDigits).append('.').append(digits, intDigits, digits.length());
                }
            } else {
                sb.append("0.");
                for (int i = -1; i > x; i--) {
                    sb.append('0');
                }
                sb.append(digits);
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            stripZeros(sb);
            sb.append('e').append(x < 0 ? '-' : '+');
            int ax = Math.abs(x);
            if (ax < 10) {
                sb.append('0');
            }
            sb.append(ax);
            return sb.toString();
        }
        stripZeros(sb);
        return sb.toString();
    }

    private static final double[] POW10 = new double[23];

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = p;
            p *= 10;
        }
    }

    /**
     * The 6 significant digits of |v| and its decimal exponent, packed as {@code digits << 16 | (exponent & 0xFFFF)},
     * when double arithmetic decides the rounding for sure (the scaled value, off by far less than 1e-6, is not
     * within 1e-6 of a tie); else 0, and the caller takes the exact (slow) path.
     */
    private static long fastDigits(double v) {
        double a = Math.abs(v);
        if (!(a >= 1e-5 && a < 1e15)) {
            return 0;
        }
        int x = (int) Math.floor(Math.log10(a));
        int k = PRECISION - 1 - x; // scale so that 6 digits are left of the point
        double scaled = k >= 0 ? a * POW10[k] : a / POW10[-k];
        if (!(scaled >= 99_999.0 && scaled < 1_000_001.0)) {
            return 0;
        }
        double fl = Math.floor(scaled);
        double frac = scaled - fl;
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

    private static void stripZeros(StringBuilder sb) {
        if (sb.indexOf(".") < 0) {
            return;
        }
        int n = sb.length();
        while (sb.charAt(n - 1) == '0') {
            n--;
        }
        if (sb.charAt(n - 1) == '.') {
            n--;
        }
        sb.setLength(n);
    }
}
