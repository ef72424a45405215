package io.tracestream.ctf.meta.tsdl;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.tsdl.Ast.Attr;
import io.tracestream.ctf.meta.tsdl.Ast.Block;
import io.tracestream.ctf.meta.tsdl.Ast.Decl;
import io.tracestream.ctf.meta.tsdl.Ast.Declarator;
import io.tracestream.ctf.meta.tsdl.Ast.Enumerator;
import io.tracestream.ctf.meta.tsdl.Ast.IdPath;
import io.tracestream.ctf.meta.tsdl.Ast.IntLit;
import io.tracestream.ctf.meta.tsdl.Ast.Pos;
import io.tracestream.ctf.meta.tsdl.Ast.StrLit;
import io.tracestream.ctf.meta.tsdl.Ast.Subscript;
import io.tracestream.ctf.meta.tsdl.Ast.TypeSpec;
import io.tracestream.ctf.meta.tsdl.Ast.Value;
import io.tracestream.ctf.meta.tsdl.Types.T;
import io.tracestream.ctf.meta.tsdl.Types.TArray;
import io.tracestream.ctf.meta.tsdl.Types.TFloat;
import io.tracestream.ctf.meta.tsdl.Types.TInt;
import io.tracestream.ctf.meta.tsdl.Types.TMember;
import io.tracestream.ctf.meta.tsdl.Types.TStr;
import io.tracestream.ctf.meta.tsdl.Types.TStruct;
import io.tracestream.ctf.meta.tsdl.Types.TVariant;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Semantic analysis of a TSDL syntax tree: type scopes and aliases, attribute checks, then conversion of every
 * dynamic scope to the model with resolved field paths ({@link Resolver}).
 *
 * <p>Root-level items are visited in babeltrace2's order, whatever their order in the text: the trace's byte order
 * first (so {@code native} is known everywhere), then {@code env}, {@code clock}, root type declarations, the
 * {@code trace} block, {@code stream} blocks and {@code event} blocks.
 */
final class Analyzer {
    /** Largest static array length accepted (elements). */
    static final long MAX_ARRAY_LENGTH = Integer.MAX_VALUE;

    private final Path file;
    private ByteOrder traceByteOrder;
    private final Map<String, Object> env = new LinkedHashMap<>();
    private boolean hasEnv;
    final Map<String, ClockClass> clocks = new LinkedHashMap<>();

    Analyzer(Path file) {
        this.file = file;
    }

    CtfException err(Pos p, String what) {
        return CtfException.inMetadata(file, p == null ? 1 : p.line(), p == null ? 1 : p.col(), what);
    }

    // ---- type scopes --------------------------------------------------------------------------------------------

    /**
     * A lexical scope of type names: aliases/typedefs, and the struct, variant and enum name spaces. A name space's
     * map is created at its first definition: most scopes (one per structure or variant body) define nothing.
     */
    static final class TypeScope {
        static final int ALIASES = 0;
        static final int STRUCTS = 1;
        static final int VARIANTS = 2;
        static final int ENUMS = 3;

        final TypeScope parent;
        private Map<String, T>[] spaces;

        TypeScope(TypeScope parent) {
            this.parent = parent;
        }

        /** The innermost definition of {@code name} in name space {@code space}, or null. */
        <V extends T> V find(int space, String name) {
            for (TypeScope s = this; s != null; s = s.parent) {
                if (s.spaces != null && s.spaces[space] != null) {
                    T v = s.spaces[space].get(name);
                    if (v != null) {
                        @SuppressWarnings("unchecked")
                        V found = (V) v;
                        return found;
                    }
                }
            }
            return null;
        }

        /** Defines {@code name} in this scope's name space {@code space}; false when it is already defined here. */
        @SuppressWarnings("unchecked")
        boolean define(int space, String name, T t) {
            if (spaces == null) {
                spaces = new Map[4];
            }
            if (spaces[space] == null) {
                spaces[space] = new HashMap<>();
            }
            return spaces[space].putIfAbsent(name, t) == null;
        }
    }

    // ---- entry --------------------------------------------------------------------------------------------------

