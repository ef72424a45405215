package io.tracestream.ctf.decode;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The obviously-correct decoder: walks the field classes directly, reads one bit at a time, resolves lengths and
 * selectors by looking up the last value decoded at a path, and allocates freely. Produces the same lines as
 * {@link Dump} so that the compiled decoder can be checked against it.
 */
final class ReferenceDecoder {
    private final TraceClass tc;
    private final boolean ctf2;
    private byte[] data;
    private long pos;
    private long end;
    private final Map<String, Long> values = new HashMap<>();
    private final Map<String, Boolean> signs = new HashMap<>();
    private final List<String> out = new ArrayList<>();
    private boolean option;

    ReferenceDecoder(TraceClass tc) {
        this.tc = tc;
        this.ctf2 = tc.ctfMajor() >= 2;
    }

    /** Decodes a whole stream file: every packet's header and context fields, then each event and its fields. */
    List<String> decodeStream(byte[] bytes) {
        data = bytes;
        long off = 0;
        while (off < (long) bytes.length * 8) {
            pos = off;
            end = (long) bytes.length * 8;
            values.clear();
            signs.clear();
            roles.clear();
            lastBo = null;
            out.add("PACKET");
            if (tc.packetHeader() != null) {
                field(tc.packetHeader(), null, Scope.PACKET_HEADER, new ArrayList<>(), off);
            }
            Long scId = values.get(Scope.PACKET_HEADER + "/stream_id");
            if (ctf2) {
                scId = roleValue(IntegerClass.Role.DATA_STREAM_CLASS_ID);
            }
            StreamClass sc = scId != null ? tc.streamClass(scId)
                    : tc.streamClasses().size() == 1 ? tc.streamClasses().iterator().next() : tc.streamClass(0);
            if (sc == null) {
                throw new CtfException("reference: no stream class");
            }
            if (sc.packetContext() != null) {
                field(sc.packetContext(), null, Scope.PACKET_CONTEXT, new ArrayList<>(), off);
            }
            Long total = ctf2 ? roleValue(IntegerClass.Role.PACKET_TOTAL_LENGTH)
                    : values.get(Scope.PACKET_CONTEXT + "/packet_size");
            Long content = ctf2 ? roleValue(IntegerClass.Role.PACKET_CONTENT_LENGTH)
                    : values.get(Scope.PACKET_CONTEXT + "/content_size");
            if (total == null) {
                total = content != null ? content : (long) bytes.length * 8 - off;
            }
            if (content == null) {
                content = total;
            }
            if (total > (long) bytes.length * 8 - off) {
                throw new CtfException("reference: packet beyond the end of the file");
            }
            end = off + content;
            while (pos < end) {
                long evStart = pos;
                if (out.size() > 1_000_000) {
                    throw new CtfException("reference: too much output");
                }
                roles.remove(IntegerClass.Role.EVENT_RECORD_CLASS_ID);
                lastId = null;
                if (sc.eventHeader() != null) {
                    field(sc.eventHeader(), null, Scope.EVENT_HEADER, new ArrayList<>(), off);
                }
                Long id = ctf2 ? roleValue(IntegerClass.Role.EVENT_RECORD_CLASS_ID) : lastId;
                EventClass ec = id != null ? sc.eventClass(id)
                        : sc.eventClasses().size() == 1 ? sc.eventClasses().iterator().next() : sc.eventClass(0);
                if (ec == null) {
                    throw new CtfException("reference: unknown event class " + id);
                }
                out.add("EVENT " + ec.name());
                if (sc.eventCommonContext() != null) {
                    field(sc.eventCommonContext(), null, Scope.EVENT_COMMON_CONTEXT, new ArrayList<>(), off);
                }
                if (ec.specificContext() != null) {
                    field(ec.specificContext(), null, Scope.EVENT_SPECIFIC_CONTEXT, new ArrayList<>(), off);
                }
                if (ec.payload() != null) {
                    field(ec.payload(), null, Scope.EVENT_PAYLOAD, new ArrayList<>(), off);
                }
                if (pos == evStart) {
                    throw new CtfException("reference: event of zero bits");
                }
            }
            off += total;
        }
        return out;
    }

    private final Map<IntegerClass.Role, Long> roles = new HashMap<>();
    private Long lastId;

