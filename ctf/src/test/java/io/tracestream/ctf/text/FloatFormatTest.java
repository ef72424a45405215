package io.tracestream.ctf.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link FloatFormat#g} against C's {@code %g} (expected strings from glibc printf) and an exact reference. */
class FloatFormatTest {

    @Test
    void knownValues() {
        String[][] cases = {
            {"0.1", "0.1"}, {"1e-05", "1e-05"}, {"0.0001", "0.0001"}, {"123456", "123456"}, {"1.23457e+06", "1234567"},
            {"3.14159", "3.14159265358979"}, {"-2.5", "-2.5"}, {"1e+100", "1e100"}, {"4.94066e-324", "4.9e-324"},
            {"1.79769e+308", "1.7976931348623157e308"}, {"99999.9", "99999.95"}, {"1e+06", "999999.5"},
            {"0.000123457", "0.0001234567"}, {"2.5", "2.5"}, {"0.3", "0.3"}, {"-0", "-0.0"}, {"0", "0"},
            {"inf", "Infinity"}, {"-inf", "-Infinity"}, {"nan", "NaN"}, {"1.00001e+10", "10000100000"},
            {"0.5", "0.5"}, {"1.5", "1.5"}, {"12345.6", "12345.65"}, {"2.22507e-308", "2.2250738585072014e-308"},
            {"0.125", "0.125"}, {"1.23456e+14", "123456500000000"}, {"1.23458e+14", "123457500000000"},
            {"7.00649e-45", "7.006492321624085e-45"}, {"-1.5e-07", "-1.5e-7"},
        };
        for (String[] c : cases) {
            assertEquals(c[0], FloatFormat.g(Double.parseDouble(c[1])), c[1]);
        }
    }

    /** The fast path agrees with an exact BigDecimal rendering of %g on many random values. */
    @Test
    void randomValuesMatchExactReference() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            double v;
            switch (i % 4) {
                case 0 -> v = Double.longBitsToDouble(r.nextLong());
                case 1 -> v = r.nextDouble() * Math.pow(10, r.nextInt(-8, 18));
                case 2 -> v = (r.nextInt(2_000_000) - 1_000_000) / 8.0;
                default -> v = Math.round(r.nextDouble() * 1e7) / 1e1;
            }
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            assertEquals(reference(v), FloatFormat.g(v), () -> Double.toString(v));
        }
    }

    /** %g from the exact decimal value, straight from the C standard's definition. */
    private static String reference(double v) {
        if (v == 0) {
            return Double.doubleToRawLongBits(v) < 0 ? "-0" : "0";
        }
        BigDecimal r = new BigDecimal(v).round(new MathContext(6, RoundingMode.HALF_EVEN));
        int x = r.precision() - r.scale() - 1;
        String s;
        if (x >= -4 && x < 6) {
            s = r.setScale(5 - x, RoundingMode.UNNECESSARY).toPlainString();
            if (s.contains(".")) {
                s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
            }
        } else {
            BigDecimal m = r.movePointLeft(x).setScale(5, RoundingMode.UNNECESSARY);
            String ms = m.toPlainString().replaceAll("0+$", "").replaceAll("\\.$", "");
            s = ms + "e" + (x < 0 ? "-" : "+") + (Math.abs(x) < 10 ? "0" : "") + Math.abs(x);
        }
        return s;
    }
}
