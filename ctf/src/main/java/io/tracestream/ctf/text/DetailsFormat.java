package io.tracestream.ctf.text;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Number formatting of babeltrace2's {@code sink.text.details}: decimal with {@code ,} every three digits from
 * 10,000 on, hexadecimal {@code 0x} with {@code :} every four digits, octal {@code 0} with {@code :} every three
 * digits, and C {@code %f} for reals.
 */
final class DetailsFormat {
    private DetailsFormat() {
    }

    /** An unsigned 64-bit value (its bit pattern) in a base (2 and 16 both print hexadecimal, as babeltrace2). */
    static String formatUnsigned(long value, int base) {
        StringBuilder sb = new StringBuilder(32);
        appendUnsigned(sb, value, base);
        return sb.toString();
    }

    static void appendUnsigned(StringBuilder sb, long value, int base) {
        switch (base) {
            case 2, 16 -> {
                sb.append("0x");
                appendGrouped(sb, Long.toHexString(value), 4, ':');
            }
            case 8 -> {
                sb.append('0');
                appendGrouped(sb, Long.toOctalString(value), 3, ':');
            }
            default -> {
                String digits = Long.toUnsignedString(value);
                if (Long.compareUnsigned(value, 9999) <= 0) {
                    sb.append(digits);
                } else {
                    appendGrouped(sb, digits, 3, ',');
                }
            }
        }
    }

    static String formatSigned(long value, int base) {
        StringBuilder sb = new StringBuilder(32);
        appendSigned(sb, value, base);
        return sb.toString();
    }

    static void appendSigned(StringBuilder sb, long value, int base) {
        long abs = value < 0 ? -value : value; // Long.MIN_VALUE stays its own bit pattern: read as unsigned
        if (value < 0) {
            sb.append('-');
        }
        switch (base) {
            case 2, 16 -> {
                sb.append("0x");
                appendGrouped(sb, Long.toHexString(abs), 4, ':');
            }
            case 8 -> {
                sb.append('0');
                appendGrouped(sb, Long.toOctalString(abs), 3, ':');
            }
            default -> {
                String digits = Long.toUnsignedString(abs);
                if (value >= -9999 && value <= 9999) {
                    sb.append(digits);
                } else {
                    appendGrouped(sb, digits, 3, ',');
                }
            }
        }
    }

    private static void appendGrouped(StringBuilder sb, String digits, int group, char sep) {
        int len = digits.length();
        int first = len % group == 0 ? group : len % group;
        sb.append(digits, 0, first);
        for (int i = first; i < len; i += group) {
            sb.append(sep).append(digits, i, i + group);
        }
    }

    /** C {@code printf("%f")} of a double: exact decimal expansion rounded half-even to 6 places. */
    static String formatReal(double v) {
        if (Double.isNaN(v)) {
            return (Double.doubleToRawLongBits(v) < 0 ? "-" : "") + "nan";
        }
        if (Double.isInfinite(v)) {
            return v < 0 ? "-inf" : "inf";
        }
        String s = new BigDecimal(v).setScale(6, RoundingMode.HALF_EVEN).toPlainString();
        if ((v < 0 || (v == 0 && 1 / v < 0)) && !s.startsWith("-")) {
            s = "-" + s; // negative zero, or a negative value that rounds to zero
        }
        return s;
    }
}