    private Long roleValue(IntegerClass.Role r) {
        return roles.get(r);
    }

    /** What was decoded so far (also after a failure). */
    List<String> output() {
        return out;
    }

    private String n(String name) {
        if (option) {
            option = false;
            return "";
        }
        return name == null ? "" : name + ":";
    }

    private int bit(long p) {
        if (p >= end) {
            throw new CtfException("reference: beyond content at bit " + p);
        }
        int b = data[(int) (p >>> 3)] & 0xff;
        return (b >>> (int) (p & 7)) & 1;
    }

    private int bitBe(long p) {
        if (p >= end) {
            throw new CtfException("reference: beyond content at bit " + p);
        }
        int b = data[(int) (p >>> 3)] & 0xff;
        return (b >>> (7 - (int) (p & 7))) & 1;
    }

    private void align(long a, long base) {
        long rel = pos - base;
        pos = base + (rel + a - 1) / a * a;
        if (pos > end) {
            throw new CtfException("reference: alignment beyond content");
        }
    }

    private ByteOrder lastBo;

    private long readInt(int len, ByteOrder bo) {
        if ((pos & 7) != 0 && lastBo != null && lastBo != bo) {
            throw new CtfException("reference: byte order change within a byte");
        }
        lastBo = bo;
        long v = 0;
        if (bo == ByteOrder.LITTLE_ENDIAN) {
            for (int i = 0; i < len; i++) {
                v |= (long) bit(pos + i) << i;
            }
        } else {
            for (int i = 0; i < len; i++) {
                v = v << 1 | bitBe(pos + i);
            }
        }
        pos += len;
        return v;
    }

    private String key(Scope s, List<String> names) {
        return s + "/" + String.join("/", names);
    }

    private long lookup(FieldPath fp) {
        Long v = values.get(key(fp.scope(), fp.names()));
        if (v == null) {
            throw new CtfException("reference: no value at " + fp);
        }
        return v;
    }