    TraceClass analyze(Ast.Root root) {
        List<Block> traces = new ArrayList<>();
        List<Block> envs = new ArrayList<>();
        List<Block> clockBlocks = new ArrayList<>();
        List<Block> streams = new ArrayList<>();
        List<Block> events = new ArrayList<>();
        for (Block b : root.blocks()) {
            switch (b.kind()) {
                case "trace" -> traces.add(b);
                case "env" -> envs.add(b);
                case "clock" -> clockBlocks.add(b);
                case "stream" -> streams.add(b);
                case "event" -> events.add(b);
                default -> callsite(b);
            }
        }
        if (traces.isEmpty()) {
            throw err(new Pos(1, 1), "missing `trace` block");
        }
        if (traces.size() > 1) {
            throw err(traces.get(1).pos(), "duplicate `trace` block");
        }
        Block trace = traces.get(0);
        traceByteOrder = traceByteOrder(trace);
        if (envs.size() > 1) {
            throw err(envs.get(1).pos(), "duplicate `env` block");
        }
        for (Block b : envs) {
            env(b);
        }
        for (Block b : clockBlocks) {
            clock(b);
        }
        TypeScope rootScope = new TypeScope(null);
        for (Decl d : root.declarations()) {
            declaration(d, rootScope, null);
        }

        // trace block
        TraceInfo ti = traceBlock(trace, new TypeScope(rootScope));
        Resolver resolver = new Resolver(this);
        StructClass packetHeader = ti.packetHeader == null ? null
                : resolver.convertRoot(Scope.PACKET_HEADER, ti.packetHeader, Map.of());

        // stream blocks
        Map<Long, StreamInfo> streamInfos = new LinkedHashMap<>();
        for (Block b : streams) {
            StreamInfo si = streamBlock(b, new TypeScope(rootScope), streams.size());
            if (streamInfos.containsKey(si.id)) {
                throw err(b.pos(), "duplicate `stream` block with ID " + si.id);
            }
            streamInfos.put(si.id, si);
        }
        for (StreamInfo si : streamInfos.values()) {
            si.roots.put(Scope.PACKET_HEADER, ti.packetHeader);
            si.packetContext = convertScope(resolver, Scope.PACKET_CONTEXT, si.pcT, si.roots);
            si.eventHeader = convertScope(resolver, Scope.EVENT_HEADER, si.ehT, si.roots);
            si.commonContext = convertScope(resolver, Scope.EVENT_COMMON_CONTEXT, si.eccT, si.roots);
        }

        // event blocks
        for (Block b : events) {
            EventInfo ei = eventBlock(b, new TypeScope(rootScope));
            StreamInfo si;
            if (ei.streamId == null) {
                if (streamInfos.isEmpty()) {
                    si = implicitStream(streamInfos, ti);
                } else if (streamInfos.containsKey(0L)) {
                    si = streamInfos.get(0L);
                } else {
                    throw err(b.pos(), "`event` block without `stream_id` needs a stream class with ID 0");
                }
            } else {
                si = streamInfos.get(ei.streamId);
                if (si == null) {
                    if (streamInfos.isEmpty() && ei.streamId == 0) {
                        si = implicitStream(streamInfos, ti);
                    } else {
                        throw err(ei.streamIdPos, "`event` block refers to unknown stream class " + ei.streamId);
                    }
                }
            }
            long id = ei.id == null ? 0 : ei.id;
            if (!si.eventIds.add(id)) {
                throw err(ei.id == null ? b.pos() : ei.idPos, "duplicate event class ID " + id
                        + " in stream class " + si.id);
            }
            Map<Scope, TStruct> roots = new HashMap<>(si.roots);
            StructClass spec = convertScope(resolver, Scope.EVENT_SPECIFIC_CONTEXT, ei.ctxT, roots);
            StructClass payload = convertScope(resolver, Scope.EVENT_PAYLOAD, ei.fieldsT, roots);
            si.events.add(new EventClass(id, ei.name, ei.logLevel, ei.emfUri, spec, payload, null));
            si.eventPos.add(b.pos());
        }

        // validation of well-known fields and stream classes
        if (streamInfos.size() > 1 && (ti.packetHeader == null || ti.packetHeader.indexOf("stream_id") < 0)) {
            throw err(ti.packetHeader == null ? trace.pos() : ti.packetHeader.pos(), "the trace has "
                    + streamInfos.size()
                    + " stream classes but its packet header has no `stream_id` field");
        }
        int magic = ti.packetHeader == null ? -1 : ti.packetHeader.indexOf("magic");
        checkWellKnown(magic < 0 ? trace.pos() : ti.packetHeader.members().get(magic).pos(), packetHeader,
                streamInfos);

        TraceClass tc = new TraceClass(1, 8, traceByteOrder, ti.uuid, packetHeader, env, clocks, null, null, null,
                null);
        for (StreamInfo si : streamInfos.values()) {
            ClockClass def = Roles.defaultClock(this, si, clocks);
            StreamClass sc = new StreamClass(si.id, null, si.packetContext, si.eventHeader, si.commonContext, def,
                    null);
            for (EventClass ec : si.events) {
                sc.addEventClass(ec);
            }
            tc.addStreamClass(sc);
        }
        return tc;
    }

    private StreamInfo implicitStream(Map<Long, StreamInfo> infos, TraceInfo ti) {
        StreamInfo si = new StreamInfo();
        si.id = 0;
        si.roots.put(Scope.PACKET_HEADER, ti.packetHeader);
        infos.put(0L, si);
        return si;
    }

    private StructClass convertScope(Resolver r, Scope scope, TStruct t, Map<Scope, TStruct> roots) {
        if (t == null) {
            return null;
        }
        roots.put(scope, t);
        return r.convertRoot(scope, t, roots);
    }

    private static long size(StructClass s) {
        return s == null ? 0 : Roles.minimumBits(s, 0);
    }

    private void checkWellKnown(Pos where, StructClass ph, Map<Long, StreamInfo> streams) {
        if (ph != null) {
            Roles.checkMagic(this, where, ph);
        }
        for (StreamInfo si : streams.values()) {
            for (int k = 0; k < si.events.size(); k++) {
                EventClass ec = si.events.get(k);
                if (size(si.eventHeader) == 0 && size(si.commonContext) == 0 && size(ec.specificContext()) == 0
                        && size(ec.payload()) == 0) {
                    throw err(si.eventPos.get(k), "event class " + ec.id() + " of stream class " + si.id
                            + ": any event record would be empty (no data)");
                }
            }
        }
    }

    // ---- root blocks --------------------------------------------------------------------------------------------

    static final class TraceInfo {
        UUID uuid;
        TStruct packetHeader;
    }

