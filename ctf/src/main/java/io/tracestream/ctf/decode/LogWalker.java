package io.tracestream.ctf.decode;

import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a value log (see {@link Program}) back with the field classes that produced it. */
final class LogWalker {
    private LogWalker() {
    }

    /** Number of log entries a field of this class always takes, or -1 when it varies. */
    static int staticLogCount(FieldClass fc) {
        if (fc instanceof IntegerClass || fc instanceof FloatClass || fc instanceof StringClass
                || fc instanceof BlobClass) {
            return 1;
        }
        if (fc instanceof StructClass st) {
            long sum = 0;
            for (int mi = 0, mn = st.memberCount(); mi < mn; mi++) {
                StructClass.Member m = st.member(mi);
                int c = staticLogCount(m.type());
                if (c < 0) {
                    return -1;
                }
                sum += c;
            }
            return sum > Integer.MAX_VALUE ? -1 : (int) sum;
        }
        if (fc instanceof ArrayClass ac) {
            if (Compiler.byteText(ac)) {
                return 1;
            }
            int c = staticLogCount(ac.elementType());
            if (c == 0) {
                return 1;
            }
            if (c < 0 || !ac.isStaticLength()) {
                return -1;
            }
            long t = 1 + (long) c * ac.staticLength();
            return t > Integer.MAX_VALUE ? -1 : (int) t;
        }
        if (fc instanceof VariantClass vc) {
            int c = -2;
            for (VariantClass.Option o : vc.options()) {
                int oc = staticLogCount(o.type());
                if (oc < 0 || (c != -2 && c != oc)) {
                    return -1;
                }
                c = oc;
            }
            return c < 0 ? 1 : 1 + c;
        }
        if (fc instanceof OptionalClass oc) {
            return staticLogCount(oc.type()) == 0 ? 1 : -1;
        }
        return -1;
    }

    /** Index after the field starting at log index {@code i}. */
    static int skip(FieldClass fc, long[] log, int i) {
        if (fc instanceof IntegerClass || fc instanceof FloatClass || fc instanceof StringClass
                || fc instanceof BlobClass) {
            return i + 1;
        }
        if (fc instanceof StructClass st) {
            for (int mi = 0, mn = st.memberCount(); mi < mn; mi++) {
                StructClass.Member m = st.member(mi);
                i = skip(m.type(), log, i);
            }
            return i;
        }
        if (fc instanceof ArrayClass ac) {
            if (Compiler.byteText(ac)) {
                return i + 1;
            }
            long count = log[i++];
            FieldClass e = ac.elementType();
            int c = staticLogCount(e);
            if (c >= 0) {
                return (int) (i + c * count);
            }
            for (long k = 0; k < count; k++) {
                i = skip(e, log, i);
            }
            return i;
        }
        if (fc instanceof VariantClass vc) {
            int opt = (int) log[i++];
            return skip(vc.options().get(opt).type(), log, i);
        }
        if (fc instanceof OptionalClass oc) {
            return log[i++] != 0 ? skip(oc.type(), log, i) : i;
        }
        throw new IllegalStateException();
    }

    static double toDouble(FloatClass f, long bits) {
        return f.length() == 32 ? Float.intBitsToFloat((int) bits) : Double.longBitsToDouble(bits);
    }

    static byte[] bytes(ByteBuffer buf, long entry) {
        int off = (int) (entry >>> 32);
        int len = (int) entry;
        byte[] a = new byte[len];
        buf.get(off, a, 0, len);
        return a;
    }

