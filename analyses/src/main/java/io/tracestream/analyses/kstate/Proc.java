package io.tracestream.analyses.kstate;

import java.util.LinkedHashMap;
import java.util.Map;

/** A thread as lttng-analyses' state automaton knows it: tid, pid (null when unknown), name, open files. */
public final class Proc implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** Thread id. */
    public final long tid;
    /** Process id (thread group), or null when not known yet. */
    public Long pid;
    /** Command name, {@code ""} when not known yet. */
    public String comm;
    /** Open file descriptors, by number; for a thread they are normally held by its process ({@link #pid}). */
    public final Map<Long, Fd> fds = new LinkedHashMap<>();
    /** The system call in progress, or null. */
    public SyscallEvent currentSyscall;
    /** The thread that ran on the CPU before this one was switched in, or null. */
    public Long prevTid;

    public Proc(long tid, Long pid, String comm) {
        this.tid = tid;
        this.pid = pid;
        this.comm = comm == null ? "" : comm;
    }

    @Override
    public String toString() {
        return comm + " (" + (pid == null ? "?" : pid) + ", TID: " + tid + ")";
    }
}
