package io.tracestream.analyses.kstate;

/** A block-layer request, from {@code block_rq_issue} to the matching {@code block_rq_complete}. */
public final class BlockRequest implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Logical sector size in bytes. */
    public static final int SECTOR_SIZE = 512;

    public final long beginTs;
    public long endTs;
    public long duration;
    /** Bytes: sectors times 512. */
    public final long size;
    /** The thread that issued it ({@code tid} field of {@code block_rq_issue}). */
    public final long tid;
    /** Read (even {@code rwbs}) or write (odd). */
    public final boolean write;
    public final long dev;
    public final long sector;
    public final long nrSector;

    BlockRequest(long beginTs, long tid, boolean write, long dev, long sector, long nrSector) {
        this.beginTs = beginTs;
        this.tid = tid;
        this.write = write;
        this.dev = dev;
        this.sector = sector;
        this.nrSector = nrSector;
        this.size = nrSector * SECTOR_SIZE;
    }
}
