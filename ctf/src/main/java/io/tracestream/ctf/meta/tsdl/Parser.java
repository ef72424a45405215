package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.tsdl.Ast.Attr;
import io.tracestream.ctf.meta.tsdl.Ast.Block;
import io.tracestream.ctf.meta.tsdl.Ast.Decl;
import io.tracestream.ctf.meta.tsdl.Ast.Declarator;
import io.tracestream.ctf.meta.tsdl.Ast.Enumerator;
import io.tracestream.ctf.meta.tsdl.Ast.IdPath;
import io.tracestream.ctf.meta.tsdl.Ast.IntLit;
import io.tracestream.ctf.meta.tsdl.Ast.Pos;
import io.tracestream.ctf.meta.tsdl.Ast.Subscript;
import io.tracestream.ctf.meta.tsdl.Ast.TypeSpec;
import io.tracestream.ctf.meta.tsdl.Ast.Value;
import io.tracestream.ctf.meta.tsdl.Lexer.Kind;
import io.tracestream.ctf.meta.tsdl.Lexer.Token;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Recursive-descent TSDL parser: tokens to {@link Ast}. Nesting is bounded by {@link #MAX_DEPTH}. */
final class Parser {
    /** Deepest nesting of type specifiers accepted; deeper input is an error, never a stack overflow. */
    static final int MAX_DEPTH = 256;

    static final Set<String> BLOCKS = Set.of("trace", "env", "clock", "stream", "event", "callsite");
    /** Words that can never name a type alias. */
    static final Set<String> RESERVED = Set.of("trace", "env", "clock", "stream", "event", "callsite", "struct",
            "variant", "enum", "integer", "floating_point", "string", "typealias", "typedef", "align");
    /** Block attributes whose value is a type. */
    private static final Set<String> TYPE_ATTRS = Set.of("packet.header", "packet.context", "event.header",
            "event.context", "context", "fields", "header");
    private static final Set<String> TYPE_KEYWORDS = Set.of("struct", "variant", "enum", "integer",
            "floating_point", "string");

    /** Tokens are read lazily: the parser looks at most two tokens ahead (a power of two: ring index by mask). */
    private static final int LOOKAHEAD = 4;

    private final Path file;
    private final Lexer lexer;
    private final Token[] ring = new Token[LOOKAHEAD];
    private int head;
    private int buffered;
    private int depth;

    private Parser(Path file, Lexer lexer) {
        this.file = file;
        this.lexer = lexer;
    }

    /** Parses the whole metadata text. */
    static Ast.Root parse(String text, Path file) {
        return new Parser(file, new Lexer(text, file)).root();
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private Token peek() {
        return buffered > 0 ? ring[head] : peek(0);
    }

    private Token peek(int ahead) {
        while (buffered <= ahead) {
            Token last = buffered == 0 ? null : ring[(head + buffered - 1) & (LOOKAHEAD - 1)];
            ring[(head + buffered) & (LOOKAHEAD - 1)] = last != null && last.kind() == Kind.EOF ? last : lexer.next();
            buffered++;
        }
        return ring[(head + ahead) & (LOOKAHEAD - 1)];
    }

    private Token take() {
        Token t = peek();
        if (t.kind() != Kind.EOF) {
            head = (head + 1) & (LOOKAHEAD - 1);
            buffered--;
        }
        return t;
    }

    private boolean accept(String punct) {
        if (peek().is(punct)) {
            take();
            return true;
        }
        return false;
    }

    private Token expect(String punct) {
        Token t = peek();
        if (!t.is(punct)) {
            throw err(t, "expecting `" + punct + "`, found " + t);
        }
        return take();
    }

    private String expectIdent(String what) {
        Token t = peek();
        if (t.kind() != Kind.IDENT) {
            throw err(t, "expecting " + what + ", found " + t);
        }
        return take().text();
    }

    private CtfException err(Token t, String what) {
        return CtfException.inMetadata(file, t.line(), t.col(), what);
    }

    private static Pos pos(Token t) {
        return new Pos(t.line(), t.col());
    }

    private void enter(Token t) {
        if (++depth > MAX_DEPTH) {
            throw err(t, "type nesting deeper than " + MAX_DEPTH + " levels");
        }
    }

    // ---- root ---------------------------------------------------------------------------------------------------

    private Ast.Root root() {
        List<Block> blocks = new ArrayList<>();
        List<Decl> decls = new ArrayList<>();
        while (peek().kind() != Kind.EOF) {
            Token t = peek();
            if (t.is(";")) {
                take();
                continue;
            }
            if (t.kind() == Kind.IDENT && BLOCKS.contains(t.text()) && peek(1).is("{")) {
                take();
                take();
                List<Decl> body = blockBody(t.text());
                expect("}");
                expectSemicolon(t.text() + " block");
                blocks.add(new Block(pos(t), t.text(), body));
            } else if (t.is("typealias") || t.is("typedef") || t.is("struct") || t.is("variant")
                    || t.is("enum") || t.is("integer") || t.is("floating_point") || t.is("string")) {
                decls.add(bodyDecl());
            } else {
                throw err(t, "expecting a root block (`trace`, `env`, `clock`, `stream`, `event`, `callsite`) or a"
                        + " type declaration, found " + t);
            }
        }
        return new Ast.Root(blocks, decls);
    }

    private void expectSemicolon(String after) {
        Token t = peek();
        if (!t.is(";")) {
            throw err(t, "expecting `;` after " + after + ", found " + t);
        }
        take();
    }

    /** As {@link #expectSemicolon}, the message built only on error (attributes are most of the metadata). */
    private void expectSemicolonAfterAttribute(String name) {
        if (peek().is(";")) {
            take();
        } else {
            expectSemicolon("attribute `" + name + "`");
        }
    }

    private List<Decl> blockBody(String kind) {
        List<Decl> body = new ArrayList<>();
        while (!peek().is("}")) {
            Token t = peek();
            if (t.kind() == Kind.EOF) {
                throw err(t, "unterminated `" + kind + "` block");
            }
            if (t.is(";")) {
                take();
                continue;
            }
            if (t.is("typealias") || t.is("typedef")
                    || ((t.is("struct") || t.is("variant") || t.is("enum")) && !peek(1).is("."))) {
                body.add(bodyDecl());
                continue;
            }
            body.add(attribute());
        }
        return body;
    }

    private Decl attribute() {
        Token first = peek();
        String n = expectIdent("attribute name");
        if (peek().is(".")) {
            StringBuilder name = new StringBuilder(n);
            while (accept(".")) {
                name.append('.').append(expectIdent("attribute name"));
            }
            n = name.toString();
        }
        Token op = peek();
        Decl d;
        if (op.is(":=") || (op.is("=") && TYPE_ATTRS.contains(n) && peek(1).kind() == Kind.IDENT
                && TYPE_KEYWORDS.contains(peek(1).text()))) {
            take();
            TypeSpec type = typeSpec(false);
            List<Subscript> subs = subscripts();
            d = new Ast.TypeAttrDecl(pos(first), n, type, subs);
        } else if (op.is("=")) {
            take();
            d = new Ast.AttrDecl(pos(first), n, value());
        } else {
            throw err(op, "expecting `=` or `:=` after attribute name `" + n + "`, found " + op);
        }
        expectSemicolonAfterAttribute(n);
        return d;
    }

    private Value value() {
        Token t = peek();
        if (t.is("-") || t.is("+")) {
            take();
            Token n = peek();
            if (n.kind() != Kind.INT) {
                throw err(n, "expecting an integer literal after `" + t.text() + "`, found " + n);
            }
            take();
            IntLit lit = new IntLit(pos(t), n.value(), t.is("-") && n.value() != 0, t.text() + n.text());
            if (!lit.fitsSigned() && lit.negative()) {
                throw err(t, "integer literal `" + lit.text() + "` does not fit in 64 bits");
            }
            return lit;
        }
        switch (t.kind()) {
            case INT -> {
                take();
                return new IntLit(pos(t), t.value(), false, t.text());
            }
            case STRING, CHAR -> {
                take();
                return new Ast.StrLit(pos(t), t.text());
            }
            case IDENT -> {
                return idPath();
            }
            default -> throw err(t, "expecting a value, found " + t);
        }
    }

    private IdPath idPath() {
        Token t = peek();
        List<String> parts = new ArrayList<>(4);
        parts.add(expectIdent("identifier"));
        while (peek().is(".") || peek().is("->")) {
            take();
            parts.add(expectIdent("identifier after `.`"));
        }
        return new IdPath(pos(t), parts);
    }

    // ---- declarations -------------------------------------------------------------------------------------------

    /** A declaration in a block or a struct/variant body (or at the root). */
    private Decl bodyDecl() {
        Token t = peek();
        if (t.is("typealias")) {
            take();
            TypeSpec type = typeSpec(false);
            List<Subscript> subs = subscripts();
            Token assign = peek();
            if (!assign.is(":=")) {
                throw err(assign, "expecting `:=` in type alias, found " + assign);
            }
            take();
            Token nameTok = peek();
            if (nameTok.kind() != Kind.IDENT) {
                throw err(nameTok, "expecting type alias name, found " + nameTok);
            }
            StringBuilder alias = new StringBuilder();
            while (peek().kind() == Kind.IDENT) {
                Token w = take();
                if (RESERVED.contains(w.text())) {
                    throw err(w, "invalid keyword `" + w.text() + "` in type alias name");
                }
                if (alias.length() > 0) {
                    alias.append(' ');
                }
                alias.append(w.text());
            }
            List<Subscript> more = subscripts();
            if (!more.isEmpty()) {
                List<Subscript> all = new ArrayList<>(subs);
                all.addAll(more);
                subs = all;
            }
            expectSemicolon("type alias");
            return new Ast.TypeAliasDecl(pos(t), type, subs, alias.toString(), pos(nameTok));
        }
        if (t.is("typedef")) {
            take();
            TypeSpec type = typeSpec(true);
            List<Declarator> decls = declarators(true);
            expectSemicolon("typedef");
            return new Ast.TypedefDecl(pos(t), type, decls);
        }
        TypeSpec type = typeSpec(true);
        if (peek().is(";")) {
            take();
            return new Ast.TypeDecl(pos(t), type);
        }
        List<Declarator> decls = declarators(false);
        expectSemicolon("field declaration");
        return new Ast.FieldDecl(pos(t), type, decls);
    }

    private List<Declarator> declarators(boolean typedef) {
        List<Declarator> list = new ArrayList<>(1);
        do {
            Token n = peek();
            if (n.kind() != Kind.IDENT) {
                throw err(n, "expecting " + (typedef ? "type name" : "field name") + ", found " + n);
            }
            if (typedef && RESERVED.contains(n.text())) {
                throw err(n, "invalid keyword `" + n.text() + "` in type name");
            }
            take();
            list.add(new Declarator(pos(n), n.text(), subscripts()));
        } while (accept(","));
        return list;
    }

    private List<Subscript> subscripts() {
        if (!peek().is("[")) {
            return List.of();
        }
        List<Subscript> subs = new ArrayList<>(1);
        while (peek().is("[")) {
            Token open = take();
            if (peek().is("]")) {
                throw err(peek(), "expecting an array length or a length field location, found `]`");
            }
            Value v = value();
            expect("]");
            subs.add(new Subscript(pos(open), v));
            if (subs.size() > MAX_DEPTH) {
                throw err(open, "more than " + MAX_DEPTH + " array dimensions");
            }
        }
        return subs;
    }

    // ---- type specifiers ----------------------------------------------------------------------------------------

    /**
     * Parses a type specifier. With {@code declaratorFollows}, a run of identifiers keeps its last one for the
     * declarator (field or typedef name) when that one is followed by {@code ;}, {@code ,} or {@code [}.
     */
    private TypeSpec typeSpec(boolean declaratorFollows) {
        Token t = peek();
        if (t.kind() != Kind.IDENT) {
            throw err(t, "expecting a type (`integer`, `floating_point`, `enum`, `string`, `struct`, `variant`"
                    + " or a type alias name), found " + t);
        }
        enter(t);
        try {
            switch (t.text()) {
                case "integer" -> {
                    take();
                    return new Ast.IntegerType(pos(t), attrBlock("integer"));
                }
                case "floating_point" -> {
                    take();
                    return new Ast.FloatType(pos(t), attrBlock("floating_point"));
                }
                case "string" -> {
                    take();
                    List<Attr> attrs = peek().is("{") ? attrBlock("string") : List.of();
                    return new Ast.StringType(pos(t), attrs);
                }
                case "enum" -> {
                    return enumSpec();
                }
                case "struct" -> {
                    return structSpec();
                }
                case "variant" -> {
                    return variantSpec();
                }
                default -> {
                    return namedType(declaratorFollows);
                }
            }
        } finally {
            depth--;
        }
    }

    private TypeSpec namedType(boolean declaratorFollows) {
        Token first = peek();
        StringBuilder sb = new StringBuilder();
        while (peek().kind() == Kind.IDENT) {
            if (declaratorFollows && sb.length() > 0) {
                Token after = peek(1);
                if (after.is(";") || after.is(",") || after.is("[") || after.is(":") || after.is("=")) {
                    break;
                }
            }
            if (declaratorFollows && sb.length() == 0) {
                Token after = peek(1);
                // a single identifier followed by `;` is "type only": let the caller report the missing name
                if (after.is(";") || after.is(",") || after.is("[")) {
                    sb.append(take().text());
                    break;
                }
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(take().text());
        }
        return new Ast.NamedType(pos(first), sb.toString());
    }

    private List<Attr> attrBlock(String kind) {
        Token open = peek();
        if (!open.is("{")) {
            throw err(open, "expecting `{` after `" + kind + "`, found " + open);
        }
        // Kernel metadata repeats a few attribute blocks (`integer { size = 32; align = 8; signed = 0; ... }`)
        // thousands of times: a block of simple text on one line is parsed once, then copied with its positions.
        String span = null;
        int spanStart = -1;
        int spanEnd = -1;
        if (buffered == 1) {
            spanStart = lexer.position();
            spanEnd = lexer.simpleSpanEnd();
            if (spanEnd >= 0) {
                span = lexer.text(spanStart, spanEnd);
                AttrTemplate[] template = attrBlocks.get(span);
                if (template != null) {
                    take();
                    int line = lexer.line();
                    int col = lexer.column(spanStart);
                    List<Attr> attrs = new ArrayList<>(template.length);
                    for (AttrTemplate a : template) {
                        attrs.add(a.at(line, col));
                    }
                    lexer.skipTo(spanEnd);
                    expect("}");
                    return attrs;
                }
            }
        }
        take();
        List<Attr> attrs = new ArrayList<>();
        while (!peek().is("}")) {
            Token t = peek();
            if (t.is(";")) {
                take();
                continue;
            }
            if (t.kind() != Kind.IDENT) {
                throw err(t, "expecting an attribute name in `" + kind + "` block, found " + t);
            }
            take();
            Token eq = peek();
            if (!eq.is("=")) {
                throw err(eq, "expecting `=` after attribute `" + t.text() + "`, found " + eq);
            }
            take();
            Value v = value();
            expectSemicolonAfterAttribute(t.text());
            attrs.add(new Attr(pos(t), t.text(), v));
        }
        Token close = take();
        if (span != null && close.line() == lexer.line() && close.col() == lexer.column(spanEnd)) {
            remember(span, attrs, close.line(), lexer.column(spanStart));
        }
        return attrs;
    }

    /** Parsed attribute blocks by text (see {@link #attrBlock}). */
    private final java.util.Map<String, AttrTemplate[]> attrBlocks = new java.util.HashMap<>();

    /** An attribute of a remembered block: its value and columns relative to the block's text. */
    private record AttrTemplate(String name, int nameCol, Value value, int valueCol) {
        Attr at(int line, int col) {
            Pos valuePos = new Pos(line, col + valueCol);
            Value v = value instanceof IntLit i ? new IntLit(valuePos, i.magnitude(), i.negative(), i.text())
                    : new IdPath(valuePos, ((IdPath) value).parts());
            return new Attr(new Pos(line, col + nameCol), name, v);
        }
    }

    private void remember(String span, List<Attr> attrs, int line, int col) {
        AttrTemplate[] template = new AttrTemplate[attrs.size()];
        for (int k = 0; k < template.length; k++) {
            Attr a = attrs.get(k);
            Value v = a.value();
            if (a.pos().line() != line || v.pos().line() != line || !(v instanceof IntLit || v instanceof IdPath)) {
                return;
            }
            if (v instanceof IdPath id) {
                v = new IdPath(id.pos(), List.copyOf(id.parts()));
            }
            template[k] = new AttrTemplate(a.name(), a.pos().col() - col, v, v.pos().col() - col);
        }
        attrBlocks.put(span, template);
    }

    private TypeSpec enumSpec() {
        Token kw = take();
        String name = null;
        if (peek().kind() == Kind.IDENT) {
            name = take().text();
        }
        TypeSpec container = null;
        if (accept(":")) {
            container = typeSpec(false);
        }
        List<Enumerator> entries = null;
        if (peek().is("{")) {
            take();
            entries = new ArrayList<>();
            while (!peek().is("}")) {
                Token lt = peek();
                String label;
                if (lt.kind() == Kind.IDENT || lt.kind() == Kind.STRING) {
                    label = take().text();
                } else {
                    throw err(lt, "expecting an enumerator label, found " + lt);
                }
                IntLit lo = null;
                IntLit hi = null;
                if (accept("=")) {
                    lo = intValue("enumerator value");
                    if (accept("...")) {
                        hi = intValue("enumerator range upper value");
                    }
                }
                entries.add(new Enumerator(pos(lt), label, lo, hi));
                if (!accept(",")) {
                    break;
                }
            }
            Token close = peek();
            if (!close.is("}")) {
                throw err(close, "expecting `,` or `}` in enumeration, found " + close);
            }
            take();
        } else if (container != null || name == null) {
            throw err(peek(), "expecting `{` to start the enumeration body, found " + peek());
        }
        return new Ast.EnumType(pos(kw), name, container, entries);
    }

    private IntLit intValue(String what) {
        Token t = peek();
        Value v = value();
        if (!(v instanceof IntLit lit)) {
            throw err(t, "expecting an integer literal for " + what + ", found " + t);
        }
        return lit;
    }

    private TypeSpec structSpec() {
        Token kw = take();
        String name = null;
        if (peek().kind() == Kind.IDENT) {
            name = take().text();
        }
        List<Decl> body = null;
        Value align = null;
        if (peek().is("{")) {
            take();
            body = structBody("struct");
            if (peek().is("align") && peek(1).is("(")) {
                take();
                take();
                align = value();
                expect(")");
            }
        } else if (name == null) {
            throw err(peek(), "expecting a structure name or `{`, found " + peek());
        }
        return new Ast.StructType(pos(kw), name, body, align);
    }

    private List<Decl> structBody(String kind) {
        List<Decl> body = new ArrayList<>();
        while (!peek().is("}")) {
            Token t = peek();
            if (t.kind() == Kind.EOF) {
                throw err(t, "unterminated `" + kind + "` body");
            }
            if (t.is(";")) {
                take();
                continue;
            }
            body.add(bodyDecl());
        }
        take();
        return body;
    }

    private TypeSpec variantSpec() {
        Token kw = take();
        String name = null;
        if (peek().kind() == Kind.IDENT && (peek(1).is("<") || peek(1).is("{")
                || (peek(1).kind() == Kind.IDENT))) {
            name = take().text();
        }
        IdPath tag = null;
        if (accept("<")) {
            Token tt = peek();
            if (tt.is(">")) {
                throw err(tt, "expecting a variant tag location, found `>`");
            }
            tag = idPath();
            expect(">");
        }
        List<Decl> body = null;
        if (peek().is("{")) {
            take();
            body = structBody("variant");
        } else if (name == null) {
            throw err(peek(), "expecting a variant name or `{`, found " + peek());
        }
        return new Ast.VariantType(pos(kw), name, tag, body);
    }
}
