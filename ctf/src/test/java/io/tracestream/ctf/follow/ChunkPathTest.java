package io.tracestream.ctf.follow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Keys of trace directories in the layouts LTTng session rotation produces (seen with lttng 2.13 here). */
class ChunkPathTest {
    private static final Path ROOT = Path.of("/s");

    @Test
    void chunkZeroKeepsItsKeyWhenArchived() {
        assertEquals(new ChunkPath.Located("ust/uid/0/64-bit", 0, false),
                ChunkPath.locate(ROOT, ROOT.resolve("ust/uid/0/64-bit")));
        assertEquals(new ChunkPath.Located("ust/uid/0/64-bit", 0, false),
                ChunkPath.locate(ROOT, ROOT.resolve(".tmp_old_chunk/ust/uid/0/64-bit")));
        assertEquals(new ChunkPath.Located("ust/uid/0/64-bit", 0, true), ChunkPath.locate(ROOT,
                ROOT.resolve("archives/20261125T153115+0000-20261125T153124+0000-0/ust/uid/0/64-bit")));
    }

    @Test
    void laterChunksAreNumbered() {
        assertEquals(new ChunkPath.Located("#3/ust/uid/0/64-bit", 3, false),
                ChunkPath.locate(ROOT, ROOT.resolve("20261125T153131+0000-3/ust/uid/0/64-bit")));
        assertEquals(new ChunkPath.Located("#3/ust/uid/0/64-bit", 3, true), ChunkPath.locate(ROOT,
                ROOT.resolve("archives/20261125T153131+0000-20261125T153132+0000-3/ust/uid/0/64-bit")));
    }

    @Test
    void sessionsBelowTheRootKeepTheirPrefix() {
        assertEquals("host-a/s1/#2/ust/uid/0/64-bit", ChunkPath.locate(ROOT, ROOT.resolve(
                "host-a/s1/archives/20261125T153131+0000-20261125T153132+0000-2/ust/uid/0/64-bit")).key());
        assertEquals("host-a/s1/#2/ust/uid/0/64-bit", ChunkPath.locate(ROOT, ROOT.resolve(
                "host-a/s1/20261125T153131+0000-2/ust/uid/0/64-bit")).key());
        assertEquals("plain", ChunkPath.locate(ROOT, ROOT.resolve("plain")).key());
        assertEquals("", ChunkPath.locate(ROOT, ROOT).key());
    }
}
