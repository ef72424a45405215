package io.tracestream.ftrace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The record layout of one ftrace event, parsed from its tracefs {@code events/GROUP/NAME/format} file:
 * <pre>
 * name: sched_switch
 * ID: 372
 * format:
 * 	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
 * 	...
 * 	field:char prev_comm[16];	offset:8;	size:16;	signed:0;
 * 	field:__data_loc char[] name;	offset:8;	size:4;	signed:0;
 * </pre>
 * Offsets are from the start of the event's data (after the ring buffer's record header).
 */
final class EventFormat {

    /** How a field's bytes are stored. */
    enum Kind {
        /** An integer of {@link Field#size} bytes (1, 2, 4 or 8). */
        INTEGER,
        /** A fixed-size character array ({@code char name[16]}), NUL-padded. */
        CHAR_ARRAY,
        /** A fixed-size array of integers ({@code unsigned long args[6]}). */
        INT_ARRAY,
        /**
         * Dynamic data ({@code __data_loc TYPE[] name}): a 32-bit word, low 16 bits the offset from the data start,
         * high 16 bits the length in bytes.
         */
        DATA_LOC,
        /** Like {@link #DATA_LOC} but the offset is relative to the end of the field ({@code __rel_loc}). */
        REL_LOC,
        /** Anything else (kept as raw bytes). */
        OTHER
    }

    /**
     * One field.
     *
     * @param type     the C type as written, without the array suffix (e.g. {@code unsigned long}, {@code char})
     * @param name     the field name
     * @param offset   byte offset from the start of the event data
     * @param size     size in bytes (the whole array for arrays; 4 for {@code __data_loc})
     * @param signed   whether the format says {@code signed:1}
     * @param kind     how the bytes are stored
     * @param elements the element count of a fixed-size array, else 0
     * @param elementType the element C type of a dynamic array ({@code char} for strings), else null
     */
    record Field(String type, String name, int offset, int size, boolean signed, Kind kind, int elements,
                 String elementType) {

        /** Whether this is a string: a char array or a dynamic char array. */
        boolean isString() {
            return kind == Kind.CHAR_ARRAY || ((kind == Kind.DATA_LOC || kind == Kind.REL_LOC)
                    && "char".equals(elementType));
        }

        /** Whether the C type is a pointer. */
        boolean isPointer() {
            return type.endsWith("*");
        }
    }

    final String system;
    final String name;
    final int id;
    /** Common fields ({@code common_type}, {@code common_pid}, ...), then the event's own. */
    final List<Field> commonFields;
    final List<Field> fields;

    EventFormat(String system, String name, int id, List<Field> commonFields, List<Field> fields) {
        this.system = system;
        this.name = name;
        this.id = id;
        this.commonFields = Collections.unmodifiableList(commonFields);
        this.fields = Collections.unmodifiableList(fields);
    }