    /** Text of a string field: stops at the first NUL code unit, like babeltrace2. */
    static String text(ByteBuffer buf, long entry, StringClass.Encoding enc) {
        int off = (int) (entry >>> 32);
        int len = (int) entry;
        int unit = 1;
        Charset cs = StandardCharsets.UTF_8;
        if (enc != null) {
            switch (enc) {
                case UTF16BE -> { unit = 2; cs = StandardCharsets.UTF_16BE; }
                case UTF16LE -> { unit = 2; cs = StandardCharsets.UTF_16LE; }
                case UTF32BE -> { unit = 4; cs = Charset.forName("UTF-32BE"); }
                case UTF32LE -> { unit = 4; cs = Charset.forName("UTF-32LE"); }
                default -> { }
            }
        }
        if (unit == 1) {
            int z = Machine.findNul(buf, off, off + len);
            if (z >= 0) {
                len = z - off;
            }
        } else {
            int k = 0;
            outer:
            for (; k + unit <= len; k += unit) {
                for (int j = 0; j < unit; j++) {
                    if (buf.get(off + k + j) != 0) {
                        continue outer;
                    }
                }
                break;
            }
            len = k;
        }
        byte[] a = new byte[len];
        buf.get(off, a, 0, len);
        if (unit == 1) {
            boolean ascii = true;
            for (byte x : a) {
                if (x < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return new String(a, StandardCharsets.ISO_8859_1);
            }
        }
        return new String(a, cs);
    }

    /** Hands the bytes of a UTF-8 text entry, up to its first NUL, to {@code u}. */
    private static void utf8(Utf8FieldVisitor u, String name, FieldClass fc, ByteBuffer buf, long entry) {
        int off = (int) (entry >>> 32);
        int len = (int) entry;
        int z = Machine.findNul(buf, off, off + len);
        if (z >= 0) {
            len = z - off;
        }
        u.utf8(name, fc, buf.array(), buf.arrayOffset() + off, len);
    }

    static StringClass.Encoding encodingOf(FieldClass fc) {
        return fc instanceof StringClass s ? s.encoding() : StringClass.Encoding.UTF8;
    }

    /** Walks the field at log index {@code i} into {@code v}; returns the index after it. */
    static int walk(FieldClass fc, String name, long[] log, int i, ByteBuffer buf, FieldVisitor v) {
        if (fc instanceof IntegerClass ic) {
            v.integer(name, ic, log[i]);
            return i + 1;
        }
        if (fc instanceof FloatClass f) {
            v.floating(name, f, toDouble(f, log[i]));
            return i + 1;
        }
        if (fc instanceof StringClass s) {
            StringClass.Encoding enc = s.encoding();
            if (v instanceof Utf8FieldVisitor u && (enc == null || enc == StringClass.Encoding.UTF8)
                    && buf.hasArray()) {
                utf8(u, name, s, buf, log[i]);
            } else {
                v.string(name, s, text(buf, log[i], enc));
            }
            return i + 1;
        }
        if (fc instanceof BlobClass b) {
            byte[] a = bytes(buf, log[i]);
            v.blob(name, b, a, 0, a.length);
            return i + 1;
        }
        if (fc instanceof StructClass st) {
            v.beginStruct(name, st);
            for (int mi = 0, mn = st.memberCount(); mi < mn; mi++) {
                StructClass.Member m = st.member(mi);
                FieldClass t = m.type();
                if (t instanceof IntegerClass ic) {
                    v.integer(m.name(), ic, log[i++]); // the common member, without a recursive call
                } else {
                    i = walk(t, m.name(), log, i, buf, v);
                }
            }
            v.endStruct(name, st);
            return i;
        }
        if (fc instanceof ArrayClass ac) {
            if (Compiler.byteText(ac)) {
                if (v instanceof Utf8FieldVisitor u && buf.hasArray()) {
                    utf8(u, name, ac, buf, log[i]);
                } else {
                    v.string(name, ac, text(buf, log[i], StringClass.Encoding.UTF8));
                }
                return i + 1;
            }
            long count = log[i++];
            if (ac.isText()) {
                StringBuilder sb = new StringBuilder();
                byte[] chars = new byte[(int) count];
                int len = 0;
                for (long k = 0; k < count; k++) {
                    byte c = (byte) log[i++];
                    if (c == 0) {
                        i += (int) (count - k - 1);
                        break;
                    }
                    chars[len++] = c;
                }
                sb.append(new String(chars, 0, len, StandardCharsets.UTF_8));
                v.string(name, ac, sb.toString());
                return i;
            }
            v.beginArray(name, ac, count);
            FieldClass e = ac.elementType();
            if (e instanceof IntegerClass ic) {
                for (long k = 0; k < count; k++) {
                    v.integer(null, ic, log[i++]);
                }
            } else {
                for (long k = 0; k < count; k++) {
                    i = walk(e, null, log, i, buf, v);
                }
            }
            v.endArray(name, ac);
            return i;
        }
        if (fc instanceof VariantClass vc) {
            int opt = (int) log[i++];
            v.beginVariant(name, vc, opt);
            VariantClass.Option o = vc.options().get(opt);
            i = walk(o.type(), o.name(), log, i, buf, v);
            v.endVariant(name, vc);
            return i;
        }
        if (fc instanceof OptionalClass oc) {
            boolean present = log[i++] != 0;
            v.beginOptional(name, oc, present);
            if (present) {
                i = walk(oc.type(), name, log, i, buf, v);
            }
            v.endOptional(name, oc);
            return i;
        }
        throw new IllegalStateException();
    }

    /** The field at log index {@code i} as a Java object (Long, Double, String, byte[], List, Map or null). */
    static Object toObject(FieldClass fc, long[] log, int i, ByteBuffer buf) {
        ObjectBuilder b = new ObjectBuilder();
        walk(fc, null, log, i, buf, b);
        return b.result;
    }

    /** Builds nested Java objects from a walk. */
    private static final class ObjectBuilder implements FieldVisitor {
        private final List<Object> stack = new ArrayList<>();
        private final List<String> names = new ArrayList<>();
        Object result;

        private void put(String name, Object value) {
            if (stack.isEmpty()) {
                result = value;
                return;
            }
            Object top = stack.get(stack.size() - 1);
            if (top instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, Object> mm = (Map<String, Object>) m;
                mm.put(name, value);
            } else if (top instanceof List<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> ll = (List<Object>) l;
                ll.add(value);
            } else {
                // variant/optional holder
                stack.set(stack.size() - 1, new Holder(value));
            }
        }

        @Override
        public void integer(String name, IntegerClass type, long value) {
            put(name, value);
        }

        @Override
        public void floating(String name, FloatClass type, double value) {
            put(name, value);
        }

        @Override
        public void string(String name, FieldClass type, String value) {
            put(name, value);
        }

        @Override
        public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
            byte[] a = new byte[length];
            System.arraycopy(bytes, offset, a, 0, length);
            put(name, a);
        }

        @Override
        public void beginStruct(String name, StructClass type) {
            stack.add(new LinkedHashMap<String, Object>());
            names.add(name);
        }

        @Override
        public void endStruct(String name, StructClass type) {
            end();
        }

        @Override
        public void beginArray(String name, ArrayClass type, long length) {
            stack.add(new ArrayList<>());
            names.add(name);
        }

        @Override
        public void endArray(String name, ArrayClass type) {
            end();
        }

        @Override
        public void beginVariant(String name, VariantClass type, int optionIndex) {
            stack.add(new Holder(null));
            names.add(name);
        }

        @Override
        public void endVariant(String name, VariantClass type) {
            end();
        }

        @Override
        public void beginOptional(String name, OptionalClass type, boolean present) {
            stack.add(new Holder(null));
            names.add(name);
        }

        @Override
        public void endOptional(String name, OptionalClass type) {
            end();
        }

        private void end() {
            Object v = stack.remove(stack.size() - 1);
            String n = names.remove(names.size() - 1);
            put(n, v instanceof Holder h ? h.value : v);
        }

        private record Holder(Object value) {
        }
    }
}
