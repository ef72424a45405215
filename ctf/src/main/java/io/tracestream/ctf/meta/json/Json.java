package io.tracestream.ctf.meta.json;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON (RFC 8259) reader for CTF 2 metadata fragments.
 *
 * <p>Values remember the offset of their first character in the whole metadata text, so errors can name a line and
 * a column. Integers (no fraction, no exponent) must fit in [-2<sup>63</sup>, 2<sup>64</sup>-1]; other numbers are
 * kept as doubles. Duplicate object keys, trailing commas, comments, leading zeros, unescaped control characters and
 * lone surrogate escapes are rejected. Nesting is bounded by {@link #MAX_DEPTH}.
 */
final class Json {
    /** Maximum nesting depth of arrays and objects. */
    static final int MAX_DEPTH = 512;

    private Json() {
    }

    /** A JSON value and where it starts in the metadata text. */
    sealed interface Value permits Obj, Arr, Str, Int, Real, Bool, Null {
        int pos();

        /** The JSON type name used in messages: "an object", "a string", ... */
        String kind();
    }

    /** One object property: its key's position and its value. */
    record Prop(int keyPos, Value value) {
    }

    /** A JSON object; properties in text order. */
    record Obj(Map<String, Prop> props, int pos) implements Value {
        Value get(String key) {
            Prop p = props.get(key);
            return p == null ? null : p.value();
        }

        public String kind() {
            return "an object";
        }
    }

    /** A JSON array. */
    record Arr(List<Value> items, int pos) implements Value {
        public String kind() {
            return "an array";
        }
    }

    /** A JSON string, unescaped. */
    record Str(String value, int pos) implements Value {
        public String kind() {
            return "a string";
        }
    }

    /**
     * A JSON integer. When {@code big} is true the value is above {@link Long#MAX_VALUE} and {@code value} holds its
     * unsigned 64-bit representation; otherwise {@code value} is the signed value.
     */
    record Int(long value, boolean big, int pos) implements Value {
        boolean negative() {
            return !big && value < 0;
        }

        /** True when the value fits a signed 64-bit integer. */
        boolean fitsSigned() {
            return !big;
        }

        @Override
        public String toString() {
            return big ? Long.toUnsignedString(value) : Long.toString(value);
        }

        /** The value as a Long, or a BigInteger above {@link Long#MAX_VALUE}. */
        Object boxed() {
            return big ? new BigInteger(Long.toUnsignedString(value)) : (Object) value;
        }

        public String kind() {
            return "an integer";
        }
    }

    /** A JSON number with a fraction or an exponent. */
    record Real(double value, String text, int pos) implements Value {
        public String kind() {
            return "a real number";
        }
    }

    record Bool(boolean value, int pos) implements Value {
        public String kind() {
            return "a boolean";
        }
    }

    record Null(int pos) implements Value {
        public String kind() {
            return "null";
        }
    }

    /** A syntax error at an offset of the metadata text. */
    static final class SyntaxError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int pos;

        SyntaxError(int pos, String message) {
            super(message, null, false, false);
            this.pos = pos;
        }
    }

    /**
     * Parses exactly one JSON value in {@code text[begin, end)}, surrounded by optional whitespace.
     *
     * @throws SyntaxError on any syntax error
     */
    static Value parse(String text, int begin, int end) {
        Reader r = new Reader(text, begin, end);
        r.skipWs();
        if (r.i >= end) {
            throw new SyntaxError(r.i, "expecting a JSON value");
        }
        Value v = r.value(0);
        r.skipWs();
        if (r.i < end) {
            throw new SyntaxError(r.i, "unexpected " + r.describe(r.i) + " after the JSON value");
        }
        return v;
    }

    /** Converts a value to plain Java data: Map, List, String, Long/BigInteger, Double, Boolean, or null. */
    static Object toJava(Value v) {
        if (v instanceof Obj o) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<String, Prop> e : o.props().entrySet()) {
                m.put(e.getKey(), toJava(e.getValue().value()));
            }
            return Collections.unmodifiableMap(m);
        } else if (v instanceof Arr a) {
            List<Object> l = new ArrayList<>(a.items().size());
            for (Value x : a.items()) {
                l.add(toJava(x));
            }
            return Collections.unmodifiableList(l);
        } else if (v instanceof Str s) {
            return s.value();
        } else if (v instanceof Int n) {
            return n.boxed();
        } else if (v instanceof Real d) {
            return d.value();
        } else if (v instanceof Bool b) {
            return b.value();
        }
        return null;
    }

    private static final class Reader {
        private final String s;
        private final int end;
        int i;

        Reader(String s, int begin, int end) {
            this.s = s;
            this.i = begin;
            this.end = end;
        }

        void skipWs() {
            while (i < end) {
                char c = s.charAt(i);
                if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
                    i++;
                } else {
                    break;
                }
            }
        }

        String describe(int at) {
            if (at >= end) {
                return "end of fragment";
            }
            char c = s.charAt(at);
            if (c < 0x20 || c == 0x7f) {
                return String.format("character U+%04X", (int) c);
            }
            return "character '" + c + "'";
        }

        Value value(int depth) {
            if (i >= end) {
                throw new SyntaxError(i, "expecting a JSON value, got end of fragment");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{':
                    return object(depth + 1);
                case '[':
                    return array(depth + 1);
                case '"': {
                    int p = i;
                    return new Str(string(), p);
                }
                case 't':
                    return literal("true", new Bool(true, i));
                case 'f':
                    return literal("false", new Bool(false, i));
                case 'n':
                    return literal("null", new Null(i));
                default:
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        return number();
                    }
                    throw new SyntaxError(i, "expecting a JSON value, got " + describe(i));
            }
        }

        private Value literal(String word, Value v) {
            if (!s.startsWith(word, i) || i + word.length() > end) {
                throw new SyntaxError(i, "invalid literal (expecting '" + word + "')");
            }
            i += word.length();
            return v;
        }

        private Obj object(int depth) {
            int pos = i;
            if (depth > MAX_DEPTH) {
                throw new SyntaxError(pos, "nesting deeper than " + MAX_DEPTH + " levels");
            }
            i++;
            Map<String, Prop> props = new LinkedHashMap<>();
            skipWs();
            if (i < end && s.charAt(i) == '}') {
                i++;
                return new Obj(props, pos);
            }
            while (true) {
                skipWs();
                if (i >= end || s.charAt(i) != '"') {
                    throw new SyntaxError(i, "expecting a property name (string), got " + describe(i));
                }
                int keyPos = i;
                String key = string();
                skipWs();
                if (i >= end || s.charAt(i) != ':') {
                    throw new SyntaxError(i, "expecting ':' after property name, got " + describe(i));
                }
                i++;
                skipWs();
                Value v = value(depth);
                if (props.putIfAbsent(key, new Prop(keyPos, v)) != null) {
                    throw new SyntaxError(keyPos, "duplicate property `" + key + "`");
                }
                skipWs();
                if (i < end && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (i < end && s.charAt(i) == '}') {
                    i++;
                    return new Obj(props, pos);
                }
                throw new SyntaxError(i, "expecting ',' or '}' in object, got " + describe(i));
            }
        }

        private Arr array(int depth) {
            int pos = i;
            if (depth > MAX_DEPTH) {
                throw new SyntaxError(pos, "nesting deeper than " + MAX_DEPTH + " levels");
            }
            i++;
            List<Value> items = new ArrayList<>();
            skipWs();
            if (i < end && s.charAt(i) == ']') {
                i++;
                return new Arr(items, pos);
            }
            while (true) {
                skipWs();
                items.add(value(depth));
                skipWs();
                if (i < end && s.charAt(i) == ',') {
                    i++;
                    continue;
                }
                if (i < end && s.charAt(i) == ']') {
                    i++;
                    return new Arr(items, pos);
                }
                throw new SyntaxError(i, "expecting ',' or ']' in array, got " + describe(i));
            }
        }

        /** Reads a string starting at the opening quote. */
        private String string() {
            int start = ++i;
            // Fast path: no escape.
            while (i < end) {
                char c = s.charAt(i);
                if (c == '"') {
                    return s.substring(start, i++);
                }
                if (c == '\\') {
                    break;
                }
                if (c < 0x20) {
                    throw new SyntaxError(i, "unescaped control character U+" + String.format("%04X", (int) c)
                            + " in string");
                }
                i++;
            }
            StringBuilder b = new StringBuilder(i - start + 16).append(s, start, i);
            while (i < end) {
                char c = s.charAt(i);
                if (c == '"') {
                    i++;
                    return b.toString();
                }
                if (c < 0x20) {
                    throw new SyntaxError(i, "unescaped control character U+" + String.format("%04X", (int) c)
                            + " in string");
                }
                if (c != '\\') {
                    b.append(c);
                    i++;
                    continue;
                }
                int escPos = i;
                if (++i >= end) {
                    break;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case '"' -> b.append('"');
                    case '\\' -> b.append('\\');
                    case '/' -> b.append('/');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'u' -> {
                        char u = hex4(escPos);
                        if (Character.isHighSurrogate(u)) {
                            if (i + 1 < end && s.charAt(i) == '\\' && s.charAt(i + 1) == 'u') {
                                int lowPos = i;
                                i += 2;
                                char lo = hex4(lowPos);
                                if (!Character.isLowSurrogate(lo)) {
                                    throw new SyntaxError(lowPos, "expecting a low surrogate escape");
                                }
                                b.append(u).append(lo);
                            } else {
                                throw new SyntaxError(escPos, "lone high surrogate escape");
                            }
                        } else if (Character.isLowSurrogate(u)) {
                            throw new SyntaxError(escPos, "lone low surrogate escape");
                        } else {
                            b.append(u);
                        }
                    }
                    default -> throw new SyntaxError(escPos, "invalid escape sequence '\\" + e + "'");
                }
            }
            throw new SyntaxError(start - 1, "unterminated string");
        }

        /** Reads the 4 hexadecimal digits of a {@code \\u} escape; {@code i} is on the first digit. */
        private char hex4(int escPos) {
            if (i + 4 > end) {
                throw new SyntaxError(escPos, "truncated \\u escape");
            }
            int v = 0;
            for (int k = 0; k < 4; k++) {
                int d = Character.digit(s.charAt(i + k), 16);
                if (d < 0) {
                    throw new SyntaxError(escPos, "invalid \\u escape (expecting 4 hexadecimal digits)");
                }
                v = (v << 4) | d;
            }
            i += 4;
            return (char) v;
        }

        private Value number() {
            int pos = i;
            boolean neg = false;
            if (s.charAt(i) == '-') {
                neg = true;
                i++;
            }
            int intStart = i;
            if (i >= end || !isDigit(s.charAt(i))) {
                throw new SyntaxError(pos, "invalid number: expecting a digit");
            }
            if (s.charAt(i) == '0') {
                i++;
                if (i < end && isDigit(s.charAt(i))) {
                    throw new SyntaxError(pos, "invalid number: leading zero");
                }
            } else {
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
            }
            int intEnd = i;
            boolean real = false;
            if (i < end && s.charAt(i) == '.') {
                real = true;
                i++;
                if (i >= end || !isDigit(s.charAt(i))) {
                    throw new SyntaxError(pos, "invalid number: expecting a digit after '.'");
                }
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
            }
            if (i < end && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                real = true;
                i++;
                if (i < end && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                if (i >= end || !isDigit(s.charAt(i))) {
                    throw new SyntaxError(pos, "invalid number: expecting a digit in the exponent");
                }
                while (i < end && isDigit(s.charAt(i))) {
                    i++;
                }
            }
            if (real) {
                String t = s.substring(pos, i);
                return new Real(Double.parseDouble(t), t, pos);
            }
            // Integer: accumulate as unsigned 64-bit, detecting overflow.
            long v = 0;
            for (int k = intStart; k < intEnd; k++) {
                int d = s.charAt(k) - '0';
                long hi = Math.multiplyHigh(v, 10) + ((v >> 63) & 10); // unsigned high word of v*10
                long lo = v * 10;
                long sum = lo + d;
                if (hi != 0 || Long.compareUnsigned(sum, lo) < 0) {
                    throw new SyntaxError(pos, "integer " + s.substring(pos, intEnd)
                            + " is out of range [-9223372036854775808, 18446744073709551615]");
                }
                v = sum;
            }
            if (neg) {
                if (Long.compareUnsigned(v, Long.MIN_VALUE) > 0) {
                    throw new SyntaxError(pos, "integer " + s.substring(pos, intEnd)
                            + " is out of range [-9223372036854775808, 18446744073709551615]");
                }
                return new Int(-v, false, pos);
            }
            return new Int(v, v < 0, pos);
        }

        private static boolean isDigit(char c) {
            return c >= '0' && c <= '9';
        }
    }
}