    /** The field called {@code name} (common or own), or null. */
    Field field(String fieldName) {
        for (Field f : fields) {
            if (f.name.equals(fieldName)) {
                return f;
            }
        }
        for (Field f : commonFields) {
            if (f.name.equals(fieldName)) {
                return f;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return system + "/" + name + " (id " + id + ")";
    }

    /**
     * Parses a format file.
     *
     * @param system the event's group (the directory above it), e.g. {@code sched}
     * @param text the file's content
     * @param source where the text came from, for error messages
     * @throws FtraceException when a line cannot be read
     */
    static EventFormat parse(String system, String text, String source) {
        String name = null;
        int id = -1;
        List<Field> common = new ArrayList<>();
        List<Field> own = new ArrayList<>();
        boolean inFormat = false;
        boolean afterBlank = false;
        String[] lines = text.split("\n", -1);
        for (int ln = 0; ln < lines.length; ln++) {
            String line = lines[ln];
            String t = line.trim();
            if (t.startsWith("name:") && !inFormat) {
                name = t.substring(5).trim();
            } else if (t.startsWith("ID:") && !inFormat) {
                try {
                    id = Integer.parseInt(t.substring(3).trim());
                } catch (NumberFormatException e) {
                    throw new FtraceException(source + ": line " + (ln + 1) + ": bad event id '" + t + "'");
                }
            } else if (t.equals("format:")) {
                inFormat = true;
            } else if (inFormat && t.isEmpty()) {
                afterBlank = true;
            } else if (inFormat && t.startsWith("field:")) {
                Field f = parseField(t, source, ln + 1);
                (afterBlank || !f.name.startsWith("common_") ? own : common).add(f);
            } else if (t.startsWith("print fmt:")) {
                break;
            }
        }
        if (name == null || id < 0) {
            throw new FtraceException(source + ": not an ftrace event format (no name or ID line)");
        }
        return new EventFormat(system, name, id, common, own);
    }

    /** {@code field:TYPE NAME[N];	offset:O;	size:S;	signed:G;} */
    private static Field parseField(String line, String source, int lineNo) {
        String[] parts = line.split(";");
        if (parts.length < 4) {
            throw new FtraceException(source + ": line " + lineNo + ": bad field line '" + line + "'");
        }
        String decl = parts[0].substring("field:".length()).trim();
        int offset = intAttribute(parts, "offset:", source, lineNo);
        int size = intAttribute(parts, "size:", source, lineNo);
        int signed = intAttribute(parts, "signed:", source, lineNo);

        Kind kind = Kind.INTEGER;
        int elements = 0;
        String elementType = null;
        String type;
        String fieldName;
        // split "TYPE NAME" at the last space (the name may carry an array suffix "[16]")
        int sp = decl.lastIndexOf(' ');
        if (sp < 0) {
            throw new FtraceException(source + ": line " + lineNo + ": bad field declaration '" + decl + "'");
        }
        type = decl.substring(0, sp).trim();
        fieldName = decl.substring(sp + 1).trim();
        if (fieldName.startsWith("*")) { // "char *buf" written without space after '*'
            type = type + " *";
            fieldName = fieldName.substring(1);
        }
        int bracket = fieldName.indexOf('[');
        if (type.startsWith("__data_loc ") || type.startsWith("__rel_loc ")) {
            kind = type.startsWith("__data_loc ") ? Kind.DATA_LOC : Kind.REL_LOC;
            String inner = type.substring(type.indexOf(' ') + 1).trim();
            elementType = inner.endsWith("[]") ? inner.substring(0, inner.length() - 2).trim() : inner;
            if (bracket >= 0) {
                fieldName = fieldName.substring(0, bracket);
            }
        } else if (bracket >= 0) {
            String count = fieldName.substring(bracket + 1, fieldName.indexOf(']', bracket));
            fieldName = fieldName.substring(0, bracket);
            String base = type.toLowerCase(Locale.ROOT);
            boolean charType = base.equals("char") || base.equals("unsigned char") || base.equals("signed char")
                    || base.equals("u8") || base.equals("__u8");
            try {
                elements = count.isEmpty() ? 0 : Integer.parseInt(count.trim());
            } catch (NumberFormatException e) {
                elements = 0; // e.g. [TASK_COMM_LEN] unexpanded: fall back to the byte size
            }
            if (charType && base.equals("char")) {
                kind = Kind.CHAR_ARRAY;
                elements = size;
            } else if (elements > 0 && size % elements == 0 && isPow2Int(size / elements)) {
                kind = Kind.INT_ARRAY;
            } else {
                kind = Kind.OTHER;
            }
        } else if (!(size == 1 || size == 2 || size == 4 || size == 8)) {
            kind = Kind.OTHER;
        }
        return new Field(type, fieldName, offset, size, signed != 0, kind, elements, elementType);
    }

    private static boolean isPow2Int(int n) {
        return n == 1 || n == 2 || n == 4 || n == 8;
    }

    private static int intAttribute(String[] parts, String key, String source, int lineNo) {
        for (String p : parts) {
            String t = p.trim();
            if (t.startsWith(key)) {
                try {
                    return Integer.parseInt(t.substring(key.length()).trim());
                } catch (NumberFormatException e) {
                    break;
                }
            }
        }
        throw new FtraceException(source + ": line " + lineNo + ": no valid '" + key + "' in field line");
    }
}