    static final class StreamInfo {
        long id;
        Pos pos;
        TStruct pcT;
        TStruct ehT;
        TStruct eccT;
        StructClass packetContext;
        StructClass eventHeader;
        StructClass commonContext;
        final Map<Scope, TStruct> roots = new HashMap<>();
        final List<EventClass> events = new ArrayList<>();
        final List<Pos> eventPos = new ArrayList<>();
        final Set<Long> eventIds = new HashSet<>();
    }

    static final class EventInfo {
        Long id;
        Pos idPos;
        Long streamId;
        Pos streamIdPos;
        String name;
        Long logLevel;
        String emfUri;
        TStruct ctxT;
        TStruct fieldsT;
    }

    private ByteOrder traceByteOrder(Block trace) {
        ByteOrder bo = null;
        for (Decl d : trace.body()) {
            if (d instanceof Ast.AttrDecl a && a.name().equals("byte_order")) {
                if (bo != null) {
                    throw err(a.pos(), "duplicate attribute `byte_order` in `trace` block");
                }
                String s = word(a.value(), "`byte_order` attribute");
                bo = switch (s) {
                    case "be", "network" -> ByteOrder.BIG_ENDIAN;
                    case "le" -> ByteOrder.LITTLE_ENDIAN;
                    case "native" -> throw err(a.value().pos(),
                            "`byte_order` attribute of `trace` block cannot be `native`");
                    default -> throw err(a.value().pos(), "invalid `byte_order` attribute `" + s
                            + "`: expecting `be`, `le` or `network`");
                };
            }
        }
        if (bo == null) {
            throw err(trace.pos(), "missing `byte_order` attribute in `trace` block");
        }
        return bo;
    }

    private TraceInfo traceBlock(Block b, TypeScope scope) {
        TraceInfo ti = new TraceInfo();
        Set<String> seen = new HashSet<>();
        for (Decl d : b.body()) {
            if (d instanceof Ast.AttrDecl a) {
                once(seen, a.name(), a.pos(), "trace");
                switch (a.name()) {
                    case "major" -> {
                        long v = uint(a.value(), "`major` attribute");
                        if (v != 1) {
                            throw err(a.value().pos(), "unsupported CTF major version " + v + " (expecting 1)");
                        }
                    }
                    case "minor" -> {
                        long v = uint(a.value(), "`minor` attribute");
                        if (v != 8) {
                            throw err(a.value().pos(), "unsupported CTF minor version " + v + " (expecting 8)");
                        }
                    }
                    case "uuid" -> ti.uuid = uuid(a.value());
                    case "byte_order" -> {
                        // handled first
                    }
                    default -> {
                        // babeltrace2 ignores unknown attributes here (with a warning); so do we
                    }
                }
            } else if (d instanceof Ast.TypeAttrDecl ta) {
                once(seen, ta.name(), ta.pos(), "trace");
                if (ta.name().equals("packet.header")) {
                    ti.packetHeader = scopeStruct(ta, scope);
                } // else: babeltrace2 ignores unknown type entries (with a warning); so do we
            } else {
                declaration(d, scope, null);
            }
        }
        if (!seen.contains("major")) {
            throw err(b.pos(), "missing `major` attribute in `trace` block");
        }
        if (!seen.contains("minor")) {
            throw err(b.pos(), "missing `minor` attribute in `trace` block");
        }
        return ti;
    }

    private StreamInfo streamBlock(Block b, TypeScope scope, int streamCount) {
        StreamInfo si = new StreamInfo();
        si.pos = b.pos();
        Set<String> seen = new HashSet<>();
        boolean hasId = false;
        for (Decl d : b.body()) {
            if (d instanceof Ast.AttrDecl a) {
                once(seen, a.name(), a.pos(), "stream");
                if (!a.name().equals("id")) {
                    continue; // babeltrace2 ignores unknown attributes here (with a warning); so do we
                }
                si.id = uint(a.value(), "`id` attribute");
                hasId = true;
            } else if (d instanceof Ast.TypeAttrDecl ta) {
                once(seen, ta.name(), ta.pos(), "stream");
                switch (ta.name()) {
                    case "packet.context" -> si.pcT = scopeStruct(ta, scope);
                    case "event.header" -> si.ehT = scopeStruct(ta, scope);
                    case "event.context" -> si.eccT = scopeStruct(ta, scope);
                    default -> {
                        // babeltrace2 ignores unknown type entries (with a warning); so do we
                    }
                }
            } else {
                declaration(d, scope, null);
            }
        }
        if (!hasId && streamCount > 1) {
            throw err(b.pos(), "missing `id` attribute in `stream` block (the trace has " + streamCount
                    + " stream blocks)");
        }
        return si;
    }

