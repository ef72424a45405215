package io.tracestream.analyses.kstate;

/**
 * An I/O request made by a system call (open, close, read/write, sync) as lttng-analyses models it. The size is what
 * the call returned (lttng-analyses never uses the size requested at entry).
 */
public final class IoRequest implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** What the request does. */
    public enum Op {
        OPEN, READ, WRITE, CLOSE, SYNC,
        /** Both read and write (splice, sendfile64). */
        READ_WRITE;

        /** lttng-analyses' {@code is_equivalent_operation}: READ_WRITE counts as a read and as a write. */
        public boolean matches(Op other) {
            switch (this) {
                case READ_WRITE:
                    return other == READ || other == WRITE || other == READ_WRITE;
                case READ:
                    return other == READ || other == READ_WRITE;
                case WRITE:
                    return other == WRITE || other == READ_WRITE;
                default:
                    return this == other;
            }
        }
    }

    /** The request's class in lttng-analyses (decides how its exit and file descriptors are handled). */
    public enum Kind { OPEN, CLOSE, READ_WRITE, SYNC }

    public final Kind kind;
    public final Op op;
    public final long beginTs;
    public long endTs;
    public long duration;
    /** Bytes transferred, or null (not an I/O of bytes, or failed). */
    public Long size;
    /** The thread that made the request. */
    public final long tid;
    /** errno when the call failed, else null. */
    public Long errno;
    public Long fd;
    public final String syscallName;
    // open requests
    public String filename;
    public Fd.Type fdType = Fd.Type.UNKNOWN;
    public Long family;
    public boolean cloexec;
    // read/write requests
    public Long returnedSize;
    public Long fdIn;
    public Long fdOut;

    IoRequest(Kind kind, Op op, long beginTs, long tid, String syscallName) {
        this.kind = kind;
        this.op = op;
        this.beginTs = beginTs;
        this.tid = tid;
        this.syscallName = syscallName;
    }

    void updateFromExit(long ts, long ret) {
        endTs = ts;
        duration = endTs - beginTs;
        if (ret < 0) {
            errno = -ret;
        }
        if (kind == Kind.OPEN && ret >= 0) {
            fd = ret;
        }
        if (kind == Kind.READ_WRITE && ret >= 0) {
            returnedSize = ret;
            if (size == null) {
                size = ret;
            }
        }
    }
}
