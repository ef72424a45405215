package io.tracestream.ctf.meta.tsdl;

import java.util.List;

/** The TSDL syntax tree produced by {@link Parser}: type specifiers, declarations, values and root blocks. */
final class Ast {
    private Ast() {
    }

    /** A source position (1-based). */
    record Pos(int line, int col) {
    }

    // ---- values -------------------------------------------------------------------------------------------------

    /** The right side of an {@code name = value;} attribute, an array length or an enumerator value. */
    sealed interface Value permits IntLit, StrLit, IdPath {
        Pos pos();
    }

    /**
     * An integer literal. {@code magnitude} is unsigned; the value is {@code -magnitude} when {@code negative}.
     */
    record IntLit(Pos pos, long magnitude, boolean negative, String text) implements Value {
        /** True when the value fits in a signed 64-bit integer. */
        boolean fitsSigned() {
            return negative ? Long.compareUnsigned(magnitude, Long.MIN_VALUE) <= 0 : magnitude >= 0;
        }

        /** The value as a signed long (two's complement of the magnitude when negative). */
        long signedValue() {
            return negative ? -magnitude : magnitude;
        }
    }

    /** A string (or character) literal. */
    record StrLit(Pos pos, String value) implements Value {
    }

    /** An identifier or dotted path: {@code le}, {@code clock.monotonic.value}, {@code env.x}, {@code a.b}. */
    record IdPath(Pos pos, List<String> parts) implements Value {
        String text() {
            return String.join(".", parts);
        }
    }

    // ---- type specifiers ----------------------------------------------------------------------------------------

    /** A type specifier. */
    sealed interface TypeSpec permits NamedType, IntegerType, FloatType, StringType, EnumType, StructType,
            VariantType {
        Pos pos();
    }

    /** A type named by an alias or C-like words ({@code uint32_t}, {@code unsigned long}). */
    record NamedType(Pos pos, String name) implements TypeSpec {
    }

    record IntegerType(Pos pos, List<Attr> attrs) implements TypeSpec {
    }

    record FloatType(Pos pos, List<Attr> attrs) implements TypeSpec {
    }

    /** {@code string} or {@code string { encoding = ...; }}. */
    record StringType(Pos pos, List<Attr> attrs) implements TypeSpec {
    }

    /** An enumeration; {@code entries} is null for a reference to a named enumeration. */
    record EnumType(Pos pos, String name, TypeSpec container, List<Enumerator> entries) implements TypeSpec {
    }

    /** A structure; {@code body} is null for a reference to a named structure. */
    record StructType(Pos pos, String name, List<Decl> body, Value align) implements TypeSpec {
    }

    /** A variant; {@code body} is null for a reference to a named variant; {@code tag} may be null. */
    record VariantType(Pos pos, String name, IdPath tag, List<Decl> body) implements TypeSpec {
    }

    /** One enumerator: {@code LABEL}, {@code LABEL = V} or {@code LABEL = LO ... HI}; values may be null. */
    record Enumerator(Pos pos, String label, IntLit low, IntLit high) {
    }

    /** One {@code [N]} or {@code [path]} subscript. */
    record Subscript(Pos pos, Value length) {
    }

    /** A declarator: a name (null when abstract) and its subscripts, outermost first. */
    record Declarator(Pos pos, String name, List<Subscript> subscripts) {
    }

    // ---- declarations -------------------------------------------------------------------------------------------

    /** An item in a block or structure/variant body. */
    sealed interface Decl permits FieldDecl, TypeAliasDecl, TypedefDecl, TypeDecl, AttrDecl, TypeAttrDecl {
        Pos pos();
    }

    /** {@code TYPE a, b[2];} */
    record FieldDecl(Pos pos, TypeSpec type, List<Declarator> declarators) implements Decl {
    }

    /** {@code typealias TYPE[subs] := NAME;} */
    record TypeAliasDecl(Pos pos, TypeSpec type, List<Subscript> subscripts, String alias, Pos aliasPos)
            implements Decl {
    }

    /** {@code typedef TYPE a, b[2];} */
    record TypedefDecl(Pos pos, TypeSpec type, List<Declarator> declarators) implements Decl {
    }

    /** A type declared on its own: {@code struct s { ... };}, {@code enum e : int { ... };}. */
    record TypeDecl(Pos pos, TypeSpec type) implements Decl {
    }

    /** A block attribute {@code a.b = VALUE;}. */
    record AttrDecl(Pos pos, String name, Value value) implements Decl {
    }

    /** A type-valued block attribute {@code a.b := TYPE;}. */
    record TypeAttrDecl(Pos pos, String name, TypeSpec type, List<Subscript> subscripts) implements Decl {
    }

    /** An attribute inside {@code integer { }}, {@code floating_point { }} or {@code string { }}. */
    record Attr(Pos pos, String name, Value value) {
    }

    /** A root block: {@code trace}, {@code env}, {@code clock}, {@code stream}, {@code event}, {@code callsite}. */
    record Block(Pos pos, String kind, List<Decl> body) {
    }

    /** The whole metadata: root blocks and root declarations, in source order. */
    record Root(List<Block> blocks, List<Decl> declarations) {
    }
}
