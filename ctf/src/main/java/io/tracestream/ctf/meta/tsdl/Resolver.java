package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.IntegerClass.Role;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.VariantClass;
import io.tracestream.ctf.meta.tsdl.Ast.IdPath;
import io.tracestream.ctf.meta.tsdl.Types.T;
import io.tracestream.ctf.meta.tsdl.Types.TArray;
import io.tracestream.ctf.meta.tsdl.Types.TFloat;
import io.tracestream.ctf.meta.tsdl.Types.TInt;
import io.tracestream.ctf.meta.tsdl.Types.TMember;
import io.tracestream.ctf.meta.tsdl.Types.TStr;
import io.tracestream.ctf.meta.tsdl.Types.TStruct;
import io.tracestream.ctf.meta.tsdl.Types.TVariant;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Converts the type tree of one dynamic scope to the model, resolving every sequence length and variant tag
 * location to an absolute {@link FieldPath}, and giving well-known fields their {@link Role}s.
 *
 * <p>Resolution follows CTF 1.8: an absolute location ({@code trace.packet.header.x}, {@code stream.packet.context.x},
 * {@code stream.event.header.x}, {@code stream.event.context.x}, {@code event.context.x}, {@code event.fields.x})
 * starts at that scope; a relative one is searched in the enclosing structures, innermost first, then in the
 * earlier scopes (latest first). The target must come before the field that refers to it, must not be inside an
 * array that does not also hold that field, and must not be an enclosing field.
 *
 * <p>A resolved {@link FieldPath}'s names are structure member names only (leading {@code _} removed as babeltrace2
 * does): arrays and variants on the way are crossed transparently, meaning "the current element" and "the
 * selected option". A location may thus reach several fields through a variant (a variant whose options all hold
 * an unsigned integer is a valid length, as yactfr accepts); the one in the selected option is the length.
 */
final class Resolver {
    private static final int MAX_NODES = 1_000_000;
    /** Largest fixed size of a field accepted, in bits (2^60: far beyond any packet). */
    private static final long MAX_FIXED_BITS = 1L << 60;

    private final Analyzer a;
    private Scope scope;
    private Map<Scope, TStruct> roots;
    private final List<Frame> stack = new ArrayList<>();
    private int nodes;

    /** One level of the conversion stack: a container and the index of the child being converted. */
    private static final class Frame {
        final T node;
        int index;

        Frame(T node) {
            this.node = node;
        }
    }

    /** One step of a resolved location: the container and the index of the member/option/element taken. */
    private record Step(T container, int index) {
    }

    /** A resolved target: the steps from the scope root and the target type. */
    private record Target(Scope scope, List<Step> steps, T type) {
    }

    Resolver(Analyzer a) {
        this.a = a;
    }

    StructClass convertRoot(Scope sc, TStruct t, Map<Scope, TStruct> rootsSoFar) {
        this.scope = sc;
        this.roots = rootsSoFar;
        stack.clear();
        return (StructClass) convert(t, null, null, true, false);
    }

    // ---- conversion ---------------------------------------------------------------------------------------------

    private FieldClass convert(T t, String memberName, String optionName, boolean root, boolean uuidElement) {
        if (++nodes > MAX_NODES) {
            throw a.err(t.pos(), "metadata describes more than " + MAX_NODES + " field classes");
        }
        if (stack.size() > Parser.MAX_DEPTH) {
            throw a.err(t.pos(), "field classes nested deeper than " + Parser.MAX_DEPTH + " levels");
        }
        boolean rootMember = stack.size() == 1 && memberName != null;
        if (t instanceof TInt i) {
            return integer(i, memberName, optionName, rootMember, uuidElement);
        }
        if (t instanceof TFloat f) {
            return new FloatClass(f.align(), f.expDig() + f.mantDig(), f.byteOrder(), f.expDig(), f.mantDig(),
                    null);
        }
        if (t instanceof TStr s) {
            return new StringClass(StringClass.Kind.NULL_TERMINATED, -1, null, s.encoding(), null);
        }
        if (t instanceof TStruct s) {
            Frame f = new Frame(s);
            stack.add(f);
            List<StructClass.Member> members = new ArrayList<>(s.members().size());
            for (int k = 0; k < s.members().size(); k++) {
                f.index = k;
                TMember m = s.members().get(k);
                members.add(new StructClass.Member(strip(m.name()), convert(m.type(), m.name(), null, false,
                        false)));
            }
            stack.remove(stack.size() - 1);
            StructClass sc = new StructClass(members, s.minAlign(), null);
            long bits = 0;
            for (StructClass.Member m : members) {
                if (m.type().isFixedSize()) {
                    long al = m.type().alignment();
                    bits = (bits + al - 1) / al * al + m.type().fixedSizeBits();
                    if (bits > MAX_FIXED_BITS) {
                        throw a.err(s.pos(), "structure is too large (more than 2^60 bits)");
                    }
                }
            }
            return sc;
        }
        if (t instanceof TVariant v) {
            return variant(v);
        }
        TArray arr = (TArray) t;
        return array(arr, rootMember && scope == Scope.PACKET_HEADER && "uuid".equals(memberName));
    }

