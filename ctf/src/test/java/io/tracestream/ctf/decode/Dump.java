package io.tracestream.ctf.decode;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Flattens decoded messages and fields into comparable text lines. */
final class Dump implements FieldVisitor {
    final List<String> out;

    Dump(List<String> out) {
        this.out = out;
    }

    /** True right after a variant begins: its option is named after the option, which yactfr does not show. */
    private boolean option;

    private String n(String name) {
        if (option) {
            option = false;
            return "";
        }
        return name == null ? "" : name + ":";
    }

    @Override
    public void integer(String name, IntegerClass type, long value) {
        if (type.kind() == IntegerClass.Kind.BOOLEAN) {
            out.add("FLB:" + n(name) + (value != 0));
            return;
        }
        out.add((type.signed() ? "FLSI:" : "FLUI:") + n(name)
                + (type.signed() ? Long.toString(value) : Long.toUnsignedString(value)));
    }

    @Override
    public void floating(String name, FloatClass type, double value) {
        out.add("FLFPN:" + n(name) + value);
    }

    @Override
    public void string(String name, FieldClass type, String value) {
        out.add("STR:" + n(name) + value);
    }

    @Override
    public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
        out.add("BLOB:" + n(name) + HexFormat.of().formatHex(bytes, offset, offset + length));
    }

    @Override
    public void beginArray(String name, ArrayClass type, long length) {
        out.add("ARR:" + n(name) + length);
    }

    @Override
    public void beginVariant(String name, VariantClass type, int optionIndex) {
        out.add("VAR:" + n(name) + optionIndex);
        option = true;
    }

    @Override
    public void beginOptional(String name, OptionalClass type, boolean present) {
        out.add("OPT:" + n(name) + present);
        option = present;
    }

    @Override
    public void beginStruct(String name, StructClass type) {
        n(name);
    }

    /** Every message of a cursor, with all fields. */
    static List<String> messages(MessageCursor c, boolean fields) {
        List<String> out = new ArrayList<>();
        Dump d = new Dump(out);
        while (c.next()) {
            StringBuilder sb = new StringBuilder(c.type().name()).append(" t=").append(c.timeCycles());
            switch (c.type()) {
                case DISCARDED_EVENTS, DISCARDED_PACKETS -> sb.append(" count=").append(c.discarded().count())
                        .append(" [").append(c.discarded().beginCycles()).append(", ")
                        .append(c.discarded().endCycles()).append(']');
                case EVENT -> sb.append(' ').append(c.event().name());
                default -> { }
            }
            out.add(sb.toString());
            if (fields && c.type() == io.tracestream.ctf.MessageType.PACKET_BEGINNING) {
                c.packet().accept(Scope.PACKET_HEADER, d);
                c.packet().accept(Scope.PACKET_CONTEXT, d);
            }
            if (fields && c.type() == io.tracestream.ctf.MessageType.EVENT) {
                EventRecord e = c.event();
                for (Scope s : List.of(Scope.EVENT_HEADER, Scope.EVENT_COMMON_CONTEXT, Scope.EVENT_SPECIFIC_CONTEXT,
                        Scope.EVENT_PAYLOAD)) {
                    e.accept(s, d);
                }
            }
        }
        return out;
    }
}
