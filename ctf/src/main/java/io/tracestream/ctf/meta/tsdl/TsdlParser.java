package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.TraceClass;

import java.nio.file.Path;

/**
 * Parses CTF 1.8.3 TSDL metadata text into a {@link TraceClass}.
 *
 * <p>A hand-written lexer and recursive-descent parser build a syntax tree; semantic analysis then applies
 * babeltrace2's rules: root items are visited in the order trace byte order, {@code env}, {@code clock}, root type
 * declarations, {@code trace}, {@code stream}, {@code event} (so {@code byte_order = native} works before the
 * {@code trace} block); field and variant option names lose one leading {@code _}; unmapped timestamp fields are
 * mapped to the only clock (or an implicit 1 GHz clock named {@code default}); arrays and sequences of encoded
 * 8-bit integers become text arrays; well-known fields get their {@link io.tracestream.ctf.meta.IntegerClass.Role}s
 * (the packet header {@code uuid} array's element class carries {@code METADATA_STREAM_UUID}).
 *
 * <p>Sequence lengths and variant tags are resolved to absolute {@link io.tracestream.ctf.meta.FieldPath}s whose
 * names are structure member names only: arrays and variants on the way are crossed transparently ("current
 * element", "selected option"). CTF 1.8 variant options get the ranges of the tag's enumeration mapping of the
 * same (original) name in {@link io.tracestream.ctf.meta.VariantClass.Option#selectorRanges()}.
 *
 * <p>Errors are {@link CtfException}s naming the file, line and column. Input nesting is bounded, so hostile
 * metadata cannot overflow the stack.
 */
public final class TsdlParser {
    private TsdlParser() {
    }

    /**
     * Parses TSDL text.
     *
     * @param text the metadata text (a {@code /* CTF 1.8 *}{@code /} header is optional)
     * @param file the file the text comes from, for error messages (may be null)
     * @throws CtfException on a syntax or semantic error
     */
    public static TraceClass parse(String text, Path file) {
        Ast.Root root = Parser.parse(text, file);
        try {
            return new Analyzer(file).analyze(root);
        } catch (IllegalArgumentException | ArithmeticException e) {
            // a model invariant the analysis did not anticipate: still an error about this metadata
            throw CtfException.inMetadata(file, 1, 1, "invalid metadata: " + e.getMessage());
        }
    }
}
