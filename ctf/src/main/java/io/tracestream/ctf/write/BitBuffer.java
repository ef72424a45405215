package io.tracestream.ctf.write;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * A growable byte array written bit by bit, the way CTF lays out fields: positions are bit offsets from the start of
 * the packet, alignments are relative to that start, and every byte not written is zero.
 *
 * <p>Little-endian bit fields fill each byte from its least significant bit; big-endian ones from its most
 * significant bit (CTF 1.8 section 4.1.5, as babeltrace2's {@code bt_bitfield_write_le/be}). Byte-aligned 8, 16,
 * 32 and 64-bit fields take a single array store. Bits are OR-ed in, so the region written must be zero; the
 * buffer is zeroed by {@link #reset()} and {@link #rollback(long, byte)}.
 */
final class BitBuffer {
    private static final VarHandle LE16 = MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE16 = MethodHandles.byteArrayViewVarHandle(short[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE32 = MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE32 = MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.BIG_ENDIAN);
    private static final VarHandle LE64 = MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle BE64 = MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.BIG_ENDIAN);

    /** Largest buffer this class grows to (a packet larger than this cannot be written). */
    static final int MAX_BYTES = Integer.MAX_VALUE - 64;

    byte[] buf;
    /** Current position, in bits from the start of {@link #buf}. */
    long pos;

    BitBuffer(int initialBytes) {
        buf = new byte[Math.max(64, initialBytes)];
    }

    /** Makes sure {@code bits} more bits (plus 8 bytes of slack for wide stores) fit after the position. */
    void ensure(long bits) {
        long need = ((pos + bits + 7) >>> 3) + 8;
        if (need > buf.length) {
            grow(need);
        }
    }

    private void grow(long need) {
        if (need > MAX_BYTES) {
            throw new IllegalStateException("packet larger than " + MAX_BYTES + " bytes");
        }
        long n = Math.max(need, (long) buf.length * 2);
        buf = Arrays.copyOf(buf, (int) Math.min(n, MAX_BYTES));
    }

    void align(int alignmentBits) {
        pos = (pos + alignmentBits - 1) & -(long) alignmentBits;
    }

    /** Zeroes bytes {@code [0, (pos + 7) / 8)} and moves to {@code 0}; keeps the array. */
    void reset() {
        Arrays.fill(buf, 0, (int) Math.min(buf.length, (pos + 7) >>> 3), (byte) 0);
        pos = 0;
    }

    /**
     * Rolls back to {@code to}: restores the byte at {@code to / 8} to {@code savedByte} (its value before anything
     * was written from {@code to}) and zeroes every byte after it up to the position.
     */
    void rollback(long to, byte savedByte) {
        int first = (int) (to >>> 3);
        int end = (int) Math.min(buf.length, (pos + 7) >>> 3);
        if (end > first) {
            Arrays.fill(buf, first, end, (byte) 0);
        }
        buf[first] = savedByte;
        pos = to;
    }

    /**
     * Writes the low {@code size} bits of {@code v} at the position (already aligned) and advances. The caller has
     * called {@link #ensure(long)}, which leaves 8 bytes of slack, so a field that fits in the 64-bit window starting
     * at its first byte is written with one read-modify-write of that window.
     */
    void writeInt(long v, int size, boolean bigEndian) {
        putInt(v, 1, size, bigEndian);
    }

    /**
     * Aligns the position to {@code align} bits, makes room, writes the low {@code size} (1..64) bits of {@code v}
     * and advances: the whole hot path of an integer field in one call.
     */
    void putInt(long v, int align, int size, boolean bigEndian) {
        long p = (pos + align - 1) & -(long) align;
        int i = (int) (p >>> 3);
        byte[] b = buf;
        if (i + 17 > b.length) {
            pos = p;
            ensure(size);
            b = buf;
        }
        int bit = (int) (p & 7);
        if (bit == 0) {
            switch (size) {
                case 8 -> {
                    b[i] = (byte) v;
                    pos = p + 8;
                    return;
                }
                case 16 -> {
                    if (bigEndian) {
                        BE16.set(b, i, (short) v);
                    } else {
                        LE16.set(b, i, (short) v);
                    }
                    pos = p + 16;
                    return;
                }
                case 32 -> {
                    if (bigEndian) {
                        BE32.set(b, i, (int) v);
                    } else {
                        LE32.set(b, i, (int) v);
                    }
                    pos = p + 32;
                    return;
                }
                case 64 -> {
                    if (bigEndian) {
                        BE64.set(b, i, v);
                    } else {
                        LE64.set(b, i, v);
                    }
                    pos = p + 64;
                    return;
                }
                default -> { }
            }
        }
        if (bit + size <= 64) {
            long m = v & (-1L >>> (64 - size));
            if (bigEndian) {
                BE64.set(b, i, (long) BE64.get(b, i) | m << (64 - bit - size));
            } else {
                LE64.set(b, i, (long) LE64.get(b, i) | m << bit);
            }
            pos = p + size;
            return;
        }
        pos = p;
        if (bigEndian) {
            writeBitsBe(v, size);
        } else {
            writeBitsLe(v, size);
        }
    }

    private void writeBitsLe(long v, int size) {
        if (size < 64) {
            v &= (1L << size) - 1;
        }
        int idx = (int) (pos >>> 3);
        int bit = (int) (pos & 7);
        int rem = size;
        byte[] b = buf;
        if (bit != 0) {
            int n = Math.min(8 - bit, rem);
            b[idx] |= (byte) ((v & ((1 << n) - 1)) << bit);
            v >>>= n;
            rem -= n;
            idx++;
        }
        while (rem >= 8) {
            b[idx++] = (byte) v;
            v >>>= 8;
            rem -= 8;
        }
        if (rem > 0) {
            b[idx] |= (byte) (v & ((1 << rem) - 1));
        }
        pos += size;
    }

    private void writeBitsBe(long v, int size) {
        int idx = (int) (pos >>> 3);
        int bit = (int) (pos & 7);
        int rem = size;
        byte[] b = buf;
        if (bit != 0) {
            int n = Math.min(8 - bit, rem);
            long top = v >>> (rem - n);
            b[idx] |= (byte) ((top & ((1 << n) - 1)) << (8 - bit - n));
            rem -= n;
            idx++;
        }
        while (rem >= 8) {
            b[idx++] = (byte) (v >>> (rem - 8));
            rem -= 8;
        }
        if (rem > 0) {
            b[idx] |= (byte) ((v & ((1 << rem) - 1)) << (8 - rem));
        }
        pos += size;
    }

    /** Writes bytes at the (byte-aligned) position. */
    void writeBytes(byte[] src, int off, int len) {
        System.arraycopy(src, off, buf, (int) (pos >>> 3), len);
        pos += (long) len << 3;
    }

    /** Writes one byte at the (byte-aligned) position. */
    void writeByte(int v) {
        buf[(int) (pos >>> 3)] = (byte) v;
        pos += 8;
    }

    /**
     * Encodes {@code s} as UTF-8 at the (byte-aligned) position, at most {@code maxBytes} bytes and never cutting a
     * character in two; stops before a U+0000 when {@code stopAtNul}. Returns the number of bytes written. The caller
     * has ensured room for {@code min(maxBytes, 3 * s.length())} bytes.
     */
    int writeUtf8(CharSequence s, long maxBytes, boolean stopAtNul) {
        byte[] b = buf;
        int i = (int) (pos >>> 3);
        int start = i;
        long limit = maxBytes > Integer.MAX_VALUE ? Long.MAX_VALUE : start + maxBytes;
        int n = s.length();
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                if (c == 0 && stopAtNul) {
                    break;
                }
                if (i + 1 > limit) {
                    break;
                }
                b[i++] = (byte) c;
            } else if (c < 0x800) {
                if (i + 2 > limit) {
                    break;
                }
                b[i++] = (byte) (0xC0 | (c >> 6));
                b[i++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
                if (i + 4 > limit) {
                    break;
                }
                int cp = Character.toCodePoint(c, s.charAt(++k));
                b[i++] = (byte) (0xF0 | (cp >> 18));
                b[i++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[i++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[i++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                if (i + 3 > limit) {
                    break;
                }
                char cc = Character.isSurrogate(c) ? '\uFFFD' : c;
                b[i++] = (byte) (0xE0 | (cc >> 12));
                b[i++] = (byte) (0x80 | ((cc >> 6) & 0x3F));
                b[i++] = (byte) (0x80 | (cc & 0x3F));
            }
        }
        pos = (long) i << 3;
        return i - start;
    }

    /** Number of bytes the UTF-8 encoding of {@code s} takes (unpaired surrogates count as U+FFFD). */
    static int utf8Length(CharSequence s) {
        int n = s.length();
        int len = 0;
        for (int k = 0; k < n; k++) {
            char c = s.charAt(k);
            if (c < 0x80) {
                len++;
            } else if (c < 0x800) {
                len += 2;
            } else if (Character.isHighSurrogate(c) && k + 1 < n && Character.isLowSurrogate(s.charAt(k + 1))) {
                len += 4;
                k++;
            } else {
                len += 3;
            }
        }
        return len;
    }
}
