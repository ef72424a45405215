package io.tracestream.ctf;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;

/**
 * Receives the fields of one scope (a packet header, an event payload, ...) in order, depth first.
 *
 * <p>{@code name} is the member or option name for struct members and variant options, and null for array
 * elements and for the root structure. Values are only valid during the call: copy what you keep. All methods have
 * empty defaults so a visitor implements only what it needs.
 */
public interface FieldVisitor {

    /**
     * An integer, boolean or bit-array field. {@code value} holds the raw bits: sign-extended for signed classes,
     * zero-extended (read as unsigned 64-bit) for unsigned ones.
     */
    default void integer(String name, IntegerClass type, long value) {
    }

    /** A floating point field (32-bit values are widened). */
    default void floating(String name, FloatClass type, double value) {
    }

    /**
     * A string field: a {@link io.tracestream.ctf.meta.StringClass} or a text {@link ArrayClass}
     * ({@link ArrayClass#isText()}), already decoded to Java text.
     */
    default void string(String name, FieldClass type, String value) {
    }

    /** A BLOB field; {@code bytes[offset, offset+length)} are its bytes. */
    default void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
    }

    default void beginStruct(String name, StructClass type) {
    }

    default void endStruct(String name, StructClass type) {
    }

    /** Start of a (non-text) array or sequence of {@code length} elements. */
    default void beginArray(String name, ArrayClass type, long length) {
    }

    default void endArray(String name, ArrayClass type) {
    }

    /** Start of a variant; the selected option follows as one field named after the option. */
    default void beginVariant(String name, VariantClass type, int optionIndex) {
    }

    default void endVariant(String name, VariantClass type) {
    }

    /** Start of an optional field; when {@code present}, the field follows (named {@code name} too). */
    default void beginOptional(String name, OptionalClass type, boolean present) {
    }

    default void endOptional(String name, OptionalClass type) {
    }
}