    static String strip(String name) {
        return name.startsWith("_") ? name.substring(1) : name;
    }

    private IntegerClass integer(TInt i, String memberName, String optionName, boolean rootMember,
                                 boolean uuidElement) {
        String clock = i.clock();
        if (clock != null && !a.clocks.containsKey(clock)) {
            throw a.err(i.pos(), "`map` attribute refers to unknown clock `" + clock + "`");
        }
        String name = memberName != null ? memberName : optionName;
        if (clock == null && name != null && ((scope == Scope.EVENT_HEADER && name.equals("timestamp"))
                || (scope == Scope.PACKET_CONTEXT && (name.equals("timestamp_begin")
                || name.equals("timestamp_end"))))) {
            clock = autoClock(i);
        }
        List<Role> roles = new ArrayList<>(2);
        if (i.signed()) {
            // a signed field never has a well-known meaning (yactfr and babeltrace2 would misread it)
        } else if (rootMember && scope == Scope.PACKET_HEADER) {
            switch (memberName) {
                case "magic" -> roles.add(Role.PACKET_MAGIC_NUMBER);
                case "stream_id" -> roles.add(Role.DATA_STREAM_CLASS_ID);
                case "stream_instance_id" -> roles.add(Role.DATA_STREAM_ID);
                default -> {
                }
            }
        } else if (rootMember && scope == Scope.PACKET_CONTEXT) {
            switch (memberName) {
                case "packet_size" -> roles.add(Role.PACKET_TOTAL_LENGTH);
                case "content_size" -> roles.add(Role.PACKET_CONTENT_LENGTH);
                case "timestamp_end" -> roles.add(Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP);
                case "events_discarded" -> roles.add(Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT);
                case "packet_seq_num" -> roles.add(Role.PACKET_SEQUENCE_NUMBER);
                default -> {
                }
            }
        } else if (scope == Scope.EVENT_HEADER && "id".equals(memberName)) {
            roles.add(Role.EVENT_RECORD_CLASS_ID);
        }
        if (uuidElement) {
            roles.add(Role.METADATA_STREAM_UUID);
        }
        if (clock != null && !roles.contains(Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP)) {
            roles.add(Role.DEFAULT_CLOCK_TIMESTAMP);
        }
        return IntegerClass.builder().alignment(i.align()).length(i.size()).signed(i.signed())
                .byteOrder(i.byteOrder()).base(i.base()).encoding(i.encoding()).mappedClock(clock)
                .mappings(i.mappings()).enumeration(i.isEnum()).roles(roles).build();
    }

    /** babeltrace2's implicit mapping of unmapped timestamp fields: the only clock, or an implicit 1 GHz one. */
    private String autoClock(TInt i) {
        Map<String, ClockClass> clocks = a.clocks;
        if (clocks.isEmpty()) {
            clocks.put("default", new ClockClass("default", null, 1_000_000_000L, 0, 0, 0, false, null, null));
            return "default";
        }
        if (clocks.size() == 1) {
            return clocks.keySet().iterator().next();
        }
        throw a.err(i.pos(), "timestamp field is not mapped to a clock and the trace has " + clocks.size()
                + " clocks: add `map = clock.NAME.value`");
    }

