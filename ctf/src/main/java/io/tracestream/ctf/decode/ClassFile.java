package io.tracestream.ctf.decode;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A minimal class file writer for {@link Jit}: one class with a constructor and one method, whose code is built with
 * {@link Code}. The class file version is 49 (Java 5), verified by the type-inferring verifier, so methods with
 * branches need no stack map frames; nothing the generated code does needs a later version.
 */
final class ClassFile {
    private static final int VERSION = 49;

    private final ByteArrayOutputStream poolBytes = new ByteArrayOutputStream();
    private final DataOutputStream pool = new DataOutputStream(poolBytes);
    /** Constant pool index by entry (tag and contents; no string concatenation: this runs cold, at start-up). */
    private final Map<List<Object>, Integer> entries = new HashMap<>();
    private int poolCount = 1;
    private final List<byte[]> methods = new ArrayList<>();
    private final int thisClass;
    private final int superClass;

    /** A class {@code name} (internal form, e.g. {@code a/b/C}) extending {@code superName}. */
    ClassFile(String name, String superName) {
        this.thisClass = classRef(name);
        this.superClass = classRef(superName);
    }

    /** The index of a constant already in the pool, or -1. */
    private int find(List<Object> key) {
        Integer i = entries.get(key);
        return i == null ? -1 : i;
    }

    /** Records the entry just written to the pool (taking {@code slots} indexes) and returns its index. */
    private int added(List<Object> key, int slots) {
        int idx = poolCount;
        poolCount += slots;
        entries.put(key, idx);
        return idx;
    }

