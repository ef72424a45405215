package io.tracestream.spark.live;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.decode.PacketIndexEntry;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The spill's write path when Spark stops a query: an interruption Spark recognises, not a source failure. */
class PacketSpillTest {
    @Test
    void interruptedWriteIsAnInterruption(@TempDir Path dir) {
        try (PacketSpill spill = new PacketSpill(dir.resolve("spill"), true)) {
            write(spill);
        }
    }

    private static void write(PacketSpill spill) {
        Path trace = spill.traceDir("t");
        byte[] packet = new byte[4096];
        PacketIndexEntry e = new PacketIndexEntry(null, 0, packet.length * 8L, packet.length * 8L, 0, 1, 0, 0, 0, 0);
        spill.add("s", trace, "t", "h", 0, e, packet); // a first packet opens the segment
        Thread.currentThread().interrupt(); // what StreamingQuery.stop() does to the query's thread
        try {
            UncheckedIOException ex = assertThrows(UncheckedIOException.class,
                    () -> spill.add("s", trace, "t", "h", 1, e, packet));
            // Spark's StreamExecution.isInterruptionException looks through UncheckedIOException to this cause
            assertInstanceOf(ClosedByInterruptException.class, ex.getCause());
            assertTrue(ex.getMessage().contains("the query is stopping"), ex.getMessage());
        } finally {
            Thread.interrupted();
        }
        assertTrue(Files.isDirectory(trace));
    }
}
