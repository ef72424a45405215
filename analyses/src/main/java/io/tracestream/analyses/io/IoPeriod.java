package io.tracestream.analyses.io;

import io.tracestream.analyses.Mergeable;
import io.tracestream.analyses.DurationStats;
import io.tracestream.analyses.kstate.Fd;
import io.tracestream.analyses.kstate.IoRequest;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Everything the I/O analyses keep about one period (lttng-analyses' {@code core.io} period data): per-thread byte
 * counts by file kind and block I/O, per-file-descriptor byte counts with open/close times, per-disk and per-interface
 * totals, latency statistics per system call category and the top-N slowest calls of each. Constant memory per
 * thread, file descriptor, disk and interface; the latency data is aggregated (no per-request lists).
 */
final class IoPeriod implements Mergeable<IoPeriod> {
    private static final long serialVersionUID = 1L;

    /** System call categories of the latency tables, in output order. */
    enum Category {
        OPEN("Open", "open"), READ("Read", "read"), WRITE("Write", "write"), SYNC("Sync", "sync");

        final String statsName;
        final String topName;

        Category(String statsName, String topName) {
            this.statsName = statsName;
            this.topName = topName;
        }

        boolean includes(IoRequest.Op op) {
            switch (this) {
                case OPEN: return IoRequest.Op.OPEN.matches(op);
                case READ: return IoRequest.Op.READ.matches(op);
                case WRITE: return IoRequest.Op.WRITE.matches(op);
                default: return IoRequest.Op.SYNC.matches(op);
            }
        }
    }

    /** Read and written bytes. */
    static final class Bytes implements Serializable {
        private static final long serialVersionUID = 1L;
        long read;
        long write;

        void add(Bytes o) {
            read += o.read;
            write += o.write;
        }
    }

    /** One open file descriptor's life in the period (lttng-analyses' FDStats). */
    static final class FdIo implements Serializable {
        private static final long serialVersionUID = 1L;
        final long fd;
        String filename;
        final Fd.Type type;
        final long openTs;
        Long closeTs;
        final Bytes io = new Bytes();

        FdIo(Fd f, long openTs) {
            this.fd = f.fd;
            this.filename = f.filename;
            this.type = f.type;
            this.openTs = openTs;
        }
    }

    /** One thread (or process owning file descriptors) in the period (lttng-analyses' ProcessIOStats). */
    static final class ProcIo implements Serializable {
        private static final long serialVersionUID = 1L;
        Long pid;
        final long tid;
        String comm;
        /** Order of first appearance in the period (Python dict order: ties in sorts keep it). */
        final int order;
        final Bytes disk = new Bytes();
        final Bytes net = new Bytes();
        final Bytes unknown = new Bytes();
        final Bytes block = new Bytes();
        final Map<Long, List<FdIo>> fds = new LinkedHashMap<>();

        ProcIo(Long pid, long tid, String comm, int order) {
            this.pid = pid;
            this.tid = tid;
            this.comm = comm;
            this.order = order;
        }

        long totalRead() {
            return disk.read + net.read + unknown.read;
        }

        long totalWrite() {
            return disk.write + net.write + unknown.write;
        }

        /** The open descriptor {@code fd} (last one, if not closed), or null. */
        FdIo currentFd(Long fd) {
            if (fd == null) {
                return null;
            }
            List<FdIo> l = fds.get(fd);
            if (l == null || l.isEmpty()) {
                return null;
            }
            FdIo f = l.get(l.size() - 1);
            return f.closeTs == null ? f : null;
        }

        /** lttng-analyses' {@code _get_fd_by_timestamp}: its binary search over open/close times, quirks included. */
        FdIo fdAt(long fd, long ts) {
            List<FdIo> l = fds.get(fd);
            if (l == null || l.isEmpty()) {
                return null;
            }
            int lo = 0;
            int hi = l.size();
            while (hi - lo > 0) {
                int mid = lo + (hi - lo) / 2;
                FdIo f = l.get(mid);
                if (f.closeTs == null) {
                    return ts >= f.openTs ? f : null;
                }
                if (f.openTs <= ts && ts <= f.closeTs) {
                    return f;
                }
                if (ts < f.openTs) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            return null;
        }

        void addRead(long size, Fd.Type t) {
            (t == Fd.Type.DISK ? disk : (t == Fd.Type.NET || t == Fd.Type.MAYBE_NET) ? net : unknown).read += size;
        }

        void addWrite(long size, Fd.Type t) {
            (t == Fd.Type.DISK ? disk : (t == Fd.Type.NET || t == Fd.Type.MAYBE_NET) ? net : unknown).write += size;
        }
    }

    /** A block device in the period (lttng-analyses' DiskStats). */
    static final class DiskIo implements Serializable {
        private static final long serialVersionUID = 1L;
        final long dev;
        String name;
        long requests;
        long sectors;
        long totalDuration;
        /** Durations that pass the latency filter. */
        final DurationStats latency = new DurationStats();

        DiskIo(long dev, String name) {
            this.dev = dev;
            this.name = name;
        }
    }

    /** A network interface in the period. */
    static final class IfaceIo implements Serializable {
        private static final long serialVersionUID = 1L;
        final String name;
        long recvBytes;
        long recvPackets;
        long sentBytes;
        long sentPackets;

        IfaceIo(String name) {
            this.name = name;
        }
    }

    /** A finished system call I/O request kept for a top table. */
    record Slow(IoRequest rq, ProcIo proc, long seq) implements Serializable {
    }

    /**
     * Output order of a top table, as Python's stable {@code sorted(reverse=True)} by duration over the requests in
     * thread-then-call order gives it: longest first, then first thread seen, then first call.
     */
    static final class SlowestFirst implements Comparator<Slow>, Serializable {
        private static final long serialVersionUID = 1L;
        private final int sign;

        SlowestFirst(int sign) {
            this.sign = sign;
        }

        @Override
        public int compare(Slow a, Slow b) {
            int c = Long.compare(b.rq().duration, a.rq().duration);
            if (c == 0) {
                c = Integer.compare(a.proc().order, b.proc().order);
            }
            if (c == 0) {
                c = Long.compare(a.seq(), b.seq());
            }
            return sign * c;
        }
    }

    static final Comparator<Slow> SLOWEST_FIRST = new SlowestFirst(1);

    final Map<Long, ProcIo> procs = new LinkedHashMap<>();
    final Map<Long, DiskIo> disks = new LinkedHashMap<>();
    final Map<String, IfaceIo> ifaces = new LinkedHashMap<>();
    final DurationStats[] latency = new DurationStats[Category.values().length];
    final List<PriorityQueue<Slow>> top = new ArrayList<>();
    /** Rows kept per top table (0: all). */
    final int limit;
    long seq;

    IoPeriod(int limit) {
        this.limit = limit;
        for (int i = 0; i < latency.length; i++) {
            latency[i] = new DurationStats();
            top.add(new PriorityQueue<>(new SlowestFirst(-1))); // head: the first to drop
        }
    }

    ProcIo proc(Long pid, long tid, String comm) {
        ProcIo p = procs.get(tid);
        if (p == null) {
            p = new ProcIo(pid, tid, comm, procs.size());
            procs.put(tid, p);
        }
        return p;
    }

    /** Records a finished request in the latency statistics and top tables of its categories. */
    void record(IoRequest rq, ProcIo proc, boolean acceptedDuration) {
        if (!acceptedDuration) {
            return;
        }
        long s = seq++;
        for (Category c : Category.values()) {
            if (!c.includes(rq.op)) {
                continue;
            }
            latency[c.ordinal()].add(rq.duration);
            PriorityQueue<Slow> q = top.get(c.ordinal());
            q.add(new Slow(rq, proc, s));
            if (limit > 0 && q.size() > limit) {
                q.poll();
            }
        }
    }

    /** The kept requests of a category, slowest first. */
    List<Slow> slowest(Category c) {
        List<Slow> l = new ArrayList<>(top.get(c.ordinal()));
        l.sort(SLOWEST_FIRST);
        return l;
    }

    @Override
    public IoPeriod merge(IoPeriod o) {
        // partitions of a time-ordered pass never overlap in a period; combine what is additive
        for (ProcIo p : o.procs.values()) {
            ProcIo mine = procs.get(p.tid);
            if (mine == null) {
                procs.put(p.tid, p);
                continue;
            }
            mine.disk.add(p.disk);
            mine.net.add(p.net);
            mine.unknown.add(p.unknown);
            mine.block.add(p.block);
            p.fds.forEach((fd, l) -> mine.fds.computeIfAbsent(fd, k -> new ArrayList<>()).addAll(l));
        }
        for (DiskIo d : o.disks.values()) {
            DiskIo mine = disks.get(d.dev);
            if (mine == null) {
                disks.put(d.dev, d);
                continue;
            }
            mine.requests += d.requests;
            mine.sectors += d.sectors;
            mine.totalDuration += d.totalDuration;
            mine.latency.merge(d.latency);
        }
        for (IfaceIo i : o.ifaces.values()) {
            IfaceIo mine = ifaces.computeIfAbsent(i.name, IfaceIo::new);
            mine.recvBytes += i.recvBytes;
            mine.recvPackets += i.recvPackets;
            mine.sentBytes += i.sentBytes;
            mine.sentPackets += i.sentPackets;
        }
        for (int c = 0; c < latency.length; c++) {
            latency[c].merge(o.latency[c]);
            PriorityQueue<Slow> q = top.get(c);
            for (Slow s : o.top.get(c)) {
                q.add(s);
                if (limit > 0 && q.size() > limit) {
                    q.poll();
                }
            }
        }
        return this;
    }
}
