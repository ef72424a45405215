package io.tracestream.analyses.html;

/** A minimal JSON writer for the data embedded in the report ({@code <} escaped so it is safe inside a script). */
final class Json {
    private final StringBuilder sb;
    private boolean needComma;

    Json(StringBuilder sb) {
        this.sb = sb;
    }

    private void sep() {
        if (needComma) {
            sb.append(',');
        }
        needComma = false;
    }

    Json begin() {
        sep();
        sb.append('{');
        return this;
    }

    Json end() {
        sb.append('}');
        needComma = true;
        return this;
    }

    Json array() {
        sep();
        sb.append('[');
        return this;
    }

    Json endArray() {
        sb.append(']');
        needComma = true;
        return this;
    }

    Json key(String k) {
        sep();
        string(sb, k);
        sb.append(':');
        return this;
    }

    Json value(String s) {
        sep();
        if (s == null) {
            sb.append("null");
        } else {
            string(sb, s);
        }
        needComma = true;
        return this;
    }

    Json value(long v) {
        sep();
        sb.append(v);
        needComma = true;
        return this;
    }

    Json value(double v) {
        sep();
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            sb.append("null");
        } else if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            sb.append((long) v);
        } else {
            sb.append(v);
        }
        needComma = true;
        return this;
    }

    Json value(boolean v) {
        sep();
        sb.append(v);
        needComma = true;
        return this;
    }

    Json nul() {
        sep();
        sb.append("null");
        needComma = true;
        return this;
    }

    Json field(String k, String v) {
        return key(k).value(v);
    }

    Json field(String k, long v) {
        return key(k).value(v);
    }

    Json field(String k, boolean v) {
        return key(k).value(v);
    }

    static void string(StringBuilder sb, String s) {
        JsonText.appendString(sb, s);
    }
}