    private FieldClass variant(TVariant v) {
        if (v.tag() == null) {
            throw a.err(v.pos(), "variant has no tag (expecting `variant <TAG>`)");
        }
        List<Target> targets = resolve(v.tag());
        if (targets.size() != 1) {
            throw a.err(v.tag().pos(), "variant tag `" + v.tag().text() + "` refers to more than one field");
        }
        TInt tag = null;
        for (Target tg : targets) {
            if (!(tg.type() instanceof TInt ti) || !ti.isEnum()) {
                throw a.err(v.tag().pos(), "variant tag `" + v.tag().text() + "` is not an enumeration");
            }
            if (tag == null) {
                tag = ti;
            }
        }
        FieldPath path = toFieldPath(v.tag(), targets.get(0));
        Frame f = new Frame(v);
        stack.add(f);
        List<VariantClass.Option> options = new ArrayList<>(v.options().size());
        for (int k = 0; k < v.options().size(); k++) {
            f.index = k;
            TMember o = v.options().get(k);
            List<IntegerClass.Range> ranges = null;
            for (IntegerClass.Mapping m : tag.mappings()) {
                if (m.label().equals(o.name())) {
                    ranges = m.ranges();
                    break;
                }
            }
            if (ranges == null) {
                throw a.err(o.pos(), "variant tag `" + v.tag().text() + "` has no enumeration label named `"
                        + o.name() + "`");
            }
            options.add(new VariantClass.Option(strip(o.name()), convert(o.type(), null, o.name(), false, false),
                    ranges, Map.of()));
        }
        stack.remove(stack.size() - 1);
        return new VariantClass(path, options, null);
    }

    private FieldClass array(TArray arr, boolean uuid) {
        FieldPath lengthPath = null;
        if (arr.lengthRef() != null) {
            List<Target> targets = resolve(arr.lengthRef());
            for (Target tg : targets) {
                if (!(tg.type() instanceof TInt ti) || ti.signed()) {
                    throw a.err(arr.lengthRef().pos(), "sequence length `" + arr.lengthRef().text()
                            + "` is not an unsigned integer field");
                }
            }
            lengthPath = toFieldPath(arr.lengthRef(), targets.get(0));
        }
        Frame f = new Frame(arr);
        stack.add(f);
        boolean uuidElement = uuid && arr.lengthRef() == null && arr.length() == 16
                && arr.element() instanceof TInt ti && ti.size() == 8 && !ti.signed() && ti.align() == 8;
        FieldClass elem = convert(arr.element(), null, null, false, uuidElement);
        stack.remove(stack.size() - 1);
        boolean text = false;
        if (elem instanceof IntegerClass ic && ic.length() == 8 && ic.alignment() == 8
                && ic.encoding() != IntegerClass.Encoding.NONE) {
            text = true;
            if (ic.signed()) {
                elem = ic.toBuilder().signed(false).build();
            }
        }
        if (lengthPath == null && elem.isFixedSize() && arr.length() > 0) {
            long a2 = elem.alignment();
            long stride = (elem.fixedSizeBits() + a2 - 1) / a2 * a2;
            if (stride != 0 && arr.length() > MAX_FIXED_BITS / stride) {
                throw a.err(arr.pos(), "array is too large (more than 2^60 bits)");
            }
        }
        return new ArrayClass(elem, lengthPath == null ? arr.length() : -1, lengthPath, 1, text, null);
    }

    private static FieldPath toFieldPath(IdPath ref, Target t) {
        List<String> names = new ArrayList<>(t.steps().size());
        for (Step s : t.steps()) {
            if (s.container() instanceof TStruct st) {
                names.add(strip(st.members().get(s.index()).name()));
            }
        }
        return new FieldPath(t.scope(), names, ref.text());
    }

    // ---- location resolution ------------------------------------------------------------------------------------

