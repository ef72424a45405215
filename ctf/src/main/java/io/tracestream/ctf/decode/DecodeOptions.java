package io.tracestream.ctf.decode;

import io.tracestream.ctf.meta.TraceClass;
import java.util.Objects;

/**
 * How {@link TraceDecoder} reads streams and scans packets.
 *
 * @param lenient                       skip a broken packet (reporting it to {@code listener}) instead of failing
 * @param listener                      receives skipped packets in lenient mode (never null)
 * @param checkMagic                    fail on a packet magic number other than 0xc1fc1fc1, like babeltrace2
 * @param checkUuid                     fail on a packet UUID other than the trace's (babeltrace2 does not check)
 * @param lttngCrashQuirk               babeltrace2's lttng-crash quirk: a packet whose {@code timestamp_begin} is not
 *                                      0 and {@code timestamp_end} is 0 keeps the last event time at its end
 * @param lttngEventAfterPacketQuirk    babeltrace2's quirk for LTTng before 2.11: a {@code timestamp_end} smaller
 *                                      than the last event time is ignored
 * @param barectfEventBeforePacketQuirk babeltrace2's quirk for barectf before 2.3.1: the packet beginning message
 *                                      is delayed to the first event, and takes its time when earlier
 */
public record DecodeOptions(boolean lenient, SkipListener listener, boolean checkMagic, boolean checkUuid,
                            boolean lttngCrashQuirk, boolean lttngEventAfterPacketQuirk,
                            boolean barectfEventBeforePacketQuirk) {

    /** Strict, with the magic number check, no UUID check and no tracer quirks: what babeltrace2 does. */
    public static final DecodeOptions DEFAULT =
            new DecodeOptions(false, (f, o, r) -> { }, true, false, false, false, false);

    public DecodeOptions {
        Objects.requireNonNull(listener, "listener");
    }

    /** These options in lenient mode, reporting skipped packets to {@code listener}. */
    public DecodeOptions lenient(SkipListener l) {
        return new DecodeOptions(true, l, checkMagic, checkUuid, lttngCrashQuirk, lttngEventAfterPacketQuirk,
                barectfEventBeforePacketQuirk);
    }

    /** These options with or without the magic number and UUID checks. */
    public DecodeOptions checks(boolean magic, boolean uuid) {
        return new DecodeOptions(lenient, listener, magic, uuid, lttngCrashQuirk, lttngEventAfterPacketQuirk,
                barectfEventBeforePacketQuirk);
    }

    /**
     * These options with the quirks babeltrace2 applies to traces of this tracer, from the environment's
     * {@code tracer_name}, {@code tracer_major}, {@code tracer_minor} and {@code tracer_patch} (or
     * {@code tracer_patchlevel}).
     */
    public DecodeOptions withQuirksFor(TraceClass tc) {
        Object name = tc.environment().get("tracer_name");
        Object major = tc.environment().get("tracer_major");
        if (!(name instanceof String n) || !(major instanceof Long maj)) {
            return this;
        }
        long min = tc.environment().get("tracer_minor") instanceof Long l ? l : 0;
        Object p = tc.environment().get("tracer_patch");
        if (p == null) {
            p = tc.environment().get("tracer_patchlevel");
        }
        long patch = p instanceof Long l ? l : 0;
        boolean lttng = n.equals("lttng-ust") || n.equals("lttng-modules");
        boolean eventAfter = false;
        if (n.equals("lttng-ust")) {
            eventAfter = maj < 2 || (maj == 2 && min < 11);
        } else if (n.equals("lttng-modules")) {
            eventAfter = maj < 2 || (maj == 2 && (min < 9 || (min == 9 && patch < 13) || (min == 10 && patch < 10)));
        }
        boolean barectf = n.equals("barectf") && (maj < 2 || (maj == 2 && (min < 3 || (min == 3 && patch < 1))));
        return new DecodeOptions(lenient, listener, checkMagic, checkUuid, lttng, eventAfter, barectf);
    }
}