    private void field(FieldClass fc, String name, Scope scope, List<String> path, long base) {
        if (fc instanceof IntegerClass ic) {
            align(ic.alignment(), base);
            long v;
            if (ic.variableLength()) {
                v = 0;
                int shift = 0;
                int x;
                do {
                    x = (int) readInt(8, ByteOrder.LITTLE_ENDIAN);
                    if (shift < 64) {
                        v |= (long) (x & 0x7f) << shift;
                    }
                    shift += 7;
                } while ((x & 0x80) != 0);
                if (ic.signed() && shift < 64) {
                    v = v << (64 - shift) >> (64 - shift);
                }
            } else {
                v = readInt(ic.length(), ic.byteOrder());
                if (ic.lsbFirst() != (ic.byteOrder() == ByteOrder.LITTLE_ENDIAN)) {
                    v = Long.reverse(v) >>> (64 - ic.length());
                }
                if (ic.signed() && ic.length() < 64) {
                    v = v << (64 - ic.length()) >> (64 - ic.length());
                }
            }
            values.put(key(scope, path), v);
            signs.put(key(scope, path), ic.signed());
            for (IntegerClass.Role r : ic.roles()) {
                roles.put(r, v);
            }
            if (scope == Scope.EVENT_HEADER && "id".equals(name)) {
                lastId = v;
            }
            if (ic.kind() == IntegerClass.Kind.BOOLEAN) {
                out.add("FLB:" + n(name) + (v != 0));
            } else {
                out.add((ic.signed() ? "FLSI:" : "FLUI:") + n(name)
                        + (ic.signed() ? Long.toString(v) : Long.toUnsignedString(v)));
            }
        } else if (fc instanceof FloatClass f) {
            align(f.alignment(), base);
            long v = readInt(f.length(), f.byteOrder());
            double d = f.length() == 32 ? Float.intBitsToFloat((int) v) : Double.longBitsToDouble(v);
            out.add("FLFPN:" + n(name) + d);
        } else if (fc instanceof StringClass s) {
            align(8, base);
            Charset cs = switch (s.encoding()) {
                case UTF16BE -> StandardCharsets.UTF_16BE;
                case UTF16LE -> StandardCharsets.UTF_16LE;
                case UTF32BE -> Charset.forName("UTF-32BE");
                case UTF32LE -> Charset.forName("UTF-32LE");
                default -> StandardCharsets.UTF_8;
            };
            int unit = switch (s.encoding()) {
                case UTF16BE, UTF16LE -> 2;
                case UTF32BE, UTF32LE -> 4;
                default -> 1;
            };
            byte[] bytes;
            if (s.kind() == StringClass.Kind.NULL_TERMINATED) {
                List<Byte> acc = new ArrayList<>();
                while (true) {
                    boolean zero = true;
                    for (int k = 0; k < unit; k++) {
                        byte b = (byte) readInt(8, ByteOrder.LITTLE_ENDIAN);
                        acc.add(b);
                        zero &= b == 0;
                    }
                    if (zero) {
                        break;
                    }
                }
                bytes = new byte[acc.size()];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = acc.get(i);
                }
            } else {
                long len = s.kind() == StringClass.Kind.STATIC_LENGTH ? s.staticLength() : lookup(s.lengthPath());
                bytes = readBytes(len);
            }
            out.add("STR:" + n(name) + cut(new String(bytes, cs)));
        } else if (fc instanceof BlobClass b) {
            align(8, base);
            long len = b.isStaticLength() ? b.staticLength() : lookup(b.lengthPath());
            out.add("BLOB:" + n(name) + HexFormat.of().formatHex(readBytes(len)));
        } else if (fc instanceof StructClass st) {
            n(name);
            align(st.alignment(), base);
            for (StructClass.Member m : st.members()) {
                path.add(m.name());
                field(m.type(), m.name(), scope, path, base);
                path.remove(path.size() - 1);
            }
        } else if (fc instanceof ArrayClass ac) {
            align(ac.alignment(), base);
            long len = ac.isStaticLength() ? ac.staticLength() : lookup(ac.lengthPath());
            if (ac.isText()) {
                String pre = n(name);
                byte[] bytes = new byte[(int) len];
                for (int i = 0; i < len; i++) {
                    IntegerClass e = (IntegerClass) ac.elementType();
                    align(e.alignment(), base);
                    bytes[i] = (byte) readInt(8, e.byteOrder());
                }
                out.add("STR:" + pre + cut(new String(bytes, StandardCharsets.UTF_8)));
                return;
            }
            out.add("ARR:" + n(name) + len);
            for (long i = 0; i < len; i++) {
                field(ac.elementType(), null, scope, path, base);
            }
        } else if (fc instanceof VariantClass vc) {
            long sel = lookup(vc.selectorPath());
            boolean signed = signs.get(key(vc.selectorPath().scope(), vc.selectorPath().names()));
            int chosen = -1;
            for (int i = 0; i < vc.options().size() && chosen < 0; i++) {
                for (IntegerClass.Range r : vc.options().get(i).selectorRanges()) {
                    if (r.contains(sel, signed)) {
                        chosen = i;
                        break;
                    }
                }
            }
            if (chosen < 0) {
                throw new CtfException("reference: no option for " + sel);
            }
            out.add("VAR:" + n(name) + chosen);
            option = true;
            VariantClass.Option o = vc.options().get(chosen);
            field(o.type(), o.name(), scope, path, base);
        } else if (fc instanceof OptionalClass oc) {
            long sel = lookup(oc.selectorPath());
            boolean signed = Boolean.TRUE.equals(signs.get(key(oc.selectorPath().scope(), oc.selectorPath().names())));
            boolean present = oc.selectorRanges().isEmpty() ? sel != 0
                    : oc.selectorRanges().stream().anyMatch(r -> r.contains(sel, signed));
            out.add("OPT:" + n(name) + present);
            option = present;
            if (present) {
                field(oc.type(), name, scope, path, base);
            }
        }
    }

    private byte[] readBytes(long len) {
        if (len < 0 || pos + len * 8 > end) {
            throw new CtfException("reference: bytes beyond content");
        }
        byte[] b = new byte[(int) len];
        for (int i = 0; i < len; i++) {
            b[i] = (byte) readInt(8, ByteOrder.LITTLE_ENDIAN);
        }
        return b;
    }

    private static String cut(String s) {
        int z = s.indexOf('\0');
        return z >= 0 ? s.substring(0, z) : s;
    }
}
