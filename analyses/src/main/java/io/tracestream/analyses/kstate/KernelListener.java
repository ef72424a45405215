package io.tracestream.analyses.kstate;

/**
 * Notifications of {@link KernelState}, the same as lttng-analyses' state notifications, in the same order. All
 * methods do nothing by default; an analysis overrides those it needs.
 */
public interface KernelListener {
    /** A system call ended; {@code proc.currentSyscall} is the finished call. */
    default void syscallExit(Proc proc, SyscallEvent call, int cpu) {
    }

    /** An I/O system call ended. {@code parent} is the process owning the thread's file descriptors. */
    default void ioRequestExit(IoRequest rq, Proc proc, Proc parent, int cpu) {
    }

    /** A file descriptor appeared in {@code owner} (open, dup, fork, statedump, first use). */
    default void fdCreated(long fd, Proc owner, long ts, int cpu) {
    }

    /** A file descriptor was closed (close, dup2 over it, exec with close-on-exec). */
    default void fdClosed(long fd, Proc owner, long ts, int cpu) {
    }

    /** A file descriptor's file name changed (statedump, connect). */
    default void fdUpdated(long fd, Proc owner, long ts, int cpu) {
    }

    /** The statedump told that {@code proc} is a thread of {@code parent}. */
    default void parentProcCreated(Proc proc, Proc parent) {
    }

    /** The statedump named a block device. */
    default void blockDeviceNamed(long dev, String name) {
    }

    /** A block request completed; {@code proc} is its issuer when known, else null. */
    default void blockRequestComplete(BlockRequest rq, Proc proc, int cpu, Disk disk) {
    }

    /** A network packet was sent. */
    default void netDevXmit(String iface, long bytes, int cpu) {
    }

    /** A network packet was received. */
    default void netifReceiveSkb(String iface, long bytes, int cpu) {
    }

    /** A page was allocated while {@code proc} ran. */
    default void pageAlloc(Proc proc, int cpu) {
    }

    /** A page was freed while {@code proc} ran. */
    default void pageFree(Proc proc, int cpu) {
    }
}
