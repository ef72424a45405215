package io.tracestream.ctf.meta.json;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ArrayClass;
import io.tracestream.ctf.meta.BlobClass;
import io.tracestream.ctf.meta.ByteOrder;
import io.tracestream.ctf.meta.ClockClass;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.FieldClass;
import io.tracestream.ctf.meta.FieldPath;
import io.tracestream.ctf.meta.FloatClass;
import io.tracestream.ctf.meta.IntegerClass;
import io.tracestream.ctf.meta.OptionalClass;
import io.tracestream.ctf.meta.Scope;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StringClass;
import io.tracestream.ctf.meta.StructClass;
import io.tracestream.ctf.meta.TraceClass;
import io.tracestream.ctf.meta.VariantClass;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Parses a CTF 2 metadata stream (CTF2-SPEC-2.0: a JSON text sequence, RFC 7464) into a {@link TraceClass}.
 *
 * <p>Every fragment is validated strictly: required properties, property types and ranges, unknown properties,
 * unknown field class types, alignments, duplicate ids and names, field class aliases (defined before use), and
 * field locations. Relative field locations (no {@code origin}, {@code null} meaning "parent structure") are
 * resolved to absolute {@link FieldPath}s; every location must reach, in a scope decoded no later than the field
 * which needs it, fields decoded before it: unsigned integers for lengths, booleans or integers for optional
 * selectors, integers for variant selectors. Errors are {@link CtfException}s naming the metadata line and column,
 * the fragment and the JSON property path.
 *
 * <p>Model mapping: bit arrays and bit maps are {@link IntegerClass.Kind#BIT_ARRAY} (bit map flags in
 * {@link IntegerClass#flags()}), booleans {@link IntegerClass.Kind#BOOLEAN}, variable-length integers
 * {@link IntegerClass#variableLength()}; CTF 2 {@code attributes} are kept as plain Java data (maps, lists,
 * strings, Long/BigInteger, Double, Boolean, null). The LTTng {@code lttng.org,2009} event record class attributes
 * {@code log-level} and {@code emf-uri} also set {@link EventClass#logLevel()} and {@link EventClass#emfUri()}.
 * The trace class UUID is the preamble's {@code uuid}; clock classes are keyed by their {@code id}.
 *
 * <p>Compatibility: the release-candidate spelling CTF2-SPECRC-7.0, still written by some producers and read by
 * Trace Compass, is also accepted where it cannot be confused with CTF2-SPEC-2.0: {@code user-attributes} for
 * {@code attributes}, a 16-byte {@code uuid} array in trace and clock class fragments, clock classes identified by
 * {@code name} (no {@code id}), {@code default-clock-class-name}, the {@code *-enumeration} integer field class
 * types, and field locations written as an array {@code [origin, member, ...]}.
 */
public final class Ctf2MetadataParser {

    /** Field classes built, alias expansions included, before the metadata is declared too large. */
    static final int MAX_FIELD_CLASSES = 1_000_000;

    /** Maximum nesting of field classes, alias expansions included. */
    static final int MAX_DEPTH = 256;

    private static final char RS = 0x1e;

    private final String text;
    private final Path file;
    private int[] lineStarts;

    private final Map<String, Json.Value> aliases = new HashMap<>();
    private boolean preambleSeen;
    private UUID uuid;
    private boolean traceClassSeen;
    private boolean streamClassSeen;
    private String traceNamespace;
    private String traceName;
    private String traceUid;
    private StructClass packetHeader;
    private Map<String, Object> environment = new LinkedHashMap<>();
    private Map<String, Object> traceAttributes;
    private final Map<String, ClockClass> clocks = new LinkedHashMap<>();
    private final Map<Long, StreamClass> streamClasses = new LinkedHashMap<>();
    private int fieldClassCount;
    /** Current field class nesting, alias expansions included. */
    private int depth;
    private int locationCount;
    /** Location-free aliases, built once: the class and how many field classes it counts for. */
    private final Map<String, BuiltAlias> builtAliases = new HashMap<>();

    private record BuiltAlias(FieldClass fieldClass, int size) {
    }
    /** Description of the fragment being parsed, for messages. */
    private String fragment = "metadata";

    private Ctf2MetadataParser(String text, Path file) {
        this.text = text;
        this.file = file;
    }

    /**
     * Parses a whole CTF 2 metadata stream.
     *
     * @param text the metadata text: JSON texts each preceded by a record separator (U+001E)
     * @param file the metadata file, for messages
     * @return the trace class, with its clock, data stream and event record classes
     * @throws CtfException on any syntax or validation error, naming the line and column
     */
    public static TraceClass parse(String text, Path file) {
        return new Ctf2MetadataParser(text, file).run();
    }

    // ------------------------------------------------------------------------------------------------ fragments

    private TraceClass run() {
        int n = text.length();
        int i = 0;
        // Only whitespace may come before the first record separator.
        while (i < n && text.charAt(i) != RS) {
            if (!isWs(text.charAt(i))) {
                throw err(i, "expecting a record separator (U+001E) before the first JSON fragment");
            }
            i++;
        }
        int firstPos = i;
        int index = 0;
        while (i < n) {
            int begin = i + 1; // after the RS
            int end = text.indexOf(RS, begin);
            if (end < 0) {
                end = n;
            }
            if (!isBlank(begin, end)) {
                fragment = "fragment #" + ++index;
                Json.Value v;
                try {
                    v = Json.parse(text, begin, end);
                } catch (Json.SyntaxError e) {
                    throw err(e.pos, "invalid JSON: " + e.getMessage());
                }
                fragment(v);
            }
            i = end;
        }
        if (!preambleSeen) {
            throw err(Math.min(firstPos, n), "no preamble fragment: the metadata stream is empty");
        }
        TraceClass tc = new TraceClass(2, 0, nativeByteOrder(), uuid, packetHeader, environment, clocks,
                traceNamespace, traceName, traceUid, traceAttributes);
        for (StreamClass sc : streamClasses.values()) {
            tc.addStreamClass(sc);
        }
        return tc;
    }

    private boolean isBlank(int begin, int end) {
        for (int k = begin; k < end; k++) {
            if (!isWs(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWs(char c) {
        return c == ' ' || c == '\n' || c == '\r' || c == '\t';
    }

    private static final Set<String> PREAMBLE_KEYS = keys("type", "attributes", "extensions", "version", "uuid");

    private static final Set<String> TRACE_KEYS = keys("type", "namespace", "name", "uid", "packet-header-field-class",
            "environment", "uuid");
    private static final Set<String> CLOCK_KEYS = keys("type", "id", "namespace", "name", "uid", "frequency",
            "offset-from-origin", "origin", "precision", "accuracy", "description", "uuid");
    private static final Set<String> STREAM_KEYS = keys("type", "id", "namespace", "name", "uid",
            "default-clock-class-id", "packet-context-field-class", "event-record-header-field-class",
            "event-record-common-context-field-class", "default-clock-class-name");
    private static final Set<String> EVENT_KEYS = keys("type", "id", "data-stream-class-id", "namespace", "name", "uid",
            "specific-context-field-class", "payload-field-class");
    private static final Set<String> ALIAS_KEYS = keys("type", "name", "field-class");

    private void fragment(Json.Value v) {
        if (!(v instanceof Json.Obj o)) {
            throw err(v.pos(), "expecting a fragment (JSON object), got " + v.kind());
        }
        Json.Value t = o.get("type");
        if (t == null) {
            throw err(o.pos(), "fragment has no `type` property");
        }
        if (!(t instanceof Json.Str ts)) {
            throw err(t.pos(), "fragment `type` property: expecting a string, got " + t.kind());
        }
        String type = ts.value();
        if (!preambleSeen && !type.equals("preamble")) {
            throw err(o.pos(), "the first fragment must be a preamble fragment, got a `" + type + "` fragment");
        }
        switch (type) {
            case "preamble" -> preamble(o);
            case "trace-class" -> traceClass(o);
            case "clock-class" -> clockClass(o);
            case "data-stream-class" -> streamClass(o);
            case "event-record-class" -> eventClass(o);
            case "field-class-alias" -> alias(o);
            default -> throw err(t.pos(), "unknown fragment type `" + type + "`");
        }
    }

    private void preamble(Json.Obj o) {
        if (preambleSeen) {
            throw err(o.pos(), "the preamble fragment must be the first fragment, and only once");
        }
        fragment = "preamble fragment";
        Props p = new Props(o, Where.ROOT, PREAMBLE_KEYS);
        p.attributes();
        Json.Value ver = p.req("version");
        if (!(ver instanceof Json.Int vi) || vi.value() != 2 || vi.big()) {
            throw err(ver.pos(), "`version`: expecting 2, got " + describe(ver));
        }
        uuid = optUuid(p, "uuid");
        Json.Value ext = o.get("extensions");
        if (ext != null) {
            Json.Obj eo = asObj(ext, Where.ROOT.dot("extensions"));
            for (Map.Entry<String, Json.Prop> ns : eo.props().entrySet()) {
                Json.Obj names = asObj(ns.getValue().value(), Where.ROOT.dot("extensions").dot(ns.getKey()));
                for (Map.Entry<String, Json.Prop> e : names.props().entrySet()) {
                    throw err(e.getValue().keyPos(), "extension `" + e.getKey() + "` of namespace `" + ns.getKey()
                            + "` is enabled, but no extension is supported");
                }
            }
        }
        preambleSeen = true;
    }

    private void traceClass(Json.Obj o) {
        fragment = "trace class fragment";
        if (traceClassSeen) {
            throw err(o.pos(), "duplicate trace class fragment");
        }
        if (streamClassSeen) {
            throw err(o.pos(), "the trace class fragment must come before any data stream class fragment");
        }
        Props p = fragProps(o, TRACE_KEYS);
        traceNamespace = p.optStr("namespace");
        traceName = p.optStr("name");
        traceUid = p.optStr("uid");
        UUID legacyUuid = optUuid(p, "uuid"); // CTF2-SPECRC-7.0
        if (uuid == null) {
            uuid = legacyUuid;
        }
        traceAttributes = p.attributes();
        Json.Value env = p.opt("environment");
        if (env != null) {
            Json.Obj eo = asObj(env, Where.ROOT.dot("environment"));
            for (Map.Entry<String, Json.Prop> e : eo.props().entrySet()) {
                Json.Value ev = e.getValue().value();
                if (ev instanceof Json.Str s) {
                    environment.put(e.getKey(), s.value());
                } else if (ev instanceof Json.Int n && n.fitsSigned()) {
                    environment.put(e.getKey(), n.value());
                } else {
                    throw err(ev.pos(), "`environment." + e.getKey()
                            + "`: expecting a string or a signed 64-bit integer, got " + describe(ev));
                }
            }
        }
        Json.Value ph = p.opt("packet-header-field-class");
        if (ph != null) {
            packetHeader = scopeClass(ph, Where.ROOT.dot("packet-header-field-class"),
                    new Ctx(Scope.PACKET_HEADER, null, null, null, null, null));
        }
        traceClassSeen = true;
    }

    private void clockClass(Json.Obj o) {
        fragment = "clock class fragment";
        Props p = fragProps(o, CLOCK_KEYS);
        // CTF2-SPECRC-7.0 clock classes have no `id`: their name identifies them.
        Json.Str idv = p.opt("id") == null && p.opt("name") != null ? p.reqStr("name") : p.reqStr("id");
        String id = idv.value();
        fragment = "clock class fragment `" + id + "`";
        if (clocks.containsKey(id)) {
            throw err(idv.pos(), "duplicate clock class id `" + id + "`");
        }
        String ns = p.optStr("namespace");
        String name = p.optStr("name");
        String uid = p.optStr("uid");
        Json.Int fv = p.reqInt("frequency");
        if (fv.big() || fv.value() <= 0) {
            throw err(fv.pos(), "`frequency`: expecting an integer in [1, 9223372036854775807], got " + fv);
        }
        long frequency = fv.value();
        long offsetSeconds = 0;
        long offsetCycles = 0;
        Json.Value off = p.opt("offset-from-origin");
        if (off != null) {
            Where w = Where.ROOT.dot("offset-from-origin");
            Props op = new Props(asObj(off, w), w, keys("seconds", "cycles"));
            Json.Int sv = op.optInt("seconds");
            if (sv != null) {
                if (!sv.fitsSigned()) {
                    throw err(sv.pos(), "`offset-from-origin.seconds`: expecting a signed 64-bit integer, got "
                            + sv);
                }
                offsetSeconds = sv.value();
            }
            Json.Int cv = op.optInt("cycles");
            if (cv != null) {
                if (cv.negative() || cv.big() || cv.value() >= frequency) {
                    throw err(cv.pos(), "`offset-from-origin.cycles`: expecting an integer in [0, " + (frequency - 1)
                            + "] (less than the frequency), got " + cv);
                }
                offsetCycles = cv.value();
            }
        }
        long precision = optUnsignedLong(p, "precision", -1);
        long accuracy = optUnsignedLong(p, "accuracy", -1);
        String description = p.optStr("description");
        boolean unixEpoch = false;
        String originNs = null;
        String originName = null;
        String originUid = null;
        Json.Value ov = p.opt("origin");
        if (ov instanceof Json.Str os) {
            if (!os.value().equals("unix-epoch")) {
                throw err(os.pos(), "`origin`: expecting \"unix-epoch\" or a custom origin object, got \""
                        + os.value() + "\"");
            }
            unixEpoch = true;
        } else if (ov != null) {
            Where w = Where.ROOT.dot("origin");
            Props op = new Props(asObj(ov, w), w, keys("namespace", "name", "uid"));
            originNs = op.optStr("namespace");
            originName = op.reqStr("name").value();
            originUid = op.reqStr("uid").value();
        }
        UUID ccUuid = optUuid(p, "uuid"); // CTF2-SPECRC-7.0
        ClockClass cc = new ClockClass(id, ns, name, uid, description, frequency, offsetSeconds, offsetCycles,
                precision, accuracy, unixEpoch, originNs, originName, originUid,
                ccUuid != null ? ccUuid : uuidOrNull(uid), p.attributes());
        clocks.put(id, cc);
    }

    private void streamClass(Json.Obj o) {
        fragment = "data stream class fragment";
        Props p = fragProps(o, STREAM_KEYS);
        long id = optUnsignedLong(p, "id", 0);
        fragment = "data stream class fragment (id " + Long.toUnsignedString(id) + ")";
        if (streamClasses.containsKey(id)) {
            throw err(o.pos(), "duplicate data stream class id " + Long.toUnsignedString(id));
        }
        ClockClass clock = null;
        String clockKey = p.opt("default-clock-class-id") != null || p.opt("default-clock-class-name") == null
                ? "default-clock-class-id" : "default-clock-class-name"; // the latter: CTF2-SPECRC-7.0
        Json.Value cv = p.opt(clockKey);
        if (cv != null) {
            String cid = str(cv, Where.ROOT.dot(clockKey));
            clock = clocks.get(cid);
            if (clock == null) {
                throw err(cv.pos(), "`" + clockKey + "`: no clock class with id `" + cid
                        + "` (clock class fragments must come before the data stream class fragments using them)");
            }
        }
        Ctx ctx = new Ctx(Scope.PACKET_CONTEXT, packetHeader, null, null, null, null);
        StructClass pc = optScope(p, "packet-context-field-class", ctx);
        ctx = new Ctx(Scope.EVENT_HEADER, packetHeader, pc, null, null, null);
        StructClass eh = optScope(p, "event-record-header-field-class", ctx);
        ctx = new Ctx(Scope.EVENT_COMMON_CONTEXT, packetHeader, pc, eh, null, null);
        StructClass cc = optScope(p, "event-record-common-context-field-class", ctx);
        StreamClass sc = new StreamClass(id, p.optStr("namespace"), p.optStr("name"), p.optStr("uid"), pc, eh, cc,
                clock, p.attributes());
        streamClasses.put(id, sc);
        streamClassSeen = true;
    }

    private void eventClass(Json.Obj o) {
        fragment = "event record class fragment";
        Props p = fragProps(o, EVENT_KEYS);
        long id = optUnsignedLong(p, "id", 0);
        long sid = optUnsignedLong(p, "data-stream-class-id", 0);
        String name = p.optStr("name");
        fragment = "event record class fragment (id " + Long.toUnsignedString(id)
                + (name != null ? ", `" + name + "`" : "") + ")";
        StreamClass sc = streamClasses.get(sid);
        if (sc == null) {
            Json.Value sv = p.opt("data-stream-class-id");
            throw err(sv != null ? sv.pos() : o.pos(), "no data stream class with id " + Long.toUnsignedString(sid)
                    + " (its fragment must come before its event record class fragments)");
        }
        if (sc.eventClass(id) != null) {
            Json.Value iv = p.opt("id");
            throw err(iv != null ? iv.pos() : o.pos(), "duplicate event record class id "
                    + Long.toUnsignedString(id) + " in data stream class " + Long.toUnsignedString(sid));
        }
        Ctx ctx = new Ctx(Scope.EVENT_SPECIFIC_CONTEXT, packetHeader, sc.packetContext(), sc.eventHeader(),
                sc.eventCommonContext(), null);
        StructClass spec = optScope(p, "specific-context-field-class", ctx);
        ctx = new Ctx(Scope.EVENT_PAYLOAD, packetHeader, sc.packetContext(), sc.eventHeader(),
                sc.eventCommonContext(), spec);
        StructClass payload = optScope(p, "payload-field-class", ctx);
        Map<String, Object> attrs = p.attributes();
        Long logLevel = null;
        String emfUri = null;
        if (attrs.get("lttng.org,2009") instanceof Map<?, ?> lttng) {
            if (lttng.get("log-level") instanceof String ll) {
                logLevel = lttngLogLevel(ll);
            }
            if (lttng.get("emf-uri") instanceof String uri) {
                emfUri = uri;
            }
        }
        sc.addEventClass(new EventClass(id, p.optStr("namespace"), name, p.optStr("uid"), logLevel, emfUri, spec,
                payload, attrs));
    }

    /** The TSDL numeric log level of an LTTng CTF 2 {@code log-level} attribute, or null. */
    static Long lttngLogLevel(String s) {
        int i = List.of("emergency", "alert", "critical", "error", "warning", "notice", "info", "debug:system",
                "debug:program", "debug:process", "debug:module", "debug:unit", "debug:function", "debug:line",
                "debug").indexOf(s);
        return i < 0 ? null : (long) i;
    }

    private void alias(Json.Obj o) {
        fragment = "field class alias fragment";
        Props p = fragProps(o, ALIAS_KEYS);
        Json.Str nv = p.reqStr("name");
        fragment = "field class alias fragment `" + nv.value() + "`";
        if (aliases.containsKey(nv.value())) {
            throw err(nv.pos(), "duplicate field class alias `" + nv.value() + "`");
        }
        Json.Value fc = p.req("field-class");
        // Validate now. Locations are resolved where the alias is used; an alias without any location builds the
        // same immutable class everywhere, so that class is kept and shared.
        int count = fieldClassCount;
        int locations = locationCount;
        FieldClass built = fieldClass(fc, Where.ROOT.dot("field-class"), null);
        aliases.put(nv.value(), fc);
        if (locationCount == locations) {
            builtAliases.put(nv.value(), new BuiltAlias(built, fieldClassCount - count));
        }
    }

    // ------------------------------------------------------------------------------------------------ field classes

    /** Location-resolution context: the scope being built, the roots of earlier scopes, and the struct frames. */
    private static final class Ctx {
        final Scope scope;
        final StructClass[] roots = new StructClass[Scope.values().length];
        final List<Frame> frames = new ArrayList<>();

        Ctx(Scope scope, StructClass ph, StructClass pc, StructClass eh, StructClass cc, StructClass sc) {
            this.scope = scope;
            roots[Scope.PACKET_HEADER.ordinal()] = ph;
            roots[Scope.PACKET_CONTEXT.ordinal()] = pc;
            roots[Scope.EVENT_HEADER.ordinal()] = eh;
            roots[Scope.EVENT_COMMON_CONTEXT.ordinal()] = cc;
            roots[Scope.EVENT_SPECIFIC_CONTEXT.ordinal()] = sc;
        }
    }

    /** One structure being built: its finished members and the name of the member being built. */
    private static final class Frame {
        final List<StructClass.Member> done = new ArrayList<>();
        String current;

        StructClass.Member find(String name) {
            for (StructClass.Member m : done) {
                if (m.name().equals(name)) {
                    return m;
                }
            }
            return null;
        }
    }

    private StructClass optScope(Props p, String key, Ctx ctx) {
        Json.Value v = p.opt(key);
        return v == null ? null : scopeClass(v, Where.ROOT.dot(key), ctx);
    }

    private StructClass scopeClass(Json.Value v, Where path, Ctx ctx) {
        FieldClass fc = fieldClass(v, path, ctx);
        if (!(fc instanceof StructClass s)) {
            throw err(v.pos(), "`" + path + "`: a scope field class must be a structure field class");
        }
        return s;
    }

    private static final Set<String> BIT_ARRAY_KEYS = keys("type", "length", "byte-order", "bit-order", "alignment");
    private static final Set<String> BIT_MAP_KEYS = keys("type", "length", "byte-order", "bit-order", "alignment",
            "flags");
    private static final Set<String> FL_UINT_KEYS = keys("type", "length", "byte-order", "bit-order", "alignment",
            "preferred-display-base", "mappings", "roles");
    private static final Set<String> FL_SINT_KEYS = keys("type", "length", "byte-order", "bit-order", "alignment",
            "preferred-display-base", "mappings");
    private static final Set<String> VL_UINT_KEYS = keys("type", "preferred-display-base", "mappings", "roles");
    private static final Set<String> VL_SINT_KEYS = keys("type", "preferred-display-base", "mappings");
    private static final Set<String> NT_STR_KEYS = keys("type", "encoding");
    private static final Set<String> SL_STR_KEYS = keys("type", "encoding", "length");
    private static final Set<String> DL_STR_KEYS = keys("type", "encoding", "length-field-location");
    private static final Set<String> SL_BLOB_KEYS = keys("type", "media-type", "length", "roles");
    private static final Set<String> DL_BLOB_KEYS = keys("type", "media-type", "length-field-location");
    private static final Set<String> STRUCT_KEYS = keys("type", "member-classes", "minimum-alignment");
    private static final Set<String> MEMBER_KEYS = keys("name", "field-class");
    private static final Set<String> SL_ARRAY_KEYS = keys("type", "element-field-class", "length", "minimum-alignment");
    private static final Set<String> DL_ARRAY_KEYS = keys("type", "element-field-class", "length-field-location",
            "minimum-alignment");
    private static final Set<String> OPTIONAL_KEYS = keys("type", "field-class", "selector-field-location",
            "selector-field-ranges");
    private static final Set<String> VARIANT_KEYS = keys("type", "options", "selector-field-location");
    private static final Set<String> OPTION_KEYS = keys("name", "field-class", "selector-field-ranges");
    private static final Set<String> LOCATION_KEYS = Set.of("origin", "path");

    /**
     * Builds the field class of {@code v} (an object, or a string naming an alias). {@code ctx} is null when only
     * validating an alias definition (locations are then checked for form only).
     */
    private FieldClass fieldClass(Json.Value v, Where path, Ctx ctx) {
        if (++depth > MAX_DEPTH) {
            throw err(v.pos(), "`" + path + "`: field classes nested deeper than " + MAX_DEPTH
                    + " levels (aliases included)");
        }
        try {
            return buildFieldClass(v, path, ctx);
        } finally {
            depth--;
        }
    }

    private FieldClass buildFieldClass(Json.Value v, Where path, Ctx ctx) {
        if (v instanceof Json.Str s) {
            BuiltAlias built = builtAliases.get(s.value());
            if (built != null) {
                count(v, built.size());
                return built.fieldClass();
            }
            Json.Value def = aliases.get(s.value());
            if (def == null) {
                throw err(s.pos(), "`" + path + "`: no field class alias named `" + s.value()
                        + "` (aliases must be defined before they are used)");
            }
            return fieldClass(def, path.alias(s.value()), ctx);
        }
        count(v, 1);
        if (!(v instanceof Json.Obj o)) {
            throw err(v.pos(), "`" + path + "`: expecting a field class (object) or a field class alias name "
                    + "(string), got " + v.kind());
        }
        Json.Value tv = o.get("type");
        if (tv == null) {
            throw err(o.pos(), "`" + path + "`: field class has no `type` property");
        }
        if (!(tv instanceof Json.Str ts)) {
            throw err(tv.pos(), "`" + path + ".type`: expecting a string, got " + tv.kind());
        }
        String type = ts.value();
        switch (type) {
            case "fixed-length-bit-array":
                return fixedLength(new Props(o, path, BIT_ARRAY_KEYS, true), IntegerClass.Kind.BIT_ARRAY, false);
            case "fixed-length-bit-map":
                return fixedLength(new Props(o, path, BIT_MAP_KEYS, true), IntegerClass.Kind.BIT_ARRAY, false);
            case "fixed-length-boolean":
                return fixedLength(new Props(o, path, BIT_ARRAY_KEYS, true), IntegerClass.Kind.BOOLEAN, false);
            case "fixed-length-unsigned-integer":
                return fixedLength(new Props(o, path, FL_UINT_KEYS, true), IntegerClass.Kind.INTEGER, false);
            case "fixed-length-signed-integer":
                return fixedLength(new Props(o, path, FL_SINT_KEYS, true), IntegerClass.Kind.INTEGER, true);
            case "fixed-length-unsigned-enumeration": { // CTF2-SPECRC-7.0
                Props p = new Props(o, path, FL_UINT_KEYS, true);
                p.req("mappings");
                return fixedLength(p, IntegerClass.Kind.INTEGER, false);
            }
            case "fixed-length-signed-enumeration": { // CTF2-SPECRC-7.0
                Props p = new Props(o, path, FL_SINT_KEYS, true);
                p.req("mappings");
                return fixedLength(p, IntegerClass.Kind.INTEGER, true);
            }
            case "variable-length-unsigned-enumeration": { // CTF2-SPECRC-7.0
                Props p = new Props(o, path, VL_UINT_KEYS, true);
                p.req("mappings");
                return variableLength(p, false);
            }
            case "variable-length-signed-enumeration": { // CTF2-SPECRC-7.0
                Props p = new Props(o, path, VL_SINT_KEYS, true);
                p.req("mappings");
                return variableLength(p, true);
            }
            case "fixed-length-floating-point-number":
                return floating(new Props(o, path, BIT_ARRAY_KEYS, true));
            case "variable-length-unsigned-integer":
                return variableLength(new Props(o, path, VL_UINT_KEYS, true), false);
            case "variable-length-signed-integer":
                return variableLength(new Props(o, path, VL_SINT_KEYS, true), true);
            case "null-terminated-string": {
                Props p = new Props(o, path, NT_STR_KEYS, true);
                return new StringClass(StringClass.Kind.NULL_TERMINATED, -1, null, encoding(p), p.attributes());
            }
            case "static-length-string": {
                Props p = new Props(o, path, SL_STR_KEYS, true);
                long len = reqLength(p, "length");
                return new StringClass(StringClass.Kind.STATIC_LENGTH, len, null, encoding(p), p.attributes());
            }
            case "dynamic-length-string": {
                Props p = new Props(o, path, DL_STR_KEYS, true);
                StringClass.Encoding enc = encoding(p);
                FieldPath lp = location(p, "length-field-location", ctx, Use.LENGTH, null);
                return new StringClass(StringClass.Kind.DYNAMIC_LENGTH, -1, lp, enc, p.attributes());
            }
            case "static-length-blob": {
                Props p = new Props(o, path, SL_BLOB_KEYS, true);
                String mt = mediaType(p);
                long len = reqLength(p, "length");
                boolean uuidRole = false;
                Json.Value rv = p.opt("roles");
                if (rv != null) {
                    List<Json.Value> items = asArr(rv, p.path("roles")).items();
                    for (int k = 0; k < items.size(); k++) {
                        Json.Value r = items.get(k);
                        String role = str(r, p.path("roles").idx(k));
                        if (!role.equals("metadata-stream-uuid")) {
                            throw err(r.pos(), "`" + p.path("roles") + "`: role `" + role
                                    + "` is not valid for a static-length BLOB (only `metadata-stream-uuid`)");
                        }
                        uuidRole = true;
                    }
                }
                return new BlobClass(len, null, mt, uuidRole, p.attributes());
            }
            case "dynamic-length-blob": {
                Props p = new Props(o, path, DL_BLOB_KEYS, true);
                String mt = mediaType(p);
                FieldPath lp = location(p, "length-field-location", ctx, Use.LENGTH, null);
                return new BlobClass(-1, lp, mt, false, p.attributes());
            }
            case "structure":
                return structure(new Props(o, path, STRUCT_KEYS, true), ctx);
            case "static-length-array": {
                Props p = new Props(o, path, SL_ARRAY_KEYS, true);
                int minAlign = alignment(p, "minimum-alignment");
                long len = reqLength(p, "length");
                FieldClass elem = fieldClass(p.req("element-field-class"), p.path("element-field-class"), ctx);
                return new ArrayClass(elem, len, null, minAlign, false, p.attributes());
            }
            case "dynamic-length-array": {
                Props p = new Props(o, path, DL_ARRAY_KEYS, true);
                int minAlign = alignment(p, "minimum-alignment");
                FieldPath lp = location(p, "length-field-location", ctx, Use.LENGTH, null);
                FieldClass elem = fieldClass(p.req("element-field-class"), p.path("element-field-class"), ctx);
                return new ArrayClass(elem, -1, lp, minAlign, false, p.attributes());
            }
            case "optional":
                return optional(new Props(o, path, OPTIONAL_KEYS, true), ctx);
            case "variant":
                return variant(new Props(o, path, VARIANT_KEYS, true), ctx);
            default:
                throw err(ts.pos(), "`" + path + ".type`: unknown field class type `" + type + "`");
        }
    }

    /** Counts field classes as if aliases were expanded, so that nested aliases cannot explode the model. */
    private void count(Json.Value v, int n) {
        fieldClassCount += n;
        if (fieldClassCount > MAX_FIELD_CLASSES || fieldClassCount < 0) {
            throw err(v.pos(), "metadata too large: more than " + MAX_FIELD_CLASSES
                    + " field classes once aliases are expanded");
        }
    }

    private IntegerClass fixedLength(Props p, IntegerClass.Kind kind, boolean signed) {
        IntegerClass.Builder b = IntegerClass.builder().kind(kind).signed(signed);
        Json.Int lv = p.reqInt("length");
        if (lv.big() || lv.value() < 1 || lv.value() > 64) {
            throw err(lv.pos(), "`" + p.path("length") + "`: expecting a length in [1, 64] bits, got " + lv);
        }
        b.length((int) lv.value());
        ByteOrder bo = byteOrder(p);
        b.byteOrder(bo);
        Json.Value bov = p.opt("bit-order");
        if (bov != null) {
            String s = str(bov, p.path("bit-order"));
            switch (s) {
                case "first-to-last" -> b.lsbFirst(true);
                case "last-to-first" -> b.lsbFirst(false);
                default -> throw err(bov.pos(), "`" + p.path("bit-order")
                        + "`: expecting \"first-to-last\" or \"last-to-first\", got \"" + s + "\"");
            }
        }
        b.alignment(alignment(p, "alignment"));
        if (p.allowed("preferred-display-base")) {
            b.base(displayBase(p));
        }
        if (p.allowed("mappings")) {
            List<IntegerClass.Mapping> m = mappings(p, "mappings", signed, true);
            b.mappings(m);
            b.enumeration(!m.isEmpty());
        }
        if (p.allowed("flags")) {
            if (p.opt("flags") == null) {
                p.req("flags");
            }
            b.flags(mappings(p, "flags", false, false));
        }
        if (p.allowed("roles")) {
            b.roles(roles(p));
        }
        b.attributes(p.attributes());
        return b.build();
    }

    private FloatClass floating(Props p) {
        Json.Int lv = p.reqInt("length");
        ByteOrder bo = byteOrder(p);
        Json.Value bov = p.opt("bit-order");
        if (bov != null) {
            String s = str(bov, p.path("bit-order"));
            if (!s.equals("first-to-last") && !s.equals("last-to-first")) {
                throw err(bov.pos(), "`" + p.path("bit-order")
                        + "`: expecting \"first-to-last\" or \"last-to-first\", got \"" + s + "\"");
            }
        }
        int align = alignment(p, "alignment");
        if (lv.big() || (lv.value() != 32 && lv.value() != 64)) {
            boolean valid = !lv.big() && (lv.value() == 16 || lv.value() == 128
                    || (lv.value() > 128 && lv.value() % 32 == 0));
            throw err(lv.pos(), "`" + p.path("length") + "`: " + (valid
                    ? "unsupported floating point number length " + lv + " (32 and 64 are supported)"
                    : "expecting a floating point number length of 16, 32, 64, 128 or a multiple of 32 above 128,"
                    + " got " + lv));
        }
        int len = (int) lv.value();
        return new FloatClass(align, len, bo, len == 32 ? 8 : 11, len == 32 ? 24 : 53, p.attributes());
    }

    private IntegerClass variableLength(Props p, boolean signed) {
        IntegerClass.Builder b = IntegerClass.builder().variableLength(true).signed(signed).alignment(8);
        b.base(displayBase(p));
        List<IntegerClass.Mapping> m = mappings(p, "mappings", signed, true);
        b.mappings(m).enumeration(!m.isEmpty());
        if (!signed) {
            b.roles(roles(p));
        }
        b.attributes(p.attributes());
        return b.build();
    }

    private ByteOrder byteOrder(Props p) {
        Json.Value v = p.req("byte-order");
        String s = str(v, p.path("byte-order"));
        return switch (s) {
            case "little-endian" -> ByteOrder.LITTLE_ENDIAN;
            case "big-endian" -> ByteOrder.BIG_ENDIAN;
            default -> throw err(v.pos(), "`" + p.path("byte-order")
                    + "`: expecting \"big-endian\" or \"little-endian\", got \"" + s + "\"");
        };
    }

    /** An optional alignment property (default 1): a power of two, in bits. */
    private int alignment(Props p, String key) {
        Json.Value v = p.opt(key);
        if (v == null) {
            return 1;
        }
        if (!(v instanceof Json.Int n) || n.negative() || n.big() || n.value() == 0
                || Long.bitCount(n.value()) != 1) {
            throw err(v.pos(), "`" + p.path(key) + "`: expecting a positive power of two, got " + describe(v));
        }
        if (n.value() > (1L << 30)) {
            throw err(v.pos(), "`" + p.path(key) + "`: alignment " + n + " is too large (at most 2^30 bits)");
        }
        return (int) n.value();
    }

    private int displayBase(Props p) {
        Json.Value v = p.opt("preferred-display-base");
        if (v == null) {
            return 10;
        }
        if (v instanceof Json.Int n && !n.big() && (n.value() == 2 || n.value() == 8 || n.value() == 10
                || n.value() == 16)) {
            return (int) n.value();
        }
        throw err(v.pos(), "`" + p.path("preferred-display-base") + "`: expecting 2, 8, 10 or 16, got "
                + describe(v));
    }

    private static final Map<String, IntegerClass.Role> ROLES = Map.ofEntries(
            Map.entry("packet-magic-number", IntegerClass.Role.PACKET_MAGIC_NUMBER),
            Map.entry("data-stream-class-id", IntegerClass.Role.DATA_STREAM_CLASS_ID),
            Map.entry("data-stream-id", IntegerClass.Role.DATA_STREAM_ID),
            Map.entry("packet-total-length", IntegerClass.Role.PACKET_TOTAL_LENGTH),
            Map.entry("packet-content-length", IntegerClass.Role.PACKET_CONTENT_LENGTH),
            Map.entry("default-clock-timestamp", IntegerClass.Role.DEFAULT_CLOCK_TIMESTAMP),
            Map.entry("packet-end-default-clock-timestamp", IntegerClass.Role.PACKET_END_DEFAULT_CLOCK_TIMESTAMP),
            Map.entry("discarded-event-record-counter-snapshot",
                    IntegerClass.Role.DISCARDED_EVENT_RECORD_COUNTER_SNAPSHOT),
            Map.entry("packet-sequence-number", IntegerClass.Role.PACKET_SEQUENCE_NUMBER),
            Map.entry("event-record-class-id", IntegerClass.Role.EVENT_RECORD_CLASS_ID));

    private List<IntegerClass.Role> roles(Props p) {
        Json.Value v = p.opt("roles");
        if (v == null) {
            return List.of();
        }
        List<IntegerClass.Role> out = new ArrayList<>();
        List<Json.Value> items = asArr(v, p.path("roles")).items();
        for (int k = 0; k < items.size(); k++) {
            Json.Value r = items.get(k);
            String s = str(r, p.path("roles").idx(k));
            IntegerClass.Role role = ROLES.get(s);
            if (role == null) {
                throw err(r.pos(), "`" + p.path("roles") + "`: role `" + s + "` is not valid for an unsigned "
                        + "integer field class");
            }
            if (!out.contains(role)) {
                out.add(role);
            }
        }
        return out;
    }

    /** Integer mappings or bit map flags: an object of label → non-empty integer range set. */
    private List<IntegerClass.Mapping> mappings(Props p, String key, boolean signed, boolean allowEmpty) {
        Json.Value v = p.opt(key);
        if (v == null) {
            return List.of();
        }
        Json.Obj o = asObj(v, p.path(key));
        if (!allowEmpty && o.props().isEmpty()) {
            throw err(o.pos(), "`" + p.path(key) + "`: expecting at least one entry");
        }
        List<IntegerClass.Mapping> out = new ArrayList<>(o.props().size());
        for (Map.Entry<String, Json.Prop> e : o.props().entrySet()) {
            Where where = p.path(key).dot(e.getKey());
            out.add(new IntegerClass.Mapping(e.getKey(), rangeSet(e.getValue().value(), where,
                    signed ? RangeKind.SIGNED : RangeKind.UNSIGNED)));
        }
        return List.copyOf(out);
    }

    private enum RangeKind { SIGNED, UNSIGNED, ANY }

    /** A raw integer range as read: bounds may be any JSON integer (for selector ranges). */
    private record RawRange(Json.Int lower, Json.Int upper) {
    }

    private List<IntegerClass.Range> rangeSet(Json.Value v, Where where, RangeKind kind) {
        List<IntegerClass.Range> out = new ArrayList<>();
        for (RawRange r : rawRangeSet(v, where, kind)) {
            out.add(new IntegerClass.Range(r.lower().value(), r.upper().value()));
        }
        return List.copyOf(out);
    }

    private List<RawRange> rawRangeSet(Json.Value v, Where where, RangeKind kind) {
        Json.Arr a = asArr(v, where);
        if (a.items().isEmpty()) {
            throw err(a.pos(), "`" + where + "`: expecting at least one integer range");
        }
        List<RawRange> out = new ArrayList<>(a.items().size());
        for (int k = 0; k < a.items().size(); k++) {
            Json.Value rv = a.items().get(k);
            Json.Arr ra = asArr(rv, where.idx(k));
            if (ra.items().size() != 2) {
                throw err(ra.pos(), "`" + where + "`: an integer range is an array of two integers [lower, upper],"
                        + " got " + ra.items().size() + " elements");
            }
            Json.Int lo = rangeBound(ra.items().get(0), where, kind);
            Json.Int hi = rangeBound(ra.items().get(1), where, kind);
            if (compare(lo, hi) > 0) {
                throw err(ra.pos(), "`" + where + "`: invalid integer range: lower bound " + lo
                        + " is greater than upper bound " + hi);
            }
            out.add(new RawRange(lo, hi));
        }
        return out;
    }

    private Json.Int rangeBound(Json.Value v, Where where, RangeKind kind) {
        if (!(v instanceof Json.Int n)) {
            throw err(v.pos(), "`" + where + "`: expecting an integer range bound, got " + describe(v));
        }
        if (kind == RangeKind.UNSIGNED && n.negative()) {
            throw err(v.pos(), "`" + where + "`: expecting an unsigned integer, got " + n);
        }
        if (kind == RangeKind.SIGNED && n.big()) {
            throw err(v.pos(), "`" + where + "`: expecting a signed 64-bit integer, got " + n);
        }
        return n;
    }

    /** Compares two JSON integers by their mathematical values. */
    private static int compare(Json.Int a, Json.Int b) {
        if (a.big() != b.big()) {
            return a.big() ? 1 : -1;
        }
        return a.big() ? Long.compareUnsigned(a.value(), b.value()) : Long.compare(a.value(), b.value());
    }

    private StringClass.Encoding encoding(Props p) {
        Json.Value v = p.opt("encoding");
        if (v == null) {
            return StringClass.Encoding.UTF8;
        }
        String s = str(v, p.path("encoding"));
        return switch (s) {
            case "utf-8" -> StringClass.Encoding.UTF8;
            case "utf-16be" -> StringClass.Encoding.UTF16BE;
            case "utf-16le" -> StringClass.Encoding.UTF16LE;
            case "utf-32be" -> StringClass.Encoding.UTF32BE;
            case "utf-32le" -> StringClass.Encoding.UTF32LE;
            default -> throw err(v.pos(), "`" + p.path("encoding") + "`: expecting \"utf-8\", \"utf-16be\", "
                    + "\"utf-16le\", \"utf-32be\" or \"utf-32le\", got \"" + s + "\"");
        };
    }

    private String mediaType(Props p) {
        Json.Value v = p.opt("media-type");
        return v == null ? "application/octet-stream" : str(v, p.path("media-type"));
    }

    private long reqLength(Props p, String key) {
        Json.Int n = p.reqInt(key);
        if (n.negative() || n.big()) {
            throw err(n.pos(), "`" + p.path(key) + "`: expecting an integer in [0, 9223372036854775807], got " + n);
        }
        return n.value();
    }

    private StructClass structure(Props p, Ctx ctx) {
        int minAlign = alignment(p, "minimum-alignment");
        Json.Value mv = p.opt("member-classes");
        List<StructClass.Member> members = new ArrayList<>();
        if (mv != null) {
            Json.Arr arr = asArr(mv, p.path("member-classes"));
            Frame frame = new Frame();
            if (ctx != null) {
                ctx.frames.add(frame);
            }
            Set<String> names = new HashSet<>();
            int k = 0;
            for (Json.Value item : arr.items()) {
                Where where = p.path("member-classes").idx(k++);
                Props mp = new Props(asObj(item, where), where, MEMBER_KEYS, true);
                Json.Str nv = mp.reqStr("name");
                if (!names.add(nv.value())) {
                    throw err(nv.pos(), "`" + where + ".name`: duplicate structure member name `" + nv.value()
                            + "`");
                }
                frame.current = nv.value();
                FieldClass t = fieldClass(mp.req("field-class"), where.dot("field-class"), ctx);
                StructClass.Member m = new StructClass.Member(nv.value(), t, mp.attributes());
                frame.done.add(m);
                frame.current = null;
                members.add(m);
            }
            if (ctx != null) {
                ctx.frames.remove(ctx.frames.size() - 1);
            }
        }
        return new StructClass(members, minAlign, p.attributes());
    }

    private OptionalClass optional(Props p, Ctx ctx) {
        Json.Value rv = p.opt("selector-field-ranges");
        List<RawRange> raw = rv == null ? null : rawRangeSet(rv, p.path("selector-field-ranges"), RangeKind.ANY);
        List<FieldClass> selectors = new ArrayList<>();
        FieldPath sp = location(p, "selector-field-location", ctx, Use.OPTIONAL_SELECTOR, selectors);
        List<IntegerClass.Range> ranges = List.of();
        if (ctx != null) {
            IntegerClass sel = (IntegerClass) selectors.get(0);
            Json.Value lv = p.req("selector-field-location");
            if (sel.kind() == IntegerClass.Kind.BOOLEAN) {
                if (rv != null) {
                    throw err(rv.pos(), "`" + p.path("selector-field-ranges")
                            + "`: must be absent when the selector is a boolean field");
                }
            } else {
                if (rv == null) {
                    throw err(lv.pos(), "`" + p.path("selector-field-ranges")
                            + "`: required when the selector is an integer field (missing property)");
                }
                ranges = toRanges(raw, sel.signed());
            }
        }
        FieldClass t = fieldClass(p.req("field-class"), p.path("field-class"), ctx);
        return new OptionalClass(t, sp, ranges, p.attributes());
    }

    private VariantClass variant(Props p, Ctx ctx) {
        Json.Arr opts = asArr(p.req("options"), p.path("options"));
        if (opts.items().isEmpty()) {
            throw err(opts.pos(), "`" + p.path("options") + "`: expecting at least one option");
        }
        List<FieldClass> selectors = new ArrayList<>();
        FieldPath sp = location(p, "selector-field-location", ctx, Use.VARIANT_SELECTOR, selectors);
        boolean signed = ctx != null && ((IntegerClass) selectors.get(0)).signed();
        List<VariantClass.Option> options = new ArrayList<>();
        Set<String> names = new HashSet<>();
        List<List<RawRange>> allRanges = new ArrayList<>();
        int k = 0;
        for (Json.Value item : opts.items()) {
            Where where = p.path("options").idx(k++);
            Props op = new Props(asObj(item, where), where, OPTION_KEYS, true);
            String name = op.optStr("name");
            if (name != null && !names.add(name)) {
                throw err(op.opt("name").pos(), "`" + where + ".name`: duplicate variant option name `" + name + "`");
            }
            List<RawRange> raw = rawRangeSet(op.req("selector-field-ranges"), where.dot("selector-field-ranges"),
                    RangeKind.ANY);
            if (ctx != null) {
                for (RawRange r : raw) {
                    for (int j = 0; j < allRanges.size(); j++) {
                        for (RawRange q : allRanges.get(j)) {
                            if (compare(r.lower(), q.upper()) <= 0 && compare(q.lower(), r.upper()) <= 0
                                    && overlapsInSelector(r, q, signed)) {
                                throw err(r.lower().pos(), "`" + where + ".selector-field-ranges`: range ["
                                        + r.lower() + ", " + r.upper() + "] overlaps a range of option " + j);
                            }
                        }
                    }
                }
            }
            allRanges.add(raw);
            FieldClass t = fieldClass(op.req("field-class"), where.dot("field-class"), ctx);
            List<IntegerClass.Range> ranges = ctx == null ? List.of() : toRanges(raw, signed);
            options.add(new VariantClass.Option(name, t, ranges, op.attributes()));
        }
        return new VariantClass(sp, options, p.attributes());
    }

    /** True when both ranges still overlap once clamped to what the selector can hold. */
    private static boolean overlapsInSelector(RawRange a, RawRange b, boolean signed) {
        List<IntegerClass.Range> x = toRanges(List.of(a), signed);
        List<IntegerClass.Range> y = toRanges(List.of(b), signed);
        return !x.isEmpty() && !y.isEmpty();
    }

    /**
     * Converts raw selector ranges to ranges of the selector's signedness, clamping bounds the selector cannot
     * hold (such ranges could never match) and dropping ranges left empty.
     */
    private static List<IntegerClass.Range> toRanges(List<RawRange> raw, boolean signed) {
        List<IntegerClass.Range> out = new ArrayList<>(raw.size());
        for (RawRange r : raw) {
            Json.Int lo = r.lower();
            Json.Int hi = r.upper();
            if (signed) {
                if (lo.big()) {
                    continue;
                }
                long upper = hi.big() ? Long.MAX_VALUE : hi.value();
                out.add(new IntegerClass.Range(lo.value(), upper));
            } else {
                if (hi.negative()) {
                    continue;
                }
                long lower = lo.negative() ? 0 : lo.value();
                out.add(new IntegerClass.Range(lower, hi.value()));
            }
        }
        return List.copyOf(out);
    }

    // ------------------------------------------------------------------------------------------------ locations

    private enum Use {
        LENGTH("length"), OPTIONAL_SELECTOR("optional selector"), VARIANT_SELECTOR("variant selector");

        final String what;

        Use(String what) {
            this.what = what;
        }
    }

    private static final Map<String, Scope> ORIGINS = Map.of(
            "packet-header", Scope.PACKET_HEADER,
            "packet-context", Scope.PACKET_CONTEXT,
            "event-record-header", Scope.EVENT_HEADER,
            "event-record-common-context", Scope.EVENT_COMMON_CONTEXT,
            "event-record-specific-context", Scope.EVENT_SPECIFIC_CONTEXT,
            "event-record-payload", Scope.EVENT_PAYLOAD);

    /**
     * Reads and resolves a field location. With a context, checks the targets (added to {@code targets} when not
     * null) and returns the absolute path; without one (alias validation), checks the form only.
     */
    private FieldPath location(Props owner, String key, Ctx ctx, Use use, List<FieldClass> targets) {
        Where where = owner.path(key);
        Json.Value lv = owner.req(key);
        locationCount++;
        Scope origin = null;
        Json.Value ov;
        Json.Arr pa;
        if (lv instanceof Json.Arr legacy && legacy.items().size() >= 2 && legacy.items().stream()
                .allMatch(x -> x instanceof Json.Str) && ORIGINS.containsKey(((Json.Str) legacy.items().get(0))
                .value())) {
            // CTF2-SPECRC-7.0: [origin, member, member, ...]
            ov = legacy.items().get(0);
            pa = new Json.Arr(legacy.items().subList(1, legacy.items().size()), legacy.items().get(1).pos());
        } else {
            Props p = new Props(asObj(lv, where), where, LOCATION_KEYS, false);
            ov = p.opt("origin");
            pa = asArr(p.req("path"), where.dot("path"));
        }
        if (ov != null) {
            String s = str(ov, where.dot("origin"));
            origin = ORIGINS.get(s);
            if (origin == null) {
                throw err(ov.pos(), "`" + where + ".origin`: unknown origin `" + s + "` (expecting one of "
                        + "packet-header, packet-context, event-record-header, event-record-common-context, "
                        + "event-record-specific-context, event-record-payload)");
            }
        }
        if (pa.items().isEmpty()) {
            throw err(pa.pos(), "`" + where + ".path`: expecting at least one path element");
        }
        List<String> elems = new ArrayList<>(pa.items().size());
        for (Json.Value e : pa.items()) {
            if (e instanceof Json.Str s) {
                elems.add(s.value());
            } else if (e instanceof Json.Null) {
                if (origin != null) {
                    throw err(e.pos(), "`" + where + ".path`: null (parent) is only valid in a relative field "
                            + "location (without `origin`)");
                }
                elems.add(null);
            } else {
                throw err(e.pos(), "`" + where + ".path`: expecting a string or null, got " + e.kind());
            }
        }
        if (elems.get(elems.size() - 1) == null) {
            throw err(pa.items().get(pa.items().size() - 1).pos(), "`" + where
                    + ".path`: the last path element must be a structure member name, not null");
        }
        String spelling = spell(origin, elems);
        if (ctx == null) {
            return new FieldPath(origin != null ? origin : Scope.EVENT_PAYLOAD,
                    elems.stream().filter(x -> x != null).toList(), spelling);
        }
        Scope scope;
        List<String> names = new ArrayList<>();
        List<FieldClass> found = new ArrayList<>();
        if (origin != null) {
            scope = origin;
            names.addAll(elems);
            if (scope.ordinal() > ctx.scope.ordinal()) {
                throw err(lv.pos(), "`" + where + "`: field location " + spelling + " is in the "
                        + scope.ctf2Name() + " scope, which is decoded after the " + ctx.scope.ctf2Name()
                        + " scope of this field");
            }
        } else {
            scope = ctx.scope;
            // Normalise: a name followed by null cancels out; leading nulls climb to parent structures.
            List<String> suffix = new ArrayList<>();
            int up = 0;
            for (String e : elems) {
                if (e != null) {
                    suffix.add(e);
                } else if (!suffix.isEmpty()) {
                    suffix.remove(suffix.size() - 1);
                } else {
                    up++;
                }
            }
            int level = ctx.frames.size() - 1 - up;
            if (level < 0) {
                throw err(lv.pos(), "`" + where + "`: field location " + spelling
                        + " goes above the root structure of the " + scope.ctf2Name() + " scope");
            }
            for (int i = 0; i < level; i++) {
                names.add(ctx.frames.get(i).current);
            }
            names.addAll(suffix);
        }
        if (scope == ctx.scope) {
            findInFrames(ctx, names, lv.pos(), where, spelling, found);
        } else {
            StructClass root = ctx.roots[scope.ordinal()];
            if (root == null) {
                throw err(lv.pos(), "`" + where + "`: field location " + spelling + ": the " + scope.ctf2Name()
                        + " scope has no field class");
            }
            findIn(root, names, 0, lv.pos(), where, spelling, found);
        }
        checkTargets(found, use, lv.pos(), where, spelling);
        if (targets != null) {
            targets.addAll(found);
        }
        return new FieldPath(scope, names, spelling);
    }

    private static String spell(Scope origin, List<String> elems) {
        StringBuilder b = new StringBuilder("[");
        if (origin != null) {
            b.append(origin.ctf2Name()).append(": ");
        }
        for (int i = 0; i < elems.size(); i++) {
            if (i > 0) {
                b.append(", ");
            }
            b.append(elems.get(i) == null ? "null" : "`" + elems.get(i) + "`");
        }
        return b.append(']').toString();
    }

    /** Finds the targets of an absolute path in the scope being built, among fields decoded before this one. */
    private void findInFrames(Ctx ctx, List<String> names, int pos, Where where, String spelling,
                              List<FieldClass> found) {
        for (int i = 0; i < names.size(); i++) {
            if (i >= ctx.frames.size()) {
                throw err(pos, "`" + where + "`: field location " + spelling + " does not reach a field");
            }
            Frame f = ctx.frames.get(i);
            String name = names.get(i);
            StructClass.Member m = f.find(name);
            if (m != null) {
                findIn(m.type(), names, i + 1, pos, where, spelling, found);
                return;
            }
            if (name.equals(f.current)) {
                if (i == names.size() - 1 || i == ctx.frames.size() - 1) {
                    throw err(pos, "`" + where + "`: field location " + spelling + " targets this field or one "
                            + "of its containers, which is not decoded before it");
                }
                continue; // into the structure containing this field
            }
            throw err(pos, "`" + where + "`: field location " + spelling + ": no member `" + name
                    + "` decoded before this field");
        }
        throw err(pos, "`" + where + "`: field location " + spelling + " does not reach a field");
    }

    /** Follows {@code names[idx..]} from a finished field class; variants fan out to all their options. */
    private void findIn(FieldClass fc, List<String> names, int idx, int pos, Where where, String spelling,
                        List<FieldClass> found) {
        if (idx == names.size()) {
            if (fc instanceof VariantClass v) {
                for (VariantClass.Option o : v.options()) {
                    findIn(o.type(), names, idx, pos, where, spelling, found);
                }
                return;
            }
            found.add(fc);
            return;
        }
        if (fc instanceof StructClass s) {
            FieldClass t = s.memberType(names.get(idx));
            if (t == null) {
                throw err(pos, "`" + where + "`: field location " + spelling + ": no member `" + names.get(idx)
                        + "` in the structure reached by " + names.subList(0, idx));
            }
            findIn(t, names, idx + 1, pos, where, spelling, found);
        } else if (fc instanceof VariantClass v) {
            for (VariantClass.Option o : v.options()) {
                findIn(o.type(), names, idx, pos, where, spelling, found);
            }
        } else if (fc instanceof ArrayClass) {
            throw err(pos, "`" + where + "`: field location " + spelling + " goes through the elements of array "
                    + names.subList(0, idx) + ", which do not contain this field");
        } else if (fc instanceof OptionalClass) {
            throw err(pos, "`" + where + "`: field location " + spelling + " goes through optional field "
                    + names.subList(0, idx) + ", which does not contain this field");
        } else {
            throw err(pos, "`" + where + "`: field location " + spelling + ": " + names.subList(0, idx)
                    + " is not a structure");
        }
    }

    private void checkTargets(List<FieldClass> found, Use use, int pos, Where where, String spelling) {
        Boolean bool = null;
        Boolean signed = null;
        for (FieldClass t : found) {
            boolean ok;
            if (t instanceof IntegerClass ic) {
                ok = switch (use) {
                    case LENGTH -> ic.kind() == IntegerClass.Kind.INTEGER && !ic.signed();
                    case VARIANT_SELECTOR -> ic.kind() == IntegerClass.Kind.INTEGER;
                    case OPTIONAL_SELECTOR -> ic.kind() == IntegerClass.Kind.INTEGER
                            || ic.kind() == IntegerClass.Kind.BOOLEAN;
                };
                if (ok) {
                    boolean b = ic.kind() == IntegerClass.Kind.BOOLEAN;
                    if ((bool != null && bool != b) || (!b && signed != null && signed != ic.signed())) {
                        throw err(pos, "`" + where + "`: field location " + spelling
                                + " targets fields of different kinds or signedness");
                    }
                    bool = b;
                    if (!b) {
                        signed = ic.signed();
                    }
                }
            } else {
                ok = false;
            }
            if (!ok) {
                String expected = switch (use) {
                    case LENGTH -> "an unsigned integer field";
                    case VARIANT_SELECTOR -> "an integer field";
                    case OPTIONAL_SELECTOR -> "a boolean or integer field";
                };
                throw err(pos, "`" + where + "`: the " + use.what + " field location " + spelling + " must target "
                        + expected + ", not " + describe(t));
            }
        }
    }

    private static String describe(FieldClass t) {
        if (t instanceof IntegerClass ic) {
            String k = switch (ic.kind()) {
                case BOOLEAN -> "a boolean field";
                case BIT_ARRAY -> "a bit array field";
                case INTEGER -> (ic.signed() ? "a signed" : "an unsigned") + " integer field";
            };
            return k;
        }
        if (t instanceof FloatClass) {
            return "a floating point number field";
        }
        if (t instanceof StringClass) {
            return "a string field";
        }
        if (t instanceof BlobClass) {
            return "a BLOB field";
        }
        if (t instanceof StructClass) {
            return "a structure field";
        }
        if (t instanceof ArrayClass) {
            return "an array field";
        }
        if (t instanceof OptionalClass) {
            return "an optional field";
        }
        return "a variant field";
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Set<String> keys(String... k) {
        return Set.copyOf(Arrays.asList(k));
    }

    /**
     * A JSON property path for messages, such as {@code payload-field-class.member-classes[2].field-class}: built
     * cheaply while parsing and rendered only when an error is reported.
     */
    static final class Where {
        static final Where ROOT = new Where(null, "");

        private final Where parent;
        private final String segment;

        private Where(Where parent, String segment) {
            this.parent = parent;
            this.segment = segment;
        }

        Where dot(String key) {
            return new Where(this, parent == null && segment.isEmpty() ? key : "." + key);
        }

        Where idx(int i) {
            return new Where(this, "[" + i + "]");
        }

        Where alias(String name) {
            return new Where(this, " (alias `" + name + "`)");
        }

        boolean isRoot() {
            return parent == null && segment.isEmpty();
        }

        /** Renders the path; a very long one (nested aliases) keeps its first and last segments only. */
        @Override
        public String toString() {
            ArrayList<String> segs = new ArrayList<>();
            for (Where w = this; w != null; w = w.parent) {
                segs.add(w.segment);
            }
            StringBuilder b = new StringBuilder();
            int n = segs.size();
            for (int i = n - 1; i >= 0; i--) {
                if (n > 24 && i == n - 9) {
                    b.append(" ... ");
                    i = 15;
                }
                b.append(segs.get(i));
            }
            return b.toString();
        }
    }

    /** Properties of one JSON object: unknown properties rejected up front, typed getters naming the path. */
    private final class Props {
        final Json.Obj obj;
        final Where base;
        final Set<String> allowed;
        final boolean common;

        /** @param common true to also allow {@code attributes} and {@code extensions} */
        Props(Json.Obj obj, Where base, Set<String> allowed, boolean common) {
            this.obj = obj;
            this.base = base;
            this.allowed = allowed;
            this.common = common;
            for (Map.Entry<String, Json.Prop> e : obj.props().entrySet()) {
                String k = e.getKey();
                if (!allowed.contains(k) && !(common && (k.equals("attributes") || k.equals("extensions")
                        || k.equals("user-attributes")))) {
                    throw err(e.getValue().keyPos(), "`" + path(k) + "`: unknown property `" + k + "`");
                }
            }
            if (common) {
                Json.Value ext = obj.get("extensions");
                if (ext != null) {
                    Json.Obj eo = asObj(ext, path("extensions"));
                    for (Map.Entry<String, Json.Prop> e : eo.props().entrySet()) {
                        throw err(eo.pos(), "`" + path("extensions") + "`: extension namespace `"
                                + e.getKey() + "` is not enabled in the preamble (no extension is supported)");
                    }
                }
            }
        }

        Props(Json.Obj obj, Where base, Set<String> allowed) {
            this(obj, base, allowed, false);
        }

        boolean allowed(String key) {
            return allowed.contains(key);
        }

        Where path(String key) {
            return base.dot(key);
        }

        Json.Value opt(String key) {
            return obj.get(key);
        }

        Json.Value req(String key) {
            Json.Value v = obj.get(key);
            if (v == null) {
                throw err(obj.pos(), (base.isRoot() ? "" : "`" + base + "`: ")
                        + "missing required property `" + key + "`");
            }
            return v;
        }

        String optStr(String key) {
            Json.Value v = obj.get(key);
            return v == null ? null : str(v, path(key));
        }

        Json.Str reqStr(String key) {
            Json.Value v = req(key);
            if (!(v instanceof Json.Str s)) {
                throw err(v.pos(), "`" + path(key) + "`: expecting a string, got " + describe(v));
            }
            return s;
        }

        Json.Int optInt(String key) {
            Json.Value v = obj.get(key);
            if (v == null) {
                return null;
            }
            if (!(v instanceof Json.Int n)) {
                throw err(v.pos(), "`" + path(key) + "`: expecting an integer, got " + describe(v));
            }
            return n;
        }

        Json.Int reqInt(String key) {
            req(key);
            return optInt(key);
        }

        Map<String, Object> attributes() {
            String key = "attributes";
            Json.Value v = obj.get(key);
            Json.Prop legacy = common ? obj.props().get("user-attributes") : null; // CTF2-SPECRC-7.0
            if (legacy != null) {
                if (v != null) {
                    throw err(legacy.keyPos(), "`" + path("user-attributes") + "`: both `attributes` and "
                            + "`user-attributes` (its CTF2-SPECRC-7.0 spelling)");
                }
                key = "user-attributes";
                v = legacy.value();
            }
            if (v == null) {
                return Map.of();
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) Json.toJava(asObj(v, path(key)));
            return m;
        }
    }

    private Props fragProps(Json.Obj o, Set<String> allowed) {
        return new Props(o, Where.ROOT, allowed, true);
    }

    private long optUnsignedLong(Props p, String key, long dflt) {
        Json.Int n = p.optInt(key);
        if (n == null) {
            return dflt;
        }
        if (n.negative()) {
            throw err(n.pos(), "`" + p.path(key) + "`: expecting an unsigned integer, got " + n);
        }
        if (n.big() && dflt < 0) {
            throw err(n.pos(), "`" + p.path(key) + "`: value " + n + " is too large");
        }
        return n.value();
    }

    private UUID optUuid(Props p, String key) {
        Json.Value v = p.opt(key);
        if (v == null) {
            return null;
        }
        Json.Arr a = asArr(v, p.path(key));
        if (a.items().size() != 16) {
            throw err(a.pos(), "`" + p.path(key) + "`: expecting an array of 16 bytes, got "
                    + a.items().size() + " elements");
        }
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < 16; i++) {
            Json.Value e = a.items().get(i);
            if (!(e instanceof Json.Int n) || n.negative() || n.big() || n.value() > 255) {
                throw err(e.pos(), "`" + p.path(key) + "`: expecting an integer in [0, 255], got " + describe(e));
            }
            if (i < 8) {
                hi = (hi << 8) | n.value();
            } else {
                lo = (lo << 8) | n.value();
            }
        }
        return new UUID(hi, lo);
    }

    private static UUID uuidOrNull(String s) {
        if (s == null || s.length() != 36) {
            return null;
        }
        try {
            UUID u = UUID.fromString(s);
            return u.toString().equalsIgnoreCase(s) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private Json.Obj asObj(Json.Value v, Where where) {
        if (v instanceof Json.Obj o) {
            return o;
        }
        throw err(v.pos(), "`" + where + "`: expecting an object, got " + describe(v));
    }

    private Json.Arr asArr(Json.Value v, Where where) {
        if (v instanceof Json.Arr a) {
            return a;
        }
        throw err(v.pos(), "`" + where + "`: expecting an array, got " + describe(v));
    }

    private String str(Json.Value v, Where where) {
        if (v instanceof Json.Str s) {
            return s.value();
        }
        throw err(v.pos(), "`" + where + "`: expecting a string, got " + describe(v));
    }

    private static String describe(Json.Value v) {
        if (v instanceof Json.Str s) {
            String t = s.value().length() > 40 ? s.value().substring(0, 40) + "..." : s.value();
            return "string \"" + t + "\"";
        }
        if (v instanceof Json.Int n) {
            return "integer " + n;
        }
        if (v instanceof Json.Real r) {
            return "real number " + r.text();
        }
        if (v instanceof Json.Bool b) {
            return Boolean.toString(b.value());
        }
        return v.kind();
    }

    private ByteOrder nativeByteOrder() {
        ByteOrder bo = firstByteOrder(packetHeader);
        for (StreamClass sc : streamClasses.values()) {
            if (bo != null) {
                break;
            }
            bo = firstByteOrder(sc.packetContext());
            if (bo == null) {
                bo = firstByteOrder(sc.eventHeader());
            }
        }
        return bo != null ? bo : ByteOrder.LITTLE_ENDIAN;
    }

    private static ByteOrder firstByteOrder(FieldClass fc) {
        if (fc instanceof IntegerClass ic && !ic.variableLength()) {
            return ic.byteOrder();
        }
        if (fc instanceof FloatClass f) {
            return f.byteOrder();
        }
        if (fc instanceof StructClass s) {
            for (StructClass.Member m : s.members()) {
                ByteOrder bo = firstByteOrder(m.type());
                if (bo != null) {
                    return bo;
                }
            }
        }
        if (fc instanceof ArrayClass a) {
            return firstByteOrder(a.elementType());
        }
        return null;
    }

    /** A metadata error at a text offset: {@code FILE:LINE:COLUMN: FRAGMENT: WHAT}. */
    private CtfException err(int pos, String what) {
        if (lineStarts == null) {
            int count = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    count++;
                }
            }
            lineStarts = new int[count];
            int k = 1;
            for (int i = 0; i < text.length(); i++) {
                if (text.charAt(i) == '\n') {
                    lineStarts[k++] = i + 1;
                }
            }
        }
        int idx = Arrays.binarySearch(lineStarts, pos);
        int line = idx >= 0 ? idx : -idx - 2;
        int col = pos - lineStarts[line] + 1;
        return CtfException.inMetadata(file, line + 1, col, fragment + ": " + what);
    }
}