    private EventInfo eventBlock(Block b, TypeScope scope) {
        EventInfo ei = new EventInfo();
        Set<String> seen = new HashSet<>();
        for (Decl d : b.body()) {
            if (d instanceof Ast.AttrDecl a) {
                once(seen, a.name(), a.pos(), "event");
                switch (a.name()) {
                    case "name" -> ei.name = text(a.value(), "`name` attribute");
                    case "id" -> {
                        ei.id = uint(a.value(), "`id` attribute");
                        ei.idPos = a.value().pos();
                    }
                    case "stream_id" -> {
                        ei.streamId = uint(a.value(), "`stream_id` attribute");
                        ei.streamIdPos = a.value().pos();
                    }
                    case "loglevel" -> ei.logLevel = sint(a.value(), "`loglevel` attribute");
                    case "model.emf.uri" -> {
                        if (!(a.value() instanceof StrLit s)) {
                            throw err(a.value().pos(), "`model.emf.uri` attribute: expecting a string literal");
                        }
                        ei.emfUri = s.value();
                    }
                    default -> throw err(a.pos(), "unknown attribute `" + a.name() + "` in `event` block");
                }
            } else if (d instanceof Ast.TypeAttrDecl ta) {
                once(seen, ta.name(), ta.pos(), "event");
                switch (ta.name()) {
                    case "context" -> ei.ctxT = scopeStruct(ta, scope);
                    case "fields" -> ei.fieldsT = scopeStruct(ta, scope);
                    default -> {
                        // babeltrace2 ignores unknown type entries (with a warning); so do we
                    }
                }
            } else {
                declaration(d, scope, null);
            }
        }
        return ei;
    }

    private void env(Block b) {
        hasEnv = true;
        for (Decl d : b.body()) {
            if (!(d instanceof Ast.AttrDecl a)) {
                throw err(d.pos(), "`env` block accepts only `NAME = VALUE;` entries");
            }
            if (env.containsKey(a.name())) {
                throw err(a.pos(), "duplicate `env` entry `" + a.name() + "`");
            }
            Value v = a.value();
            if (v instanceof IntLit lit) {
                if (!lit.fitsSigned()) {
                    throw err(v.pos(), "`env` entry `" + a.name() + "`: integer " + lit.text()
                            + " is out of the signed 64-bit range");
                }
                env.put(a.name(), lit.signedValue());
            } else if (v instanceof StrLit s) {
                env.put(a.name(), s.value());
            } else {
                throw err(v.pos(), "`env` entry `" + a.name() + "`: expecting an integer or a string literal");
            }
        }
    }

    private void clock(Block b) {
        Set<String> seen = new HashSet<>();
        String name = null;
        String description = null;
        long freq = 1_000_000_000L;
        long offsetS = 0;
        long offset = 0;
        long precision = 0;
        boolean absolute = false;
        UUID uuid = null;
        for (Decl d : b.body()) {
            if (!(d instanceof Ast.AttrDecl a)) {
                throw err(d.pos(), "`clock` block accepts only attributes");
            }
            once(seen, a.name(), a.pos(), "clock");
            Value v = a.value();
            switch (a.name()) {
                case "name" -> {
                    if (v instanceof IdPath id && id.parts().size() == 1) {
                        name = id.parts().get(0);
                    } else if (v instanceof StrLit s) {
                        name = s.value();
                    } else {
                        throw err(v.pos(), "`name` attribute of `clock` block: expecting an identifier or a string");
                    }
                }
                case "description" -> {
                    if (!(v instanceof StrLit s)) {
                        throw err(v.pos(), "`description` attribute of `clock` block: expecting a string literal");
                    }
                    description = s.value();
                }
                case "freq" -> {
                    freq = uint(v, "`freq` attribute");
                    if (freq <= 0) {
                        throw err(v.pos(), "`freq` attribute of `clock` block must be between 1 and 2^63-1");
                    }
                }
                case "offset_s" -> offsetS = sint(v, "`offset_s` attribute");
                case "offset" -> {
                    offset = uint(v, "`offset` attribute");
                    if (offset < 0) {
                        throw err(v.pos(), "`offset` attribute of `clock` block is too large");
                    }
                }
                case "precision" -> precision = uint(v, "`precision` attribute");
                case "absolute" -> absolute = bool(v, "`absolute` attribute");
                case "uuid" -> uuid = uuid(v);
                default -> {
                    // babeltrace2 ignores unknown attributes here (with a warning); so do we
                }
            }
        }
        if (name == null) {
            throw err(b.pos(), "missing `name` attribute in `clock` block");
        }
        if (clocks.containsKey(name)) {
            throw err(b.pos(), "duplicate `clock` block named `" + name + "`");
        }
        if (name.equals("monotonic") && env.get("tracer_name") instanceof String tn && tn.startsWith("lttng")) {
            // babeltrace2: old LTTng versions forgot `absolute = true` on their monotonic clock, which is absolute
            absolute = true;
        }
        // babeltrace2 moves whole seconds out of `offset` (cycles) into `offset_s`
        offsetS += offset / freq;
        offset %= freq;
        clocks.put(name, new ClockClass(name, description, freq, offsetS, offset, precision, absolute, uuid, null));
    }

    private void callsite(Block b) {
        // Callsite blocks carry debugging information only; like babeltrace2, validate and ignore them.
        Set<String> seen = new HashSet<>();
        for (Decl d : b.body()) {
            if (!(d instanceof Ast.AttrDecl a)) {
                throw err(d.pos(), "`callsite` block accepts only attributes");
            }
            once(seen, a.name(), a.pos(), "callsite");
        }
    }

    private void once(Set<String> seen, String name, Pos p, String block) {
        if (!seen.add(name)) {
            throw err(p, "duplicate attribute `" + name + "` in `" + block + "` block");
        }
    }

    private TStruct scopeStruct(Ast.TypeAttrDecl ta, TypeScope scope) {
        T t = applySubscripts(resolve(ta.type(), scope), ta.subscripts(), scope);
        if (!(t instanceof TStruct s)) {
            throw err(ta.type().pos(), "`" + ta.name() + "` must be a structure");
        }
        return s;
    }