    int utf8(String s) {
        List<Object> key = List.of(1, s);
        int i = find(key);
        if (i >= 0) {
            return i;
        }
        try {
            pool.writeByte(1);
            pool.writeUTF(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added(key, 1);
    }

    int classRef(String internalName) {
        List<Object> key = List.of(7, internalName);
        int i = find(key);
        if (i >= 0) {
            return i;
        }
        int n = utf8(internalName);
        return ref(key, 7, n, -1, 1);
    }

    int intConst(int v) {
        List<Object> key = List.of(3, v);
        int i = find(key);
        if (i >= 0) {
            return i;
        }
        try {
            pool.writeByte(3);
            pool.writeInt(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added(key, 1);
    }

    int longConst(long v) {
        List<Object> key = List.of(5, v);
        int i = find(key);
        if (i >= 0) {
            return i;
        }
        try {
            pool.writeByte(5);
            pool.writeLong(v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added(key, 2);
    }

    private int nameAndType(String name, String desc) {
        List<Object> key = List.of(12, name, desc);
        int i = find(key);
        if (i >= 0) {
            return i;
        }
        int n = utf8(name);
        int d = utf8(desc);
        return ref(key, 12, n, d, 1);
    }

    int fieldRef(String owner, String name, String desc) {
        return memberRef(9, owner, name, desc);
    }

    int methodRef(String owner, String name, String desc) {
        return memberRef(10, owner, name, desc);
    }

    private int memberRef(int tag, String owner, String name, String desc) {
        List<Object> key = List.of(tag, owner, name, desc);
        int i = find(key);
        if (i >= 0) {
            return i;
        }
        int c = classRef(owner);
        int nt = nameAndType(name, desc);
        return ref(key, tag, c, nt, 1);
    }

    /** Writes an entry of {@code tag} with one or two u2 indexes ({@code b} < 0: one). */
    private int ref(List<Object> key, int tag, int a, int b, int slots) {
        try {
            pool.writeByte(tag);
            pool.writeShort(a);
            if (b >= 0) {
                pool.writeShort(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return added(key, slots);
    }

    /** Adds a method with the code of {@code code}. */
    void method(int access, String name, String desc, Code code) {
        int n = utf8(name);
        int d = utf8(desc);
        int codeAttr = utf8("Code");
        byte[] bc = code.bytes();
        if (bc.length >= 65535) {
            throw new IllegalStateException("method too large");
        }
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(bo)) {
            o.writeShort(access);
            o.writeShort(n);
            o.writeShort(d);
            o.writeShort(1);
            o.writeShort(codeAttr);
            o.writeInt(2 + 2 + 4 + bc.length + 2 + 2);
            o.writeShort(code.maxStack);
            o.writeShort(code.maxLocals);
            o.writeInt(bc.length);
            o.write(bc);
            o.writeShort(0);
            o.writeShort(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        methods.add(bo.toByteArray());
    }

    byte[] toBytes() {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (DataOutputStream o = new DataOutputStream(bo)) {
            o.writeInt(0xCAFEBABE);
            o.writeShort(0);
            o.writeShort(VERSION);
            o.writeShort(poolCount);
            pool.flush();
            o.write(poolBytes.toByteArray());
            o.writeShort(0x0001 | 0x0010 | 0x0020); // public final super
            o.writeShort(thisClass);
            o.writeShort(superClass);
            o.writeShort(0);
            o.writeShort(0);
            o.writeShort(methods.size());
            for (byte[] m : methods) {
                o.write(m);
            }
            o.writeShort(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bo.toByteArray();
    }

    /** Bytecode of one method, with labels for forward and backward branches (16-bit offsets). */
    static final class Code {
        private byte[] b = new byte[256];
        private int len;
        int maxStack = 16;
        int maxLocals;
        private final List<int[]> fixups = new ArrayList<>(); // {insn pos, offset pos, label, wide}
        private int[] labels = new int[16];
        private int labelCount;

        Code(int maxLocals) {
            this.maxLocals = maxLocals;
        }

        int newLabel() {
            if (labelCount == labels.length) {
                labels = java.util.Arrays.copyOf(labels, labelCount * 2);
            }
            labels[labelCount] = -1;
            return labelCount++;
        }

        void mark(int label) {
            labels[label] = len;
        }

        int size() {
            return len;
        }

        void u1(int v) {
            if (len == b.length) {
                b = java.util.Arrays.copyOf(b, len * 2);
            }
            b[len++] = (byte) v;
        }

        void u2(int v) {
            u1(v >>> 8);
            u1(v);
        }

        void u4(int v) {
            u2(v >>> 16);
            u2(v);
        }

        void op(int opcode) {
            u1(opcode);
        }

        void op1(int opcode, int operand) {
            u1(opcode);
            u1(operand);
        }

        void op2(int opcode, int operand) {
            u1(opcode);
            u2(operand);
        }

        /** A load or store of local {@code idx} (xLOAD/xSTORE opcode with a byte index, or wide). */
        void local(int opcode, int idx) {
            if (idx < 256) {
                op1(opcode, idx);
            } else {
                u1(0xc4);
                op2(opcode, idx);
            }
        }

        /** A branch instruction to {@code label}. */
        void jump(int opcode, int label) {
            int at = len;
            u1(opcode);
            fixups.add(new int[] {at, len, label, 0});
            u2(0);
        }

        /** tableswitch over [0, targets.length) with a default label. */
        void tableSwitch(int dflt, int[] targets) {
            int at = len;
            u1(0xaa);
            while (len % 4 != 0) {
                u1(0);
            }
            fixups.add(new int[] {at, len, dflt, 1});
            u4(0);
            u4(0);
            u4(targets.length - 1);
            for (int t : targets) {
                fixups.add(new int[] {at, len, t, 1});
                u4(0);
            }
        }

        byte[] bytes() {
            for (int[] f : fixups) {
                int target = labels[f[2]];
                if (target < 0) {
                    throw new IllegalStateException("unmarked label");
                }
                int off = target - f[0];
                if (f[3] == 1) {
                    b[f[1]] = (byte) (off >>> 24);
                    b[f[1] + 1] = (byte) (off >>> 16);
                    b[f[1] + 2] = (byte) (off >>> 8);
                    b[f[1] + 3] = (byte) off;
                } else {
                    if (off < Short.MIN_VALUE || off > Short.MAX_VALUE) {
                        throw new IllegalStateException("branch too far");
                    }
                    b[f[1]] = (byte) (off >>> 8);
                    b[f[1] + 1] = (byte) off;
                }
            }
            return java.util.Arrays.copyOf(b, len);
        }
    }
}
