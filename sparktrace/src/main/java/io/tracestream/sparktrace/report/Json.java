package io.tracestream.sparktrace.report;

import io.tracestream.analyses.html.JsonText;

/** Minimal JSON text helpers (string escaping, numbers) for the report writers. */
final class Json {
    private Json() {
    }

    static String str(String s) {
        return JsonText.string(s);
    }

    static String num(double d) {
        if (!Double.isFinite(d)) {
            return "null";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        // shortest decimal that reads back as the same double, never in exponent form
        return new java.math.BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
