package io.tracestream.ctf.io;

/** String order of C's {@code strcmp} on UTF-8 bytes (which is code point order), as babeltrace2 compares names. */
final class Utf8Order {
    private Utf8Order() {
    }

    static int compare(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                return ca < cb ? -1 : 1;
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }

    /** Null-aware: a present value sorts before an absent one, as in babeltrace2's muxer. */
    static int compareNullsLast(String a, String b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1;
        }
        return compare(a, b);
    }
}
