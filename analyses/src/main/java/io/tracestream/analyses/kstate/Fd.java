package io.tracestream.analyses.kstate;

/** An open file descriptor of a process: number, file name, kind (disk, network, unknown). */
public final class Fd implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    /** The kind of file behind a descriptor, as lttng-analyses classifies it. */
    public enum Type {
        UNKNOWN, DISK, NET,
        /** Assumed network: a packet was sent during a write on it. */
        MAYBE_NET
    }

    public final long fd;
    public String filename;
    public Type type;
    public boolean cloexec;
    public Long family;

    public Fd(long fd, String filename, Type type, boolean cloexec, Long family) {
        this.fd = fd;
        this.filename = filename;
        this.type = type;
        this.cloexec = cloexec;
        this.family = family;
    }

    Fd copy() {
        return new Fd(fd, filename, type, cloexec, family);
    }
}
