package io.tracestream.analyses.kstate;

/** One system call of a thread, from its entry to its exit. */
public final class SyscallEvent implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Name without the {@code sys_}/{@code syscall_entry_} prefix. */
    public final String name;
    public final long beginTs;
    public long endTs;
    /** The {@code ret} field of the exit event, or null when it has none. */
    public Long ret;
    public long duration;
    /** The I/O request this call makes (I/O system calls only), or null. */
    public IoRequest ioRq;

    SyscallEvent(String name, long beginTs) {
        this.name = name;
        this.beginTs = beginTs;
    }
}