    // ---- values -------------------------------------------------------------------------------------------------

    long uint(Value v, String what) {
        if (!(v instanceof IntLit lit) || lit.negative()) {
            throw err(v.pos(), what + ": expecting a non-negative integer literal");
        }
        return lit.magnitude();
    }

    long sint(Value v, String what) {
        if (!(v instanceof IntLit lit)) {
            throw err(v.pos(), what + ": expecting an integer literal");
        }
        if (!lit.fitsSigned()) {
            throw err(v.pos(), what + ": " + lit.text() + " is out of the signed 64-bit range");
        }
        return lit.signedValue();
    }

    String text(Value v, String what) {
        if (v instanceof StrLit s) {
            return s.value();
        }
        if (v instanceof IdPath id && id.parts().size() == 1) {
            return id.parts().get(0);
        }
        throw err(v.pos(), what + ": expecting a string literal or an identifier");
    }

    String word(Value v, String what) {
        if (v instanceof IdPath id && id.parts().size() == 1) {
            return id.parts().get(0);
        }
        throw err(v.pos(), what + ": expecting an identifier");
    }

    boolean bool(Value v, String what) {
        if (v instanceof IntLit lit && !lit.negative() && (lit.magnitude() == 0 || lit.magnitude() == 1)) {
            return lit.magnitude() == 1;
        }
        if (v instanceof IdPath id && id.parts().size() == 1) {
            switch (id.parts().get(0)) {
                case "true", "TRUE" -> {
                    return true;
                }
                case "false", "FALSE" -> {
                    return false;
                }
                default -> {
                }
            }
        }
        throw err(v.pos(), what + ": expecting `true`, `false`, `1` or `0`");
    }

    UUID uuid(Value v) {
        if (v instanceof StrLit s) {
            String u = s.value();
            if (isUuid(u)) {
                return UUID.fromString(u);
            }
        }
        throw err(v.pos(), "`uuid` attribute: expecting a UUID string literal such as"
                + " \"2a6422d0-6cee-11e0-8c08-cb07d7b3a564\"");
    }

