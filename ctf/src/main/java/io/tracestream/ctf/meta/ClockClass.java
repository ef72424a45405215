package io.tracestream.ctf.meta;

import java.util.Map;
import java.util.UUID;

/**
 * A clock class: converts raw cycle values of the fields mapped to it into nanoseconds from its origin.
 *
 * <p>{@code ns = (offsetSeconds * 1e9) + (offsetCycles + cycles) * 1e9 / frequency}, computed without overflow by
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

    public ClockClass(String name, String description, long frequency, long offsetSeconds, long offsetCycles,
                      long precision, boolean originIsUnixEpoch, UUID uuid, Map<String, Object> attributes) {
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
    }

    public String name() { return name; }
    public String description() { return description; }
    /** Frequency in Hz. */
    public long frequency() { return frequency; }
    public long offsetSeconds() { return offsetSeconds; }
    public long offsetCycles() { return offsetCycles; }
    public long precision() { return precision; }
    /** TSDL {@code absolute = true} or a CTF 2 Unix-epoch origin. */
    public boolean originIsUnixEpoch() { return originIsUnixEpoch; }
    public UUID uuid() { return uuid; }
    public Map<String, Object> attributes() { return attributes; }

    /** Converts a cycle count to nanoseconds (not including the offsets). */
    public long cyclesToNanos(long cycles) {
        if (frequency == 1_000_000_000L) {
            return cycles;
        }
        long s = Long.divideUnsigned(cycles, frequency);
        long r = Long.remainderUnsigned(cycles, frequency);
        return s * 1_000_000_000L + r * 1_000_000_000L / frequency;
    }

    /** Nanoseconds from the clock's origin of a raw value: both offsets applied. */
    public long cyclesToNanosFromOrigin(long cycles) {
        // Normalise offset_s/offset the way babeltrace2 does: whole seconds of offsetCycles move into seconds.
        long offS = offsetSeconds + Math.floorDiv(offsetCycles, frequency);
        long offC = Math.floorMod(offsetCycles, frequency);
        long ns = offS * 1_000_000_000L + offC * 1_000_000_000L / frequency;
        if (frequency == 1_000_000_000L) {
            return ns + cycles;
        }
        long s = Long.divideUnsigned(cycles, frequency);
        long r = Long.remainderUnsigned(cycles, frequency);
        long rest = ((offC + r) % frequency) * 1_000_000_000L / frequency;
        long carry = (offC + r) / frequency;
        return (offS + s + carry) * 1_000_000_000L + rest;
    }
}
