package io.tracestream.ctf.decode;

import io.tracestream.ctf.FieldVisitor;
import io.tracestream.ctf.meta.FieldClass;

/**
 * A {@link FieldVisitor} that takes UTF-8 text fields (strings and text arrays) as the bytes of the packet instead
 * of decoded {@link String}s, so that a printer can copy them without decoding and re-encoding each one. Records
 * read by this package call {@link #utf8} for UTF-8 text whose bytes are in an array; other text still goes to
 * {@link #string}.
 */
public interface Utf8FieldVisitor extends FieldVisitor {
    /**
     * A UTF-8 text field: {@code length} bytes of {@code bytes} from {@code offset}, up to (excluding) its first NUL
     * byte; the bytes are as the trace has them (not validated). Only valid during the call.
     */
    void utf8(String name, FieldClass type, byte[] bytes, int offset, int length);
}
