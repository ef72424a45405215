package io.tracestream.ctf.meta;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A structure field class: an ordered list of named members. */
public final class StructClass extends FieldClass {

    /** One member of a structure. */
    public record Member(String name, FieldClass type, Map<String, Object> attributes) {
        public Member(String name, FieldClass type) {
            this(name, type, Map.of());
        }
    }

    private final List<Member> members;
    private final Map<String, Integer> index;

    /**
     * @param minimumAlignment TSDL {@code align(N)} or CTF 2 {@code minimum-alignment}, in bits; the effective
     *                         alignment is the largest of it and the members' alignments
     */
    public StructClass(List<Member> members, int minimumAlignment, Map<String, Object> attributes) {
        super(effectiveAlignment(members, minimumAlignment), attributes);
        this.members = List.copyOf(members);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.members.size(); i++) {
            idx.putIfAbsent(this.members.get(i).name(), i);
        }
        this.index = idx;
    }

    public StructClass(List<Member> members) {
        this(members, 1, null);
    }

    private static int effectiveAlignment(List<Member> members, int minimumAlignment) {
        int a = Math.max(1, minimumAlignment);
        for (Member m : members) {
            a = Math.max(a, m.type().alignment());
        }
        return a;
    }

    public List<Member> members() { return members; }

    public int memberCount() { return members.size(); }

    public Member member(int i) { return members.get(i); }

    /** Index of the member with this name, or -1. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        return i == null ? -1 : i;
    }

    /** The member's class, or null when there is no such member. */
    public FieldClass memberType(String name) {
        int i = indexOf(name);
        return i < 0 ? null : members.get(i).type();
    }

    @Override
    public boolean isFixedSize() {
        for (Member m : members) {
            if (!m.type().isFixedSize()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public long fixedSizeBits() {
        if (!isFixedSize()) {
            return -1;
        }
        long bits = 0;
        for (Member m : members) {
            long a = m.type().alignment();
            bits = (bits + a - 1) / a * a + m.type().fixedSizeBits();
        }
        return bits;
    }
}
