package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.CtfException;

import java.nio.file.Path;

/**
 * Hand-written TSDL tokenizer: identifiers, integer literals (decimal, {@code 0x} hex, {@code 0} octal,
 * {@code 0b} binary, optional {@code u}/{@code l} suffixes), string and character literals with C escapes,
 * punctuators, and {@code /* *}{@code /} and {@code //} comments. Every token carries its line and column.
 */
final class Lexer {

    /** Token kinds. */
    enum Kind { IDENT, INT, STRING, CHAR, PUNCT, EOF }

    /** One token. For {@link Kind#INT}, {@code value} holds the unsigned 64-bit magnitude. */
    record Token(Kind kind, String text, long value, int line, int col) {
        boolean is(String punctOrWord) {
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && text.equals(punctOrWord);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case EOF -> "end of metadata";
                case STRING -> "string literal";
                case INT -> "integer literal `" + text + "`";
                default -> "`" + text + "`";
            };
        }
    }

    private static final String[] PUNCT = new String[128];

    static {
        for (char ch : "{}[]()<>;,:=.+-*".toCharArray()) {
            PUNCT[ch] = String.valueOf(ch);
        }
    }

    private final String src;
    private final Path file;
    private final int length;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String src, Path file) {
        this.src = src;
        this.file = file;
        this.length = src.length();
    }

    private CtfException error(int l, int c, String what) {
        return CtfException.inMetadata(file, l, c, what);
    }

    /** Reads the next token. */
    Token next() {
        skipSpaceAndComments();
        int l = line;
        int c = pos - lineStart + 1;
        if (pos >= length) {
            return new Token(Kind.EOF, "", 0, l, c);
        }
        char ch = src.charAt(pos);
        if (Character.isLetter(ch) || ch == '_') {
            int start = pos;
            while (pos < length && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
                pos++;
            }
            return new Token(Kind.IDENT, src.substring(start, pos), 0, l, c);
        }
        if (ch >= '0' && ch <= '9') {
            return number(l, c);
        }
        if (ch == '"') {
            return new Token(Kind.STRING, quoted('"', l, c), 0, l, c);
        }
        if (ch == '\'') {
            String s = quoted('\'', l, c);
            return new Token(Kind.CHAR, s, s.isEmpty() ? 0 : s.codePointAt(0), l, c);
        }
        if (src.startsWith(":=", pos)) {
            pos += 2;
            return new Token(Kind.PUNCT, ":=", 0, l, c);
        }
        if (src.startsWith("...", pos)) {
            pos += 3;
            return new Token(Kind.PUNCT, "...", 0, l, c);
        }
        if (src.startsWith("->", pos)) {
            pos += 2;
            return new Token(Kind.PUNCT, "->", 0, l, c);
        }
        if (ch < 128 && PUNCT[ch] != null) {
            pos++;
            return new Token(Kind.PUNCT, PUNCT[ch], 0, l, c);
        }
        if (ch == 0) {
            throw error(l, c, "unexpected null character in metadata");
        }
        throw error(l, c, "unexpected character `" + printable(ch) + "`");
    }

    private static String printable(char ch) {
        return ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch);
    }

    private void skipSpaceAndComments() {
        while (pos < length) {
            char ch = src.charAt(pos);
            if (ch == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == 0x0b) {
                pos++;
            } else if (ch == '/' && pos + 1 < length && src.charAt(pos + 1) == '*') {
                int l = line;
                int c = pos - lineStart + 1;
                pos += 2;
                while (true) {
                    if (pos + 1 >= length) {
                        throw error(l, c, "unterminated comment");
                    }
                    char d = src.charAt(pos);
                    if (d == '*' && src.charAt(pos + 1) == '/') {
                        pos += 2;
                        break;
                    }
                    if (d == '\n') {
                        line++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
            } else if (ch == '/' && pos + 1 < length && src.charAt(pos + 1) == '/') {
                while (pos < length && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private Token number(int l, int c) {
        int start = pos;
        int radix = 10;
        int digitsStart = pos;
        if (src.charAt(pos) == '0' && pos + 1 < length) {
            char n = src.charAt(pos + 1);
            if (n == 'x' || n == 'X') {
                radix = 16;
                digitsStart = pos + 2;
            } else if (n == 'b' || n == 'B') {
                radix = 2;
                digitsStart = pos + 2;
            } else if (Character.isDigit(n)) {
                radix = 8;
                digitsStart = pos + 1;
            }
        }
        pos = digitsStart;
        long value = 0;
        int digits = 0;
        boolean overflow = false;
        while (pos < length) {
            int d = Character.digit(src.charAt(pos), radix);
            if (d < 0) {
                break;
            }
            // value * radix + d must fit in an unsigned 64-bit integer
            long limit = Long.divideUnsigned(-1L - d, radix);
            if (Long.compareUnsigned(value, limit) > 0) {
                overflow = true;
            }
            value = value * radix + d;
            digits++;
            pos++;
        }
        if (digits == 0 && radix != 10) {
            throw error(l, c, "incomplete integer literal `" + src.substring(start, pos) + "`");
        }
        // integer suffixes: u, l, ul, lu, ull, llu, ...
        while (pos < length && "uUlL".indexOf(src.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < length && (Character.isLetterOrDigit(src.charAt(pos)) || src.charAt(pos) == '_')) {
            throw error(l, c, "invalid integer literal `" + src.substring(start, pos + 1) + "`");
        }
        String text = src.substring(start, pos);
        if (overflow) {
            throw error(l, c, "integer literal `" + text + "` does not fit in 64 bits");
        }
        return new Token(Kind.INT, text, value, l, c);
    }

    private String quoted(char quote, int l, int c) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= length) {
                throw error(l, c, "unterminated " + (quote == '"' ? "string" : "character") + " literal");
            }
            char ch = src.charAt(pos);
            if (ch == quote) {
                pos++;
                return sb.toString();
            }
            if (ch == '\n') {
                throw error(l, c, "unterminated " + (quote == '"' ? "string" : "character") + " literal");
            }
            if (ch == 0) {
                throw error(line, pos - lineStart + 1, "unexpected null character in literal");
            }
            if (ch == '\\') {
                if (pos + 1 >= length) {
                    throw error(l, c, "unterminated literal");
                }
                char e = src.charAt(pos + 1);
                pos += 2;
                switch (e) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'v' -> sb.append('\u000b');
                    case 'f' -> sb.append('\f');
                    case 'a' -> sb.append('\u0007');
                    case 'b' -> sb.append('\b');
                    case 'e' -> sb.append('\u001b');
                    case '0', '1', '2', '3', '4', '5', '6', '7' -> {
                        int v = e - '0';
                        for (int i = 0; i < 2 && pos < length && src.charAt(pos) >= '0' && src.charAt(pos) <= '7'; i++) {
                            v = v * 8 + (src.charAt(pos++) - '0');
                        }
                        sb.append((char) (v & 0xff));
                    }
                    case 'x' -> {
                        int v = 0;
                        int n = 0;
                        while (n < 2 && pos < length && Character.digit(src.charAt(pos), 16) >= 0) {
                            v = v * 16 + Character.digit(src.charAt(pos++), 16);
                            n++;
                        }
                        if (n == 0) {
                            throw error(l, c, "invalid `\\x` escape in literal");
                        }
                        sb.append((char) v);
                    }
                    case '\n' -> {
                        line++;
                        lineStart = pos;
                    }
                    default -> sb.append(e);
                }
            } else {
                sb.append(ch);
                pos++;
            }
        }
    }
}
