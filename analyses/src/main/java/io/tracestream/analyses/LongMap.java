package io.tracestream.analyses;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A map from {@code long} keys (thread ids, CPU numbers, priorities) to objects, for the per-event lookups of the state
 * model and the analyses: open addressing on primitive keys (no {@code Long} boxing, no entry objects), iteration in
 * insertion order (as {@link java.util.LinkedHashMap}, so emitted partials keep their order). Replacing the value of
 * a key keeps its position. No removal. Serializable (passes and models cross split boundaries).
 */
final class LongMap<V> implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Entries in insertion order. */
    private long[] keys;
    private Object[] values;
    private int size;
    /** Open-addressing table: entry index + 1, 0 = free slot. Its length is a power of two, at most half full. */
    private int[] slots;
    private int shift;

    LongMap() {
        this(8);
    }

    LongMap(int expected) {
        int cap = Integer.highestOneBit(Math.max(4, expected) * 2 - 1) << 1;
        slots = new int[cap];
        shift = 64 - Integer.numberOfTrailingZeros(cap);
        keys = new long[Math.max(4, expected)];
        values = new Object[keys.length];
    }

    private int slot(long key) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> shift);
    }

    /** The value of {@code key}, or null. */
    @SuppressWarnings("unchecked")
    V get(long key) {
        int mask = slots.length - 1;
        for (int s = slot(key);; s = (s + 1) & mask) {
            int e = slots[s];
            if (e == 0) {
                return null;
            }
            if (keys[e - 1] == key) {
                return (V) values[e - 1];
            }
        }
    }

    boolean containsKey(long key) {
        int mask = slots.length - 1;
        for (int s = slot(key);; s = (s + 1) & mask) {
            int e = slots[s];
            if (e == 0) {
                return false;
            }
            if (keys[e - 1] == key) {
                return true;
            }
        }
    }

    /** Sets the value of {@code key} (a new key goes last in the iteration order). */
    void put(long key, V value) {
        int mask = slots.length - 1;
        int s = slot(key);
        for (;; s = (s + 1) & mask) {
            int e = slots[s];
            if (e == 0) {
                break;
            }
            if (keys[e - 1] == key) {
                values[e - 1] = value;
                return;
            }
        }
        if (size == keys.length) {
            keys = Arrays.copyOf(keys, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        keys[size] = key;
        values[size] = value;
        slots[s] = ++size;
        if (size * 2 > slots.length) {
            rehash(slots.length * 2);
        }
    }

    private void rehash(int cap) {
        slots = new int[cap];
        shift = 64 - Integer.numberOfTrailingZeros(cap);
        int mask = cap - 1;
        for (int i = 0; i < size; i++) {
            int s = slot(keys[i]);
            while (slots[s] != 0) {
                s = (s + 1) & mask;
            }
            slots[s] = i + 1;
        }
    }

    int size() {
        return size;
    }

    /** The key of the i-th entry (insertion order). */
    long keyAt(int i) {
        return keys[i];
    }

    /** The value of the i-th entry (insertion order). */
    @SuppressWarnings("unchecked")
    V valueAt(int i) {
        return (V) values[i];
    }

    /** The values in insertion order (a copy). */
    java.util.List<V> values() {
        java.util.List<V> out = new java.util.ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(valueAt(i));
        }
        return out;
    }
}