    private static Scope absoluteScope(List<String> p) {
        if (p.size() > 3 && p.get(0).equals("trace") && p.get(1).equals("packet") && p.get(2).equals("header")) {
            return Scope.PACKET_HEADER;
        }
        if (p.size() > 3 && p.get(0).equals("stream") && p.get(1).equals("packet") && p.get(2).equals("context")) {
            return Scope.PACKET_CONTEXT;
        }
        if (p.size() > 3 && p.get(0).equals("stream") && p.get(1).equals("event") && p.get(2).equals("header")) {
            return Scope.EVENT_HEADER;
        }
        if (p.size() > 3 && p.get(0).equals("stream") && p.get(1).equals("event") && p.get(2).equals("context")) {
            return Scope.EVENT_COMMON_CONTEXT;
        }
        if (p.size() > 2 && p.get(0).equals("event") && p.get(1).equals("context")) {
            return Scope.EVENT_SPECIFIC_CONTEXT;
        }
        if (p.size() > 2 && p.get(0).equals("event") && p.get(1).equals("fields")) {
            return Scope.EVENT_PAYLOAD;
        }
        return null;
    }

    private static int prefixLength(Scope s) {
        return switch (s) {
            case PACKET_HEADER, PACKET_CONTEXT, EVENT_HEADER, EVENT_COMMON_CONTEXT -> 3;
            default -> 2;
        };
    }

