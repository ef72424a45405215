package io.tracestream.ctf.io;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.meta.ClockClass;
import java.math.BigInteger;

/**
 * Ns from origin back to cycles exactly as babeltrace2 2.0 computes them, for trimming bounds (the forward
 * conversion is {@link ClockClass#cyclesToNanosFromOrigin(long)}).
 */
final class BtClock {
    private BtClock() {
    }

    /**
     * Raw clock value at {@code ns} from origin, as babeltrace2's {@code bt_common_clock_value_from_ns_from_origin}
     * computes it (integer arithmetic on the normalized offsets).
     *
     * @throws CtfException when the time is before the clock's origin or out of its range
     */
    static long cyclesFromNs(ClockClass clock, long ns) {
        long freq = clock.frequency();
        long offS = clock.offsetSeconds() + Math.floorDiv(clock.offsetCycles(), freq);
        long offC = Math.floorMod(clock.offsetCycles(), freq);
        try {
            long offsetNs = Math.multiplyExact(offS, 1_000_000_000L);
            long add = freq == 1_000_000_000L ? offC : Math.multiplyExact(offC, 1_000_000_000L) / freq;
            offsetNs = Math.addExact(offsetNs, add);
            if (ns < offsetNs) {
                throw new CtfException("time " + ns + " ns is before the origin of clock '" + clock.name() + "'");
            }
            long value = ns - offsetNs;
            long periods = value / 1_000_000_000L;
            long rem = value - periods * 1_000_000_000L;
            BigInteger raw = BigInteger.valueOf(periods).multiply(BigInteger.valueOf(freq))
                    .add(BigInteger.valueOf(freq).multiply(BigInteger.valueOf(rem))
                            .divide(BigInteger.valueOf(1_000_000_000L)));
            if (raw.bitLength() > 64) {
                throw new ArithmeticException();
            }
            return raw.longValue();
        } catch (ArithmeticException e) {
            throw new CtfException("time " + ns + " ns is out of the range of clock '" + clock.name() + "'");
        }
    }
}
