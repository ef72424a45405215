package io.tracestream.ctf.write;

import io.tracestream.ctf.testing.SharedTraces;
import io.tracestream.ctf.testing.TraceCopy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Copies real traces event by event with the project's reader and this writer, keeping their trace class (what
 * {@code tracestream convert} does): babeltrace2 prints the copy exactly as the original.
 */
class CopyTraceTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"tracecompass/context-switches-ust", "tracecompass/debuginfo-test-app4",
        "tracecompass/ctf-sequence-empty", "tracecompass/perf-taskset2",
        "tracecompass/flipping-endianness",
        "babeltrace/stable-2.0/ctf-traces/succeed/meta-variant-two-underscores",
        "babeltrace/stable-2.0/ctf-traces/succeed/meta-variant-reserved-keywords",
        "babeltrace/stable-2.0/ctf-traces/succeed/struct-array-align-elem",
        "babeltrace/stable-2.0/ctf-traces/succeed/no-packet-context",
        "babeltrace/stable-2.0/ctf-traces/succeed/wk-heartbeat-u",
        "babeltrace/stable-2.0/ctf-traces/succeed/succeed1"})
    void babeltracePrintsTheCopyLikeTheOriginal(String name) throws Exception {
        Babeltrace.assume();
        Path src = SharedTraces.path(name);
        Path dst = tmp.resolve("copy");
        TraceCopy.copy(src, dst, 4096);
        String expected = Babeltrace.run(src, "--clock-cycles");
        String got = Babeltrace.run(dst, "--clock-cycles");
        assertEquals(expected.lines().count(), got.lines().count(), name);
        assertEquals(expected, got, name);
    }
}