    private List<Target> resolve(IdPath ref) {
        List<String> parts = ref.parts();
        Scope abs = absoluteScope(parts);
        List<Target> out = new ArrayList<>(1);
        if (abs != null) {
            String[] toks = parts.subList(prefixLength(abs), parts.size()).toArray(new String[0]);
            if (abs.ordinal() > scope.ordinal()) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to a scope decoded after this one");
            }
            TStruct root = abs == scope ? (TStruct) stack.get(0).node : roots.get(abs);
            if (root == null) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to a missing scope ("
                        + abs.tsdlPrefix() + ")");
            }
            collect(ref, abs, root, new ArrayList<>(), toks, 0, out, abs == scope);
        } else {
            String[] toks = parts.toArray(new String[0]);
            boolean found = false;
            for (int level = stack.size() - 1; level >= 0 && !found; level--) {
                Frame f = stack.get(level);
                if (f.node instanceof TStruct s) {
                    int idx = s.indexOf(toks[0]);
                    if (idx >= 0) {
                        List<Step> chain = new ArrayList<>(level + 1);
                        for (int k = 0; k < level; k++) {
                            chain.add(new Step(stack.get(k).node, stack.get(k).index));
                        }
                        chain.add(new Step(s, idx));
                        collect(ref, scope, s.members().get(idx).type(), chain, toks, 1, out, idx == f.index
                                && onPath(chain));
                        found = true;
                    }
                }
            }
            for (int so = scope.ordinal() - 1; so >= 0 && !found; so--) {
                Scope sc = Scope.values()[so];
                TStruct root = roots.get(sc);
                if (root != null && root.indexOf(toks[0]) >= 0) {
                    int idx = root.indexOf(toks[0]);
                    List<Step> chain = new ArrayList<>();
                    chain.add(new Step(root, idx));
                    collect(ref, sc, root.members().get(idx).type(), chain, toks, 1, out, false);
                    found = true;
                }
            }
            if (!found) {
                throw a.err(ref.pos(), "cannot find `" + toks[0] + "` (first element of location `" + ref.text()
                        + "`)");
            }
        }
        for (Target t : out) {
            validate(ref, t);
        }
        return out;
    }

    private boolean onPath(List<Step> chain) {
        for (int k = 0; k < chain.size(); k++) {
            if (k >= stack.size() || stack.get(k).index != chain.get(k).index()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Walks {@code toks[i..]} from {@code node} (reached by {@code chain}); {@code onPath} tells that the chain
     * leads to an ancestor of the field being resolved, so a variant there is crossed by its current option only.
     */
    private void collect(IdPath ref, Scope sc, T node, List<Step> chain, String[] toks, int i, List<Target> out,
                         boolean onPath) {
        if (chain.size() > Parser.MAX_DEPTH) {
            throw a.err(ref.pos(), "location `" + ref.text() + "` is nested too deeply");
        }
        int d = chain.size();
        if (node instanceof TVariant v) {
            if (i < toks.length && v.indexOf(toks[i]) >= 0) {
                int oi = v.indexOf(toks[i]);
                collect(ref, sc, v.options().get(oi).type(), with(chain, v, oi), toks, i + 1, out,
                        onPath && d < stack.size() && stack.get(d).index == oi);
            } else if (onPath && d < stack.size()) {
                int oi = stack.get(d).index;
                collect(ref, sc, v.options().get(oi).type(), with(chain, v, oi), toks, i, out, true);
            } else {
                for (int oi = 0; oi < v.options().size(); oi++) {
                    collect(ref, sc, v.options().get(oi).type(), with(chain, v, oi), toks, i, out, false);
                }
            }
            return;
        }
        if (i == toks.length) {
            out.add(new Target(sc, chain, node));
            return;
        }
        if (node instanceof TStruct s) {
            int idx = s.indexOf(toks[i]);
            if (idx < 0) {
                throw a.err(ref.pos(), "location `" + ref.text() + "`: cannot find `" + toks[i] + "`");
            }
            collect(ref, sc, s.members().get(idx).type(), with(chain, s, idx), toks, i + 1, out,
                    onPath && d < stack.size() && stack.get(d).index == idx);
        } else if (node instanceof TArray arr) {
            collect(ref, sc, arr.element(), with(chain, arr, 0), toks, i, out, onPath && d < stack.size());
        } else {
            throw a.err(ref.pos(), "location `" + ref.text() + "`: nothing past scalar field `" + toks[i - 1]
                    + "`");
        }
    }

    private static List<Step> with(List<Step> chain, T container, int index) {
        List<Step> c = new ArrayList<>(chain.size() + 1);
        c.addAll(chain);
        c.add(new Step(container, index));
        return c;
    }

    private void validate(IdPath ref, Target t) {
        List<Step> steps = t.steps();
        int firstOwn = 0;
        if (t.scope() == scope) {
            int d = 0;
            while (d < steps.size() && d < stack.size() && steps.get(d).index() == stack.get(d).index) {
                d++;
            }
            if (d == steps.size()) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to the field itself or to an"
                        + " enclosing field");
            }
            if (d == stack.size()) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to a field inside the field itself");
            }
            Step s = steps.get(d);
            if (s.container() instanceof TVariant) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to a field in another option of a"
                        + " variant");
            }
            if (s.index() > stack.get(d).index) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to a field that comes after");
            }
            firstOwn = d + 1;
        }
        for (int k = firstOwn; k < steps.size(); k++) {
            if (steps.get(k).container() instanceof TArray) {
                throw a.err(ref.pos(), "location `" + ref.text() + "` refers to a field inside an array");
            }
        }
    }

    // ---- self-contained check for aliases and named types -------------------------------------------------------

    /** Checks that every relative location inside {@code t} names a field of an enclosing structure of {@code t}. */
    static void checkSelfContained(Analyzer a, T t, List<TStruct> enclosing) {
        int[] budget = {100_000};
        check(a, t, enclosing, budget);
    }

    private static void check(Analyzer a, T t, List<TStruct> enclosing, int[] budget) {
        if (--budget[0] < 0 || enclosing.size() > Parser.MAX_DEPTH) {
            return;
        }
        if (t instanceof TStruct s) {
            enclosing.add(s);
            for (TMember m : s.members()) {
                check(a, m.type(), enclosing, budget);
            }
            enclosing.remove(enclosing.size() - 1);
        } else if (t instanceof TVariant v) {
            if (v.tag() != null) {
                checkRef(a, v.tag(), enclosing);
            }
            for (TMember m : v.options()) {
                check(a, m.type(), enclosing, budget);
            }
        } else if (t instanceof TArray arr) {
            if (arr.lengthRef() != null) {
                checkRef(a, arr.lengthRef(), enclosing);
            }
            check(a, arr.element(), enclosing, budget);
        }
    }

    private static void checkRef(Analyzer a, IdPath ref, List<TStruct> enclosing) {
        if (absoluteScope(ref.parts()) != null) {
            return;
        }
        String first = ref.parts().get(0);
        for (TStruct s : enclosing) {
            if (s.indexOf(first) >= 0) {
                return;
            }
        }
        throw a.err(ref.pos(), "relative location `" + ref.text() + "` in a type alias or named type must name a"
                + " field of that type");
    }
}
