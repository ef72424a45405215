package io.tracestream.analyses;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * The number and text formatting of lttng-analyses (CPython 3), reproduced exactly so that our output matches it
 * byte for byte: {@code repr(float)}, {@code round(x, n)}, {@code '%0.03f' % x}, {@code str(round(ns / 1000, 3))},
 * lttng-analyses' {@code format_size}, Python string literals and {@code errno.errorcode}.
 *
 * <p>Internal: the one implementation of this formatting for all the analyses' packages ({@link Text} and the
 * package-private {@code Floats} delegate here); public only so that sub-packages can use it, not a stable API.
 */
public final class Py {
    private Py() {
    }

    /** CPython's {@code repr(float)}: the shortest string that reads back as {@code d}, in CPython's layout. */
    public static String repr(double d) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0) {
            return (1 / d < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(d);
        BigDecimal shortest = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal c = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (Double.parseDouble(c.toString()) == d) {
                shortest = c;
                break;
            }
        }
        shortest = shortest.stripTrailingZeros();
        String digits = shortest.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - shortest.scale(); // decimal exponent of the first digit
        String sign = shortest.signum() < 0 ? "-" : "";
        if (exp < -4 || exp >= 16) {
            String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            String e = (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
            return sign + mant + "e" + e;
        }
        String plain;
        if (exp < 0) {
            plain = "0." + "0".repeat(-exp - 1) + digits;
        } else if (digits.length() <= exp + 1) {
            plain = digits + "0".repeat(exp + 1 - digits.length()) + ".0";
        } else {
            plain = digits.substring(0, exp + 1) + "." + digits.substring(exp + 1);
        }
        return sign + plain;
    }

    /** CPython's {@code round(d, ndigits)} (correctly rounded, half to even on the exact binary value). */
    public static double round(double d, int ndigits) {
        if (Double.isNaN(d) || Double.isInfinite(d) || d == 0) {
            return d;
        }
        return new BigDecimal(d).setScale(ndigits, RoundingMode.HALF_EVEN).doubleValue();
    }

    /**
     * {@code repr(round(ns / 1000, 3))}: a duration in microseconds as lttng-analyses prints it with {@code str}.
     * Exact: the 3-decimal rounding of a double below 2^43 is the shortest decimal that reads back as the rounded
     * double.
     */
    public static String microsRounded(double ns) {
        double us = ns / 1000.0;
        if (ns == Math.rint(ns) && Math.abs(ns) < 1e15) {
            return millisText((long) ns); // ns / 1000 has at most 3 decimals: round() keeps it
        }
        if (Double.isNaN(us) || Double.isInfinite(us) || Math.abs(us) >= 1e12) {
            return repr(round(us, 3));
        }
        BigDecimal r = new BigDecimal(us).setScale(3, RoundingMode.HALF_EVEN);
        return millisText(r.unscaledValue().longValueExact());
    }

    /** {@code v / 1000} written with the fewest decimals (at least one), e.g. 1500 -> 1.5, 2000 -> 2.0. */
    private static String millisText(long v) {
        boolean neg = v < 0;
        long a = Math.abs(v);
        long whole = a / 1000;
        int frac = (int) (a % 1000);
        String f;
        if (frac == 0) {
            f = "0";
        } else if (frac % 100 == 0) {
            f = Integer.toString(frac / 100);
        } else if (frac % 10 == 0) {
            f = (frac < 100 ? "0" : "") + (frac / 10);
        } else {
            f = (frac < 10 ? "00" : frac < 100 ? "0" : "") + frac;
        }
        return (neg && a != 0 ? "-" : "") + whole + "." + f;
    }

    /** CPython's {@code '%0.Nf' % d} (and {@code '{:0.Nf}'.format(d)}). */
    public static String fixed(double d, int decimals) {
        if (Double.isNaN(d)) {
            return "nan";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "inf" : "-inf";
        }
        String s = fixedFast(d, decimals);
        if (s == null) {
            s = new BigDecimal(d).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        }
        if (d < 0 || (d == 0 && 1 / d < 0)) {
            if (!s.startsWith("-")) {
                s = "-" + s;
            }
        }
        return s;
    }

    private static final double[] POW10 = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    /**
     * {@link #fixed} without {@link BigDecimal} (whose exact expansion of a double is most of a small analysis's
     * output time) when one multiplication decides the rounding: {@code x = |d| * 10^decimals} is within half an
     * ulp of the exact product, so a fraction farther than one ulp from one half rounds the same way as the exact
     * value. Null (use the exact path) for ties and near-ties, large values and many decimals. Without the sign,
     * which {@link #fixed} adds to negative values (as CPython, {@code -0.00} for one that rounds to zero).
     */
    static String fixedFast(double d, int decimals) {
        if (decimals < 0 || decimals >= POW10.length) {
            return null;
        }
        double x = Math.abs(d) * POW10[decimals];
        if (!(x < 0x1p52)) {
            return null;
        }
        double floor = Math.floor(x);
        double frac = x - floor; // exact below 2^52
        double err = Math.ulp(x);
        long n = (long) floor;
        if (frac > 0.5 + err) {
            n++;
        } else if (!(frac < 0.5 - err)) {
            return null;
        }
        String digits = Long.toString(n);
        if (decimals == 0) {
            return digits;
        }
        StringBuilder sb = new StringBuilder(digits.length() + 3);
        for (int k = digits.length(); k <= decimals; k++) {
            sb.append('0');
        }
        sb.append(digits);
        sb.insert(sb.length() - decimals, '.');
        return sb.toString();
    }

    /** lttng-analyses' {@code format_utils.format_size} (binary prefixes). */
    public static String formatSize(long size) {
        String[] units = {"  B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};
        if (size < 0) {
            throw new IllegalArgumentException("Cannot format negative size");
        }
        if (size == 0) {
            return "0   B";
        }
        int exponent = (int) (Math.log(size) / Math.log(1024));
        // int(math.log(size, 1024)) can be one too low/high by rounding; CPython computes log(x)/log(base) too
        if (exponent >= units.length) {
            exponent = units.length - 1;
        }
        if (exponent == 0) {
            return size + " " + units[0];
        }
        double scaled = size / Math.pow(1024, exponent);
        return fixed(scaled, 2) + " " + units[exponent];
    }

    /** Left-justifies like {@code '{:<w}'.format(s)}. */
    public static String left(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    /** Right-justifies like {@code '{:>w}'.format(s)}. */
    public static String right(String s, int w) {
        return s.length() >= w ? s : " ".repeat(w - s.length()) + s;
    }

    /** A Python string literal as {@code repr(str)} writes it (single quotes unless the text holds one). */
    public static String reprString(String s) {
        char q = (s.indexOf('\'') >= 0 && s.indexOf('"') < 0) ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == q || c == '\\') {
                b.append('\\').append(c);
            } else if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (c == '\t') {
                b.append("\\t");
            } else if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\x%02x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append(q).toString();
    }

    private static final String[] ERRNO = new String[133];

    static {
        String table = "1:EPERM,2:ENOENT,3:ESRCH,4:EINTR,5:EIO,6:ENXIO,7:E2BIG,8:ENOEXEC,9:EBADF,10:ECHILD,11:EAGAIN,"
                + "12:ENOMEM,13:EACCES,14:EFAULT,15:ENOTBLK,16:EBUSY,17:EEXIST,18:EXDEV,19:ENODEV,20:ENOTDIR,"
                + "21:EISDIR,22:EINVAL,23:ENFILE,24:EMFILE,25:ENOTTY,26:ETXTBSY,27:EFBIG,28:ENOSPC,29:ESPIPE,"
                + "30:EROFS,31:EMLINK,32:EPIPE,33:EDOM,34:ERANGE,35:EDEADLOCK,36:ENAMETOOLONG,37:ENOLCK,38:ENOSYS,"
                + "39:ENOTEMPTY,40:ELOOP,42:ENOMSG,43:EIDRM,44:ECHRNG,45:EL2NSYNC,46:EL3HLT,47:EL3RST,48:ELNRNG,"
                + "49:EUNATCH,50:ENOCSI,51:EL2HLT,52:EBADE,53:EBADR,54:EXFULL,55:ENOANO,56:EBADRQC,57:EBADSLT,"
                + "59:EBFONT,60:ENOSTR,61:ENODATA,62:ETIME,63:ENOSR,64:ENONET,65:ENOPKG,66:EREMOTE,67:ENOLINK,"
                + "68:EADV,69:ESRMNT,70:ECOMM,71:EPROTO,72:EMULTIHOP,73:EDOTDOT,74:EBADMSG,75:EOVERFLOW,"
                + "76:ENOTUNIQ,77:EBADFD,78:EREMCHG,79:ELIBACC,80:ELIBBAD,81:ELIBSCN,82:ELIBMAX,83:ELIBEXEC,"
                + "84:EILSEQ,85:ERESTART,86:ESTRPIPE,87:EUSERS,88:ENOTSOCK,89:EDESTADDRREQ,90:EMSGSIZE,"
                + "91:EPROTOTYPE,92:ENOPROTOOPT,93:EPROTONOSUPPORT,94:ESOCKTNOSUPPORT,95:ENOTSUP,96:EPFNOSUPPORT,"
                + "97:EAFNOSUPPORT,98:EADDRINUSE,99:EADDRNOTAVAIL,100:ENETDOWN,101:ENETUNREACH,102:ENETRESET,"
                + "103:ECONNABORTED,104:ECONNRESET,105:ENOBUFS,106:EISCONN,107:ENOTCONN,108:ESHUTDOWN,"
                + "109:ETOOMANYREFS,110:ETIMEDOUT,111:ECONNREFUSED,112:EHOSTDOWN,113:EHOSTUNREACH,114:EALREADY,"
                + "115:EINPROGRESS,116:ESTALE,117:EUCLEAN,118:ENOTNAM,119:ENAVAIL,120:EISNAM,121:EREMOTEIO,"
                + "122:EDQUOT,123:ENOMEDIUM,124:EMEDIUMTYPE,125:ECANCELED,126:ENOKEY,127:EKEYEXPIRED,"
                + "128:EKEYREVOKED,129:EKEYREJECTED,130:EOWNERDEAD,131:ENOTRECOVERABLE,132:ERFKILL";
        for (String kv : table.split(",")) {
            int c = kv.indexOf(':');
            ERRNO[Integer.parseInt(kv.substring(0, c))] = kv.substring(c + 1);
        }
    }

    /**
     * The key lttng-analyses counts a system call return value under: {@code success} for {@code ret >= 0}, else the
     * errno name of {@code -ret} ({@code errno.errorcode}), else the number itself.
     */
    public static String returnKey(long ret) {
        if (ret >= 0) {
            return "success";
        }
        long e = -ret;
        if (e > 0 && e < ERRNO.length && ERRNO[(int) e] != null) {
            return ERRNO[(int) e];
        }
        return Long.toString(ret);
    }
}
