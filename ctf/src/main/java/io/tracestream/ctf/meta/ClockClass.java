package io.tracestream.ctf.meta;

import java.util.Map;
import java.util.UUID;

/**
 * A clock class: converts raw cycle values of the fields mapped to it into nanoseconds from its origin.
 *
 * <p>{@code ns = offsetSeconds * 1e9 + (offsetCycles + cycles) * 1e9 / frequency}, computed as babeltrace2 does by
 * {@link #cyclesToNanosFromOrigin(long)}.
 */
public final class ClockClass {
    private final String name;
    private final String description;
    private final long frequency;
    private final long offsetSeconds;
    private final long offsetCycles;
    private final long precision;
    private final boolean originIsUnixEpoch;
    private final UUID uuid;
    private final Map<String, Object> attributes;
    private final String id;
    private final String namespace;
    private final String uid;
    private final long accuracy;
    private final String originNamespace;
    private final String originName;
    private final String originUid;

    public ClockClass(String name, String description, long frequency, long offsetSeconds, long offsetCycles,
                      long precision, boolean originIsUnixEpoch, UUID uuid, Map<String, Object> attributes) {
        this(name, null, name, null, description, frequency, offsetSeconds, offsetCycles, precision, -1,
                originIsUnixEpoch, null, null, null, uuid, attributes);
    }

    /**
     * The CTF 2 form.
     *
     * @param id              metadata-internal id (CTF 2 {@code id}; the name for CTF 1.8)
     * @param namespace       CTF 2 namespace, or null
     * @param name            name, or null (CTF 2 names are optional)
     * @param uid             CTF 2 unique id, or null
     * @param precision       precision in cycles, or -1 when unknown
     * @param accuracy        accuracy in cycles, or -1 when unknown
     * @param originNamespace namespace of a custom origin, or null
     * @param originName      name of a custom origin, or null (no custom origin)
     * @param originUid       unique id of a custom origin, or null
     * @param uuid            {@code uid} when it is a UUID, else null
     */
    public ClockClass(String id, String namespace, String name, String uid, String description, long frequency,
                      long offsetSeconds, long offsetCycles, long precision, long accuracy,
                      boolean originIsUnixEpoch, String originNamespace, String originName, String originUid,
                      UUID uuid, Map<String, Object> attributes) {
        if (frequency <= 0) {
            throw new IllegalArgumentException("clock '" + name + "': frequency must be positive, got " + frequency);
        }
        this.name = name;
        this.description = description;
        this.frequency = frequency;
        this.offsetSeconds = offsetSeconds;
        this.offsetCycles = offsetCycles;
        this.precision = precision;
        this.originIsUnixEpoch = originIsUnixEpoch;
        this.uuid = uuid;
        this.attributes = attributes == null ? Map.of() : attributes;
        this.id = id;
        this.namespace = namespace;
        this.uid = uid;
        this.accuracy = accuracy;
        this.originNamespace = originNamespace;
        this.originName = originName;
        this.originUid = originUid;
    }

    /** Metadata-internal id: the CTF 2 clock class {@code id}, the name for CTF 1.8. */
    public String id() { return id; }
    /** CTF 2 namespace, or null. */
    public String namespace() { return namespace; }
    /** CTF 2 unique id ({@code uid}), or null. */
    public String uid() { return uid; }
    /** Accuracy in cycles, or -1 when unknown (always unknown for CTF 1.8). */
    public long accuracy() { return accuracy; }
    /** Namespace of a CTF 2 custom origin, or null. */
    public String originNamespace() { return originNamespace; }
    /** Name of a CTF 2 custom origin, or null when the origin is the Unix epoch or unknown. */
    public String originName() { return originName; }
    /** Unique id of a CTF 2 custom origin, or null. */
    public String originUid() { return originUid; }

    public String name() { return name; }
    public String description() { return description; }
    /** Frequency in Hz. */
    public long frequency() { return frequency; }
    public long offsetSeconds() { return offsetSeconds; }
    public long offsetCycles() { return offsetCycles; }
    /** Precision in cycles; -1 when unknown (a CTF 2 clock class without {@code precision}). */
    public long precision() { return precision; }
    /** TSDL {@code absolute = true} or a CTF 2 Unix-epoch origin. */
    public boolean originIsUnixEpoch() { return originIsUnixEpoch; }
    public UUID uuid() { return uuid; }
    public Map<String, Object> attributes() { return attributes; }

    /**
     * Nanoseconds from the clock's origin of a raw value, both offsets applied, exactly as babeltrace2 computes it
     * ({@code bt_util_ns_from_origin}): the normalised offset in cycles and the value are each converted with double
     * arithmetic and truncated, so printed times agree to the nanosecond for any frequency.
     *
     * @throws ArithmeticException when the result does not fit a signed 64-bit nanosecond count (babeltrace2 fails
     *                             the same way)
     */
    public long cyclesToNanosFromOrigin(long cycles) {
        long base = originBaseNanos();
        long valueNs = nanosFromValue(frequency, cycles);
        if (valueNs < 0 || (base > 0 && valueNs > Long.MAX_VALUE - base)) {
            throw new ArithmeticException("clock '" + name + "': value " + Long.toUnsignedString(cycles)
                    + " cycles is out of the nanosecond range");
        }
        return base + valueNs;
    }

    private long originBaseNanos() {
        long b = baseNanos;
        if (b == UNSET) {
            long offS = offsetSeconds + Math.floorDiv(offsetCycles, frequency);
            long offC = Math.floorMod(offsetCycles, frequency);
            if (offS <= Long.MIN_VALUE / 1_000_000_000L - 1 || offS >= Long.MAX_VALUE / 1_000_000_000L - 1) {
                throw new ArithmeticException("clock '" + name + "': offset of " + offS
                        + " s is out of the nanosecond range");
            }
            b = offS * 1_000_000_000L + nanosFromValue(frequency, offC);
            baseNanos = b;
        }
        return b;
    }

    private static final long UNSET = Long.MIN_VALUE;
    private static final double TWO_POW_64 = 18446744073709551616.0;
    private static final double TWO_POW_63 = 9223372036854775808.0;
    private long baseNanos = UNSET;

    /**
     * babeltrace2's {@code bt_util_ns_from_value}: an unsigned 64-bit cycle count to nanoseconds with double
     * arithmetic, truncated; -1 (UINT64_MAX) when it overflows.
     */
    static long nanosFromValue(long freq, long value) {
        if (freq == 1_000_000_000L) {
            return value;
        }
        double v = value >= 0 ? (double) value : ((double) (value >>> 1)) * 2.0 + (value & 1);
        double r = 1e9 * v / (double) freq;
        if (r >= TWO_POW_64) {
            return -1L;
        }
        if (r < TWO_POW_63) {
            return (long) r;
        }
        return (long) (r - TWO_POW_63) + Long.MIN_VALUE;
    }
}