    /** 8-4-4-4-12 hexadecimal digits (checked by hand: a regular expression costs more at start-up). */
    static boolean isUuid(String u) {
        if (u.length() != 36) {
            return false;
        }
        for (int k = 0; k < 36; k++) {
            char c = u.charAt(k);
            if (k == 8 || k == 13 || k == 18 || k == 23) {
                if (c != '-') {
                    return false;
                }
            } else if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    // ---- declarations -------------------------------------------------------------------------------------------

    /**
     * Handles a type alias, typedef or type declaration in {@code scope}. In a structure or variant body,
     * {@code members} receives the fields; elsewhere a field declaration is an error.
     */
    void declaration(Decl d, TypeScope scope, List<TMember> members) {
        if (d instanceof Ast.TypeAliasDecl a) {
            T t = applySubscripts(resolve(a.type(), scope), a.subscripts(), scope);
            checkSelfContained(t);
            defineAlias(scope, a.alias(), t, a.aliasPos());
        } else if (d instanceof Ast.TypedefDecl td) {
            T base = resolve(td.type(), scope);
            for (Declarator dc : td.declarators()) {
                T t = applySubscripts(base, dc.subscripts(), scope);
                checkSelfContained(t);
                defineAlias(scope, dc.name(), t, dc.pos());
            }
        } else if (d instanceof Ast.TypeDecl td) {
            TypeSpec ts = td.type();
            boolean named = (ts instanceof Ast.StructType s && s.name() != null)
                    || (ts instanceof Ast.VariantType v && v.name() != null)
                    || (ts instanceof Ast.EnumType e && e.name() != null);
            // an anonymous type on its own declares nothing; it is still checked
            resolve(ts, scope);
        } else if (d instanceof Ast.FieldDecl fd) {
            if (members == null) {
                throw err(fd.pos(), "unexpected field declaration outside of a structure or variant");
            }
            T base = resolve(fd.type(), scope);
            for (Declarator dc : fd.declarators()) {
                T t = applySubscripts(base, dc.subscripts(), scope);
                for (TMember m : members) {
                    if (m.name().equals(dc.name())) {
                        throw err(dc.pos(), "duplicate field or option name `" + dc.name() + "`");
                    }
                }
                members.add(new TMember(dc.name(), t, dc.pos()));
            }
        } else if (d instanceof Ast.AttrDecl a) {
            throw err(a.pos(), "unexpected attribute `" + a.name() + "` here");
        } else if (d instanceof Ast.TypeAttrDecl a) {
            throw err(a.pos(), "unexpected attribute `" + a.name() + "` here");
        }
    }

    private void defineAlias(TypeScope scope, String name, T t, Pos p) {
        if (!scope.define(TypeScope.ALIASES, name, t)) {
            throw err(p, "duplicate type alias `" + name + "`");
        }
    }

    /**
     * A type alias, typedef or named type is resolved where it is used, but yactfr (and the CTF 1.8 intent) want
     * its relative length and tag locations to name fields of the type itself: check that.
     */
    private void checkSelfContained(T t) {
        Resolver.checkSelfContained(this, t, new ArrayList<>());
    }

    T applySubscripts(T base, List<Subscript> subs, TypeScope scope) {
        T t = base;
        for (int i = subs.size() - 1; i >= 0; i--) {
            Subscript s = subs.get(i);
            Value v = s.length();
            if (v instanceof IntLit lit) {
                if (lit.negative()) {
                    throw err(v.pos(), "negative array length " + lit.text());
                }
                t = staticArray(t, lit.magnitude(), v.pos());
            } else if (v instanceof IdPath id) {
                if (id.parts().size() == 2 && id.parts().get(0).equals("env")) {
                    if (!hasEnv) {
                        throw err(v.pos(), "array length `" + id.text() + "` refers to a missing `env` block");
                    }
                    Object e = env.get(id.parts().get(1));
                    if (e == null) {
                        throw err(v.pos(), "array length `" + id.text() + "`: no such `env` entry");
                    }
                    if (!(e instanceof Long len)) {
                        throw err(v.pos(), "array length `" + id.text() + "`: the `env` entry is not an integer");
                    }
                    if (len < 0) {
                        throw err(v.pos(), "array length `" + id.text() + "` is negative (" + len + ")");
                    }
                    t = staticArray(t, len, v.pos());
                } else {
                    t = new TArray(s.pos(), t, -1, id);
                }
            } else {
                throw err(v.pos(), "expecting an array length or a length field location");
            }
        }
        return t;
    }

    private T staticArray(T elem, long len, Pos p) {
        if (Long.compareUnsigned(len, MAX_ARRAY_LENGTH) > 0) {
            throw err(p, "array length " + Long.toUnsignedString(len) + " is larger than " + MAX_ARRAY_LENGTH);
        }
        return new TArray(p, elem, len, null);
    }

    // ---- type specifiers ----------------------------------------------------------------------------------------

    T resolve(TypeSpec ts, TypeScope scope) {
        if (ts instanceof Ast.NamedType n) {
            T t = scope.find(TypeScope.ALIASES, n.name());
            if (t == null) {
                throw err(n.pos(), "unknown type `" + n.name() + "`");
            }
            return t;
        }
        if (ts instanceof Ast.IntegerType it) {
            return integer(it);
        }
        if (ts instanceof Ast.FloatType ft) {
            return floating(ft);
        }
        if (ts instanceof Ast.StringType st) {
            return string(st);
        }
        if (ts instanceof Ast.EnumType et) {
            return enumeration(et, scope);
        }
        if (ts instanceof Ast.StructType st) {
            return struct(st, scope);
        }
        return variant((Ast.VariantType) ts, scope);
    }

    private TInt integer(Ast.IntegerType it) {
        int size = -1;
        int align = -1;
        boolean signed = false;
        ByteOrder bo = traceByteOrder;
        int base = 10;
        IntegerClass.Encoding enc = IntegerClass.Encoding.NONE;
        String clock = null;
        List<Attr> attrs = it.attrs();
        for (int k = 0; k < attrs.size(); k++) {
            Attr a = attrs.get(k);
            checkUnique(attrs, k, "`integer` block");
            Value v = a.value();
            switch (a.name()) {
                case "size" -> {
                    if (!(v instanceof IntLit lit) || lit.negative() || lit.magnitude() == 0
                            || Long.compareUnsigned(lit.magnitude(), 64) > 0) {
                        throw err(v.pos(), "invalid `size` attribute in `integer` block: expecting 1 to 64");
                    }
                    size = (int) lit.magnitude();
                }
                case "align" -> align = alignment(v, "integer");
                case "signed" -> signed = bool(v, "`signed` attribute");
                case "byte_order" -> bo = byteOrder(v);
                case "base" -> base = base(v);
                case "encoding" -> enc = intEncoding(v);
                case "map" -> clock = clockRef(v);
                default -> {
                    // babeltrace2 ignores unknown attributes here (with a warning); so do we
                }
            }
        }
        if (size < 0) {
            throw err(it.pos(), "missing `size` attribute in `integer` block");
        }
        if (align < 0) {
            align = size % 8 == 0 ? 8 : 1;
        }
        return new TInt(it.pos(), size, align, signed, bo, base, enc, clock, List.of(), false);
    }

    /** Attribute {@code k} must not repeat an earlier one (a few attributes: no set needed). */
    private void checkUnique(List<Attr> attrs, int k, String block) {
        String name = attrs.get(k).name();
        for (int j = 0; j < k; j++) {
            if (attrs.get(j).name().equals(name)) {
                throw err(attrs.get(k).pos(), "duplicate attribute `" + name + "` in " + block);
            }
        }
    }

    private int alignment(Value v, String kind) {
        if (!(v instanceof IntLit lit) || lit.negative() || lit.magnitude() <= 0
                || Long.bitCount(lit.magnitude()) != 1 || lit.magnitude() > (1L << 30)) {
            throw err(v.pos(), "invalid `align` attribute in `" + kind + "` block: expecting a power of two");
        }
        return (int) lit.magnitude();
    }

    ByteOrder byteOrder(Value v) {
        String s = word(v, "`byte_order` attribute");
        return switch (s) {
            case "be", "network" -> ByteOrder.BIG_ENDIAN;
            case "le" -> ByteOrder.LITTLE_ENDIAN;
            case "native" -> traceByteOrder;
            default -> throw err(v.pos(), "invalid `byte_order` attribute `" + s
                    + "`: expecting `be`, `le`, `network` or `native`");
        };
    }

    private int base(Value v) {
        if (v instanceof IntLit lit && !lit.negative()) {
            long b = lit.magnitude();
            if (b == 2 || b == 8 || b == 10 || b == 16) {
                return (int) b;
            }
        } else if (v instanceof IdPath id && id.parts().size() == 1) {
            switch (id.parts().get(0)) {
                case "decimal", "dec", "d", "i", "u" -> {
                    return 10;
                }
                case "hexadecimal", "hex", "x", "X", "p" -> {
                    return 16;
                }
                case "octal", "oct", "o" -> {
                    return 8;
                }
                case "binary", "bin", "b" -> {
                    return 2;
                }
                default -> {
                }
            }
        }
        throw err(v.pos(), "invalid `base` attribute: expecting 2, 8, 10, 16 or a base name (`hex`, `dec`, ...)");
    }

    private IntegerClass.Encoding intEncoding(Value v) {
        String s = encodingWord(v);
        return switch (s) {
            case "none" -> IntegerClass.Encoding.NONE;
            case "UTF8", "utf8" -> IntegerClass.Encoding.UTF8;
            case "ASCII", "ascii" -> IntegerClass.Encoding.ASCII;
            default -> throw err(v.pos(), "invalid `encoding` attribute `" + s
                    + "`: expecting `none`, `UTF8` or `ASCII`");
        };
    }

    private String encodingWord(Value v) {
        if (v instanceof IdPath id && id.parts().size() == 1) {
            return id.parts().get(0);
        }
        throw err(v.pos(), "invalid `encoding` attribute: expecting `none`, `UTF8` or `ASCII`");
    }

    private String clockRef(Value v) {
        if (v instanceof IdPath id && id.parts().size() == 3 && id.parts().get(0).equals("clock")
                && id.parts().get(2).equals("value")) {
            // checked when a field of this type is declared (yactfr accepts unused aliases of unknown clocks)
            return id.parts().get(1);
        }
        throw err(v.pos(), "invalid `map` attribute: expecting `clock.NAME.value`");
    }

    private TFloat floating(Ast.FloatType ft) {
        int align = -1;
        int exp = -1;
        int mant = -1;
        ByteOrder bo = traceByteOrder;
        List<Attr> attrs = ft.attrs();
        for (int k = 0; k < attrs.size(); k++) {
            Attr a = attrs.get(k);
            checkUnique(attrs, k, "`floating_point` block");
            Value v = a.value();
            switch (a.name()) {
                case "exp_dig" -> exp = (int) Math.min(uint(v, "`exp_dig` attribute"), Integer.MAX_VALUE);
                case "mant_dig" -> mant = (int) Math.min(uint(v, "`mant_dig` attribute"), Integer.MAX_VALUE);
                case "align" -> align = alignment(v, "floating_point");
                case "byte_order" -> bo = byteOrder(v);
                default -> {
                    // babeltrace2 ignores unknown attributes here (with a warning); so do we
                }
            }
        }
        if (mant < 0) {
            throw err(ft.pos(), "missing `mant_dig` attribute in `floating_point` block");
        }
        if (exp < 0) {
            throw err(ft.pos(), "missing `exp_dig` attribute in `floating_point` block");
        }
        if (!((mant == 24 && exp == 8) || (mant == 53 && exp == 11))) {
            throw err(ft.pos(), "unsupported floating point number: `exp_dig` = " + exp + ", `mant_dig` = " + mant
                    + " (expecting 8/24 or 11/53)");
        }
        if (align < 0) {
            align = (mant + exp) % 8 == 0 ? 8 : 1;
        }
        return new TFloat(ft.pos(), align, exp, mant, bo);
    }

    private TStr string(Ast.StringType st) {
        StringClass.Encoding enc = StringClass.Encoding.UTF8;
        List<Attr> attrs = st.attrs();
        for (int k = 0; k < attrs.size(); k++) {
            Attr a = attrs.get(k);
            checkUnique(attrs, k, "`string` block");
            if (!a.name().equals("encoding")) {
                continue; // babeltrace2 ignores unknown attributes here (with a warning); so do we
            }
            String s = encodingWord(a.value());
            enc = switch (s) {
                case "UTF8", "utf8", "none" -> StringClass.Encoding.UTF8;
                case "ASCII", "ascii" -> StringClass.Encoding.ASCII;
                default -> throw err(a.value().pos(), "invalid `encoding` attribute `" + s
                        + "`: expecting `UTF8` or `ASCII`");
            };
        }
        return new TStr(st.pos(), enc);
    }

    private TInt enumeration(Ast.EnumType et, TypeScope scope) {
        if (et.entries() == null) {
            TInt t = scope.find(TypeScope.ENUMS, et.name());
            if (t == null) {
                throw err(et.pos(), "unknown enumeration `" + et.name() + "`");
            }
            return t;
        }
        TInt container;
        if (et.container() == null) {
            T t = scope.find(TypeScope.ALIASES, "int");
            if (t == null) {
                throw err(et.pos(), "enumeration without a container type needs a type alias named `int`");
            }
            if (!(t instanceof TInt ti)) {
                throw err(et.pos(), "the `int` type alias used as enumeration container is not an integer type");
            }
            container = ti;
        } else {
            T t = resolve(et.container(), scope);
            if (!(t instanceof TInt ti) || ti.isEnum()) {
                throw err(et.container().pos(), "the container type of an enumeration must be an integer type");
            }
            container = ti;
        }
        if (et.entries().isEmpty()) {
            throw err(et.pos(), "empty enumeration");
        }
        boolean signed = container.signed();
        int size = container.size();
        Map<String, List<IntegerClass.Range>> mappings = new LinkedHashMap<>();
        long next = 0;
        boolean nextValid = true;
        for (Enumerator e : et.entries()) {
            long lo;
            long hi;
            if (e.low() == null) {
                if (!nextValid) {
                    throw err(e.pos(), "enumerator `" + e.label() + "`: implicit value out of range");
                }
                lo = next;
                hi = next;
            } else {
                lo = enumValue(e.low(), signed, size, e.label());
                hi = e.high() == null ? lo : enumValue(e.high(), signed, size, e.label());
                boolean inverted = signed ? lo > hi : Long.compareUnsigned(lo, hi) > 0;
                if (inverted) {
                    throw err(e.pos(), "enumerator `" + e.label() + "`: lower value " + str(lo, signed)
                            + " is greater than upper value " + str(hi, signed));
                }
            }
            checkInRange(e, hi, signed, size);
            checkInRange(e, lo, signed, size);
            long max = signed ? (size == 64 ? Long.MAX_VALUE : (1L << (size - 1)) - 1)
                    : (size == 64 ? -1L : (1L << size) - 1);
            nextValid = hi != max;
            next = hi + 1;
            mappings.computeIfAbsent(e.label(), k -> new ArrayList<>()).add(new IntegerClass.Range(lo, hi));
        }
        List<IntegerClass.Mapping> list = new ArrayList<>(mappings.size());
        mappings.forEach((k, v) -> list.add(new IntegerClass.Mapping(k, List.copyOf(v))));
        TInt t = container.asEnum(et.pos(), List.copyOf(list));
        if (et.name() != null) {
            if (!scope.define(TypeScope.ENUMS, et.name(), t)) {
                throw err(et.pos(), "duplicate enumeration name `" + et.name() + "`");
            }
        }
        return t;
    }

    private static String str(long v, boolean signed) {
        return signed ? Long.toString(v) : Long.toUnsignedString(v);
    }

    private long enumValue(IntLit lit, boolean signed, int size, String label) {
        if (lit.negative()) {
            if (!signed) {
                throw err(lit.pos(), "enumerator `" + label + "`: negative value " + lit.text()
                        + " in an unsigned enumeration");
            }
            return lit.signedValue();
        }
        if (signed && lit.magnitude() < 0) {
            throw err(lit.pos(), "enumerator `" + label + "`: value " + lit.text() + " is out of range");
        }
        return lit.magnitude();
    }

    private void checkInRange(Enumerator e, long v, boolean signed, int size) {
        boolean ok;
        if (size == 64) {
            ok = true;
        } else if (signed) {
            // lttng-ust writes signed containers with labels up to the unsigned maximum (an int8_t enum with a
            // value of 199) and babeltrace2 reads them: accept any value whose bits fit in the container.
            ok = v >= -(1L << (size - 1)) && v <= (1L << size) - 1;
        } else {
            ok = Long.compareUnsigned(v, (1L << size) - 1) <= 0;
        }
        if (!ok) {
            throw err(e.pos(), "enumerator `" + e.label() + "`: value " + str(v, signed) + " does not fit in a "
                    + size + "-bit " + (signed ? "signed" : "unsigned") + " integer");
        }
    }

    private TStruct struct(Ast.StructType st, TypeScope scope) {
        if (st.body() == null) {
            TStruct t = scope.find(TypeScope.STRUCTS, st.name());
            if (t == null) {
                throw err(st.pos(), "unknown structure `" + st.name() + "`");
            }
            return t;
        }
        TypeScope inner = new TypeScope(scope);
        List<TMember> members = new ArrayList<>();
        for (Decl d : st.body()) {
            declaration(d, inner, members);
        }
        int align = 1;
        if (st.align() != null) {
            align = alignment(st.align(), "struct");
        }
        TStruct t = new TStruct(st.pos(), List.copyOf(members), align);
        if (st.name() != null) {
            checkSelfContained(t);
            if (!scope.define(TypeScope.STRUCTS, st.name(), t)) {
                throw err(st.pos(), "duplicate structure name `" + st.name() + "`");
            }
        }
        return t;
    }

    private TVariant variant(Ast.VariantType vt, TypeScope scope) {
        if (vt.body() == null) {
            TVariant t = scope.find(TypeScope.VARIANTS, vt.name());
            if (t == null) {
                throw err(vt.pos(), "unknown variant `" + vt.name() + "`");
            }
            if (vt.tag() != null) {
                if (t.tag() != null) {
                    throw err(vt.tag().pos(), "variant `" + vt.name() + "` already has a tag");
                }
                return new TVariant(vt.pos(), vt.tag(), t.options());
            }
            return t;
        }
        TypeScope inner = new TypeScope(scope);
        List<TMember> options = new ArrayList<>();
        for (Decl d : vt.body()) {
            declaration(d, inner, options);
        }
        if (options.isEmpty()) {
            throw err(vt.pos(), "variant has no options");
        }
        TVariant t = new TVariant(vt.pos(), vt.tag(), List.copyOf(options));
        if (vt.name() != null) {
            checkSelfContained(t);
            if (!scope.define(TypeScope.VARIANTS, vt.name(), t)) {
                throw err(vt.pos(), "duplicate variant name `" + vt.name() + "`");
            }
        }
        return t;
    }
}
