package io.tracestream.ctf.robust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.testing.SharedTraces;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases the mutation fuzzer found, replayed from their seeds ({@link Mutator#apply}) on the sample trace: each must
 * fail with a one-line {@link CtfException} that starts with the stream file and a byte offset.
 */
class FuzzRegressionTest {
    private static final Pattern FILE_OFFSET = Pattern.compile(": offset \\d+( \\(bit \\d\\))?: [^\\n]+");

    @TempDir
    Path tmp;

    /** Replays a fuzzing seed on a copy of the sample trace and returns the error. */
    private CtfException replay(boolean indexed, long seed, String expectedMutation) {
        Path dir = BrokenTraces.copySample(tmp.resolve("trace"));
        if (!indexed) {
            BrokenTraces.dropIndex(dir);
        }
        return replay(dir, seed, expectedMutation);
    }

    /** Replays a fuzzing seed on the trace directory {@code dir} (a copy) and returns the error. */
    private CtfException replay(Path dir, long seed, String expectedMutation) {
        String what = Mutator.apply(dir, seed);
        assertEquals(expectedMutation, what, "the mutator changed: update the seed");
        CtfException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(CtfException.class,
                () -> MutationFuzzTest.decodeEverything(dir,
                        ReadOptions.defaults().listener(TraceListener.SILENT))));
        String msg = e.getMessage();
        assertTrue(msg.startsWith(dir.toString()), "does not start with a file of the trace: " + msg);
        String rest = msg.substring(msg.indexOf(':', dir.toString().length()));
        assertTrue(FILE_OFFSET.matcher(rest).matches(), "no byte offset after the file name: " + msg);
        return e;
    }

    /** A packet whose times go backwards: the muxer's error must say which file and packet. */
    @Test
    void timeGoingBackwardsNamesTheFileAndOffset() {
        CtfException e = replay(true, 63870697139L, "chan0_0: 2 random bytes spread");
        assertTrue(e.getMessage().contains("chan0_0"), e.getMessage());
    }

    /** Times going backwards at a message that has no packet (here a discarded-events message): same rule. */
    @Test
    void timeGoingBackwardsAtAMessageWithoutPacket() {
        Path from = SharedTraces.path("babeltrace/stable-2.0/ctf-traces/succeed/lttng-crash");
        Path dir = BrokenTraces.copyTree(from, tmp.resolve("lttng-crash"));
        replay(dir, 63871597252L, "chan_0: random 12 bytes at 4165");
    }

    /** An event time whose nanosecond value overflows 64 bits: a CtfException, not an ArithmeticException. */
    @Test
    void clockValueOutOfTheNanosecondRange() {
        replay(true, 63870697361L, "chan0_0: value 0x3fffffff8 (4 bytes) at 114732");
    }
}
