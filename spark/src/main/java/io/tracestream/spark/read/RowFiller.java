package io.tracestream.spark.read;

import io.tracestream.ctf.decode.Utf8FieldVisitor;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import java.util.ArrayList;
import java.util.Arrays;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.util.GenericArrayData;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Walks one scope of an event ({@link io.tracestream.ctf.EventRecord#accept}) and stores the Spark values of the
 * wanted fields into a target array, following a compiled {@link FieldNode} tree. Pruned members are walked past
 * without materialising anything. One instance per reader; not thread-safe.
 */
final class RowFiller implements Utf8FieldVisitor {
    private static final int ROOT = 0;
    private static final int STRUCT = 1;
    private static final int ARRAY = 2;
    private static final int VARIANT = 3;
    private static final int OPTIONAL = 4;

    private int[] kinds = new int[16];
    private FieldNode[] nodes = new FieldNode[16];
    private Object[][] vals = new Object[16][];
    @SuppressWarnings("unchecked")
    private ArrayList<Object>[] lists = new ArrayList[16];
    private int[] next = new int[16];
    private int depth;
    private int skip;
    private Object[] rootTarget;

    /** Walks into {@code target} with the root struct node {@code root}: call before {@code accept}. */
    void start(FieldNode root, Object[] target) {
        depth = 0;
        skip = 0;
        kinds[0] = ROOT;
        nodes[0] = root;
        rootTarget = target;
    }

    /** The node of the field that starts now, or null when it is not wanted; {@link #slot} tells where it goes. */
    private FieldNode enter() {
        int d = depth;
        FieldNode n = nodes[d];
        switch (kinds[d]) {
            case ROOT:
                slot = -2;
                return n;
            case STRUCT: {
                int m = next[d]++;
                if (m >= n.children.length) {
                    slot = -1;
                    return null;
                }
                slot = n.slots[m];
                return n.children[m];
            }
            case VARIANT: {
                int o = next[d];
                slot = n.slots[o];
                return n.children[o];
            }
            default: // ARRAY, OPTIONAL
                slot = 0;
                return n.children[0];
        }
    }

    private int slot;

    private void store(Object v) {
        int d = depth;
        switch (kinds[d]) {
            case ARRAY -> lists[d].add(v);
            case OPTIONAL -> vals[d][0] = v;
            case ROOT -> { }
            default -> {
                if (slot >= 0) {
                    vals[d][slot] = v;
                }
            }
        }
    }

    private void push(int kind, FieldNode n, Object[] v) {
        int d = ++depth;
        if (d == kinds.length) {
            int len = d * 2;
            kinds = Arrays.copyOf(kinds, len);
            nodes = Arrays.copyOf(nodes, len);
            vals = Arrays.copyOf(vals, len);
            lists = Arrays.copyOf(lists, len);
            next = Arrays.copyOf(next, len);
            parentSlot = Arrays.copyOf(parentSlot, len);
        }
        kinds[d] = kind;
        nodes[d] = n;
        vals[d] = v;
        next[d] = 0;
    }

    @Override
    public void integer(String name, IntegerClass type, long value) {
        if (skip > 0) {
            return;
        }
        FieldNode n = enter();
        if (n == null) {
            return;
        }
        store(n.kind == FieldNode.Kind.ENUM ? n.enumValue(value) : FieldNode.integerValue(n.kind, value));
    }

    @Override
    public void floating(String name, FloatClass type, double value) {
        if (skip > 0) {
            return;
        }
        FieldNode n = enter();
        if (n == null) {
            return;
        }
        store(n.kind == FieldNode.Kind.FLOAT ? (Object) (float) value : (Object) value);
    }

    @Override
    public void string(String name, FieldClass type, String value) {
        if (skip > 0) {
            return;
        }
        if (enter() == null) {
            return;
        }
        store(UTF8String.fromString(value));
    }

    /** UTF-8 text straight from the packet bytes (no String decoding). */
    @Override
    public void utf8(String name, FieldClass type, byte[] bytes, int offset, int length) {
        if (skip > 0) {
            return;
        }
        if (enter() == null) {
            return;
        }
        store(UTF8String.fromBytes(Arrays.copyOfRange(bytes, offset, offset + length)));
    }

    @Override
    public void blob(String name, BlobClass type, byte[] bytes, int offset, int length) {
        if (skip > 0) {
            return;
        }
        if (enter() == null) {
            return;
        }
        store(Arrays.copyOfRange(bytes, offset, offset + length));
    }

    @Override
    public void beginStruct(String name, StructClass type) {
        FieldNode n = enterCompound();
        if (n == null) {
            return;
        }
        int s = slot;
        push(STRUCT, n, s == -2 ? rootTarget : new Object[n.width]);
        next[depth] = 0;
        parentSlot[depth] = s;
    }

    private int[] parentSlot = new int[16];

    @Override
    public void endStruct(String name, StructClass type) {
        if (!leaveCompound()) {
            return;
        }
        Object[] v = vals[depth];
        int s = parentSlot[depth];
        if (s == -2) {
            depth--;
            return;
        }
        depth--;
        storeAt(s, new GenericInternalRow(v));
    }

    /**
     * Enters a compound field (struct, array, variant, optional): its node, or null when it is not materialised, in
     * which case it is skipped whole, with everything inside it, until the matching {@link #leaveCompound()}.
     */
    private FieldNode enterCompound() {
        if (skip > 0) {
            skip++;
            return null;
        }
        FieldNode n = enter();
        if (n == null) {
            skip = 1;
        }
        return n;
    }

    /** Leaves a compound field: false when it was skipped (nothing to store). */
    private boolean leaveCompound() {
        if (skip > 0) {
            skip--;
            return false;
        }
        return true;
    }

    /** Stores into the parent at a slot remembered when the child began (struct members). */
    private void storeAt(int s, Object value) {
        slot = s;
        store(value);
    }

    @Override
    public void beginArray(String name, ArrayClass type, long length) {
        FieldNode n = enterCompound();
        if (n == null) {
            return;
        }
        int s = slot;
        push(ARRAY, n, null);
        parentSlot[depth] = s;
        ArrayList<Object> l = lists[depth];
        if (l == null) {
            l = new ArrayList<>((int) Math.min(length, 1024));
            lists[depth] = l;
        } else {
            l.clear();
        }
    }

    @Override
    public void endArray(String name, ArrayClass type) {
        if (!leaveCompound()) {
            return;
        }
        Object[] arr = lists[depth].toArray();
        int s = parentSlot[depth];
        depth--;
        storeAt(s, new GenericArrayData(arr));
    }

    @Override
    public void beginVariant(String name, VariantClass type, int optionIndex) {
        FieldNode n = enterCompound();
        if (n == null) {
            return;
        }
        int s = slot;
        Object[] v = new Object[n.width];
        if (n.tagSlot >= 0) {
            v[n.tagSlot] = UTF8String.fromString(n.optionNames[optionIndex]);
        }
        push(VARIANT, n, v);
        next[depth] = optionIndex;
        parentSlot[depth] = s;
    }

    @Override
    public void endVariant(String name, VariantClass type) {
        if (!leaveCompound()) {
            return;
        }
        Object[] v = vals[depth];
        int s = parentSlot[depth];
        depth--;
        storeAt(s, new GenericInternalRow(v));
    }

    @Override
    public void beginOptional(String name, OptionalClass type, boolean present) {
        FieldNode n = enterCompound();
        if (n == null) {
            return;
        }
        int s = slot;
        push(OPTIONAL, n, new Object[1]);
        parentSlot[depth] = s;
    }

    @Override
    public void endOptional(String name, OptionalClass type) {
        if (!leaveCompound()) {
            return;
        }
        Object v = vals[depth][0];
        int s = parentSlot[depth];
        depth--;
        storeAt(s, v);
    }
}
