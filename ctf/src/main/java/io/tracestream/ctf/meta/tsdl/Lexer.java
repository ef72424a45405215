package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.CtfException;

import java.nio.file.Path;
import java.util.Arrays;

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
            // punctuators and words are interned, like the literals the parser passes: mostly an identity check
            return (kind == Kind.PUNCT || kind == Kind.IDENT) && (text == punctOrWord
                    || text.length() == punctOrWord.length() && text.equals(punctOrWord));
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
            PUNCT[ch] = String.valueOf(ch).intern();
        }
    }

    /** The text as an array: indexing it is much cheaper than {@code String.charAt} before the JIT warms up. */
    private final char[] src;
    private final Path file;
    private final int length;
    /**
     * Identifier texts seen so far (open addressing, keyed by their characters): metadata repeats a few hundred
     * words and numbers (attribute names, type aliases, keywords, sizes) tens of thousands of times, so each is
     * allocated and hashed once, and (interned) compares by identity with the parser's literals.
     */
    private String[] words;
    /** Characters and hash of each entry of {@link #words}: array compares, no {@code String.charAt} calls. */
    private char[][] wordChars;
    private int[] wordHashes;
    private int wordCount;
    private int pos;
    private int line = 1;
    private int lineStart;

    Lexer(String src, Path file) {
        this.src = src.toCharArray();
        this.file = file;
        this.length = this.src.length;
        // about one distinct word per 100 characters (LTTng kernel metadata: 1,640 in 180 k): rarely grows
        int size = Integer.highestOneBit(Math.max(1024, Math.min(length / 32, 1 << 16)));
        words = new String[size];
        wordChars = new char[size][];
        wordHashes = new int[size];
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
        char ch = src[pos];
        if (isWordStart(ch)) {
            int start = pos;
            int h = 0;
            while (pos < length && isWordPart(src[pos])) {
                h = 31 * h + src[pos];
                pos++;
            }
            return new Token(Kind.IDENT, word(start, pos - start, h), 0, l, c);
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
        char next = pos + 1 < length ? src[pos + 1] : 0;
        if (ch == ':' && next == '=') {
            pos += 2;
            return new Token(Kind.PUNCT, ":=", 0, l, c);
        }
        if (ch == '.' && next == '.' && pos + 2 < length && src[pos + 2] == '.') {
            pos += 3;
            return new Token(Kind.PUNCT, "...", 0, l, c);
        }
        if (ch == '-' && next == '>') {
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

    /**
     * The index of the next {@code '}'} when the text from the current position up to it holds only ASCII words and
     * numbers, blanks, {@code = ; . + -} (as in {@code size = 32; align = 8; signed = 0; base = 10;}): no line
     * break, comment, literal or other brace, so it lexes the same wherever it appears. -1 otherwise.
     */
    int simpleSpanEnd() {
        for (int k = pos, end = Math.min(length, pos + MAX_SIMPLE_SPAN); k < end; k++) {
            char ch = src[k];
            if (ch == '}') {
                return k;
            }
            if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'
                    || ch == ' ' || ch == '\t' || ch == '=' || ch == ';' || ch == '.' || ch == '+' || ch == '-')) {
                return -1;
            }
        }
        return -1;
    }

    /** Longest span {@link #simpleSpanEnd} looks at. */
    static final int MAX_SIMPLE_SPAN = 256;

    /** The current position in the text. */
    int position() {
        return pos;
    }

    /** The text {@code [from, to)}. */
    String text(int from, int to) {
        return new String(src, from, to - from);
    }

    /** The current line (1-based). */
    int line() {
        return line;
    }

    /** The 1-based column of a text index on the current line. */
    int column(int index) {
        return index - lineStart + 1;
    }

    /** Moves to {@code index}, on the current line (after a {@link #simpleSpanEnd} span). */
    void skipTo(int index) {
        pos = index;
    }

    private static boolean isWordStart(char ch) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch >= 128 && Character.isLetter(ch);
    }

    private static boolean isWordPart(char ch) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_'
                || ch >= 128 && Character.isLetterOrDigit(ch);
    }

    /** The identifier {@code src[start, start + len)} (hash {@code h}), from {@link #words} when seen before. */
    private String word(int start, int len, int h) {
        int mask = words.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            char[] w = wordChars[i];
            if (w == null) {
                String text = new String(src, start, len).intern();
                words[i] = text;
                wordChars[i] = Arrays.copyOfRange(src, start, start + len);
                wordHashes[i] = h;
                if (++wordCount * 2 > words.length) {
                    grow();
                }
                return text;
            }
            if (wordHashes[i] == h && w.length == len && sameChars(w, start)) {
                return words[i];
            }
        }
    }

    private boolean sameChars(char[] w, int start) {
        for (int k = 0; k < w.length; k++) {
            if (w[k] != src[start + k]) {
                return false;
            }
        }
        return true;
    }

    private void grow() {
        String[] oldWords = words;
        char[][] oldChars = wordChars;
        int[] oldHashes = wordHashes;
        int size = oldWords.length * 2;
        words = new String[size];
        wordChars = new char[size][];
        wordHashes = new int[size];
        for (int k = 0; k < oldWords.length; k++) {
            if (oldWords[k] != null) {
                int i = oldHashes[k] & (size - 1);
                while (words[i] != null) {
                    i = (i + 1) & (size - 1);
                }
                words[i] = oldWords[k];
                wordChars[i] = oldChars[k];
                wordHashes[i] = oldHashes[k];
            }
        }
    }

    private static String printable(char ch) {
        return ch < 0x20 || ch == 0x7f ? String.format("\\x%02x", (int) ch) : String.valueOf(ch);
    }

    private void skipSpaceAndComments() {
        while (pos < length) {
            char ch = src[pos];
            if (ch == '\n') {
                pos++;
                line++;
                lineStart = pos;
            } else if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\f' || ch == 0x0b) {
                pos++;
            } else if (ch == '/' && pos + 1 < length && src[pos + 1] == '*') {
                int l = line;
                int c = pos - lineStart + 1;
                pos += 2;
                while (true) {
                    if (pos + 1 >= length) {
                        throw error(l, c, "unterminated comment");
                    }
                    char d = src[pos];
                    if (d == '*' && src[pos + 1] == '/') {
                        pos += 2;
                        break;
                    }
                    if (d == '\n') {
                        line++;
                        lineStart = pos + 1;
                    }
                    pos++;
                }
            } else if (ch == '/' && pos + 1 < length && src[pos + 1] == '/') {
                while (pos < length && src[pos] != '\n') {
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
        if (src[pos] == '0' && pos + 1 < length) {
            char n = src[pos + 1];
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
            int d = Character.digit(src[pos], radix);
            if (d < 0) {
                break;
            }
            // value * radix + d must fit in an unsigned 64-bit integer (sure below 2^56, as radix <= 16)
            if (value >>> 56 != 0 && Long.compareUnsigned(value, Long.divideUnsigned(-1L - d, radix)) > 0) {
                overflow = true;
            }
            value = value * radix + d;
            digits++;
            pos++;
        }
        if (digits == 0 && radix != 10) {
            throw error(l, c, "incomplete integer literal `" + new String(src, start, pos - start) + "`");
        }
        // integer suffixes: u, l, ul, lu, ull, llu, ...
        while (pos < length && "uUlL".indexOf(src[pos]) >= 0) {
            pos++;
        }
        if (pos < length && isWordPart(src[pos])) {
            throw error(l, c, "invalid integer literal `" + new String(src, start, pos + 1 - start) + "`");
        }
        int h = 0;
        for (int k = start; k < pos; k++) {
            h = 31 * h + src[k];
        }
        String text = word(start, pos - start, h);
        if (overflow) {
            throw error(l, c, "integer literal `" + text + "` does not fit in 64 bits");
        }
        return new Token(Kind.INT, text, value, l, c);
    }

    private String quoted(char quote, int l, int c) {
        pos++;
        // most literals have no escape: one copy
        for (int k = pos; k < length; k++) {
            char ch = src[k];
            if (ch == quote) {
                String text = new String(src, pos, k - pos);
                pos = k + 1;
                return text;
            }
            if (ch == '\\' || ch == '\n' || ch == 0) {
                break; // escapes and errors: below
            }
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= length) {
                throw error(l, c, "unterminated " + (quote == '"' ? "string" : "character") + " literal");
            }
            char ch = src[pos];
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
                char e = src[pos + 1];
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
                        for (int i = 0; i < 2 && pos < length && src[pos] >= '0' && src[pos] <= '7'; i++) {
                            v = v * 8 + (src[pos++] - '0');
                        }
                        sb.append((char) (v & 0xff));
                    }
                    case 'x' -> {
                        int v = 0;
                        int n = 0;
                        while (n < 2 && pos < length && Character.digit(src[pos], 16) >= 0) {
                            v = v * 16 + Character.digit(src[pos++], 16);
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
