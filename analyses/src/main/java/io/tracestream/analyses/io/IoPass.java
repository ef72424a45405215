package io.tracestream.analyses.io;

import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.Emitter;
import io.tracestream.analyses.kstate.BlockRequest;
import io.tracestream.analyses.kstate.Disk;
import io.tracestream.analyses.kstate.Fd;
import io.tracestream.analyses.kstate.IoRequest;
import io.tracestream.analyses.kstate.LttngPass;
import io.tracestream.analyses.kstate.Proc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The pass of the I/O analyses: lttng-analyses' {@code core.io.IoAnalysis} notification handlers, rule for rule. A
 * read or write counts as disk, network or unknown I/O by the kind of its file descriptor when the descriptor was
 * opened (or first seen) in the period; requests on descriptors the period has not seen are left out of the byte
 * counts and latencies (as lttng-analyses does).
 */
final class IoPass extends LttngPass {
    private static final long serialVersionUID = 1L;
    /** Key of the single partial a period emits. */
    static final String KEY = "io";

    private IoPeriod period;

    IoPass(AnalysisConfig config) {
        super(config);
        period = new IoPeriod(config.top());
    }

    private IoPeriod.ProcIo stats(Proc p) {
        return period.proc(p.pid, p.tid, p.comm);
    }

    @Override
    public void ioRequestExit(IoRequest rq, Proc proc, Proc parent, int cpu) {
        if (!acceptThread(proc.tid, proc.comm)) { // --tid/--procname (an extension: lttng-analyses has none here)
            return;
        }
        IoPeriod.ProcIo ps = stats(proc);
        IoPeriod.ProcIo pps = stats(parent);
        Fd.Type type = null;
        Fd.Type inType = null;
        Fd.Type outType = null;
        if (rq.errno == null) {
            if (rq.op == IoRequest.Op.READ || rq.op == IoRequest.Op.WRITE) {
                IoPeriod.FdIo f = pps.currentFd(rq.fd);
                if (f == null) {
                    return;
                }
                type = f.type;
            } else if (rq.op == IoRequest.Op.READ_WRITE) {
                IoPeriod.FdIo in = pps.currentFd(rq.fdIn);
                IoPeriod.FdIo out = pps.currentFd(rq.fdOut);
                if (in == null || out == null) {
                    return;
                }
                inType = in.type;
                outType = out.type;
            }
        }
        // update_io_stats: the request counts in the latencies, its bytes by descriptor kind
        period.record(rq, ps, config.acceptDuration(rq.duration));
        if (config.acceptDuration(rq.duration)) {
            for (IoPeriod.Category c : IoPeriod.Category.values()) {
                if (c.includes(rq.op)) {
                    sample("I/O system call latency", c.statsName, rq.duration);
                }
            }
        }
        if (rq.size != null && rq.errno == null) {
            if (rq.op == IoRequest.Op.READ) {
                ps.addRead(rq.returnedSize, type);
            } else if (rq.op == IoRequest.Op.WRITE) {
                ps.addWrite(rq.returnedSize, type);
            } else if (rq.op == IoRequest.Op.READ_WRITE) {
                ps.addRead(rq.returnedSize, inType);
                ps.addWrite(rq.returnedSize, outType);
            }
        }
        // update_fd_stats (splice/sendfile have no single fd: never counted per file, as in lttng-analyses)
        if (rq.errno == null) {
            IoPeriod.FdIo f = pps.currentFd(rq.fd);
            if (f != null) {
                if (rq.op == IoRequest.Op.READ) {
                    f.io.read += rq.returnedSize;
                } else if (rq.op == IoRequest.Op.WRITE) {
                    f.io.write += rq.returnedSize;
                }
            }
        }
        ps.comm = proc.comm;
        pps.comm = parent.comm;
    }

    @Override
    public void blockRequestComplete(BlockRequest rq, Proc proc, int cpu, Disk disk) {
        IoPeriod.DiskIo d = period.disks.get(disk.dev);
        if (d == null) {
            d = new IoPeriod.DiskIo(disk.dev, disk.name != null ? disk.name : Disk.devName(disk.dev));
            period.disks.put(disk.dev, d);
        }
        d.requests++;
        d.sectors += rq.nrSector;
        d.totalDuration += rq.duration;
        if (config.acceptDuration(rq.duration)) {
            d.latency.add(rq.duration);
            sample("Block I/O latency", d.name, rq.duration);
        }
        if (proc != null && acceptThread(proc.tid, proc.comm)) {
            IoPeriod.ProcIo ps = stats(proc);
            if (rq.write) {
                ps.block.write += rq.size;
            } else {
                ps.block.read += rq.size;
            }
        }
    }

    @Override
    public void blockDeviceNamed(long dev, String name) {
        IoPeriod.DiskIo d = period.disks.get(dev);
        if (d == null) {
            period.disks.put(dev, new IoPeriod.DiskIo(dev, name != null ? name : Disk.devName(dev)));
        } else {
            d.name = name;
        }
    }

    @Override
    public void netDevXmit(String iface, long bytes, int cpu) {
        IoPeriod.IfaceIo i = period.ifaces.computeIfAbsent(iface, IoPeriod.IfaceIo::new);
        i.sentPackets++;
        i.sentBytes += bytes;
    }

    @Override
    public void netifReceiveSkb(String iface, long bytes, int cpu) {
        IoPeriod.IfaceIo i = period.ifaces.computeIfAbsent(iface, IoPeriod.IfaceIo::new);
        i.recvPackets++;
        i.recvBytes += bytes;
    }

    @Override
    public void fdCreated(long fd, Proc owner, long ts, int cpu) {
        IoPeriod.ProcIo ps = stats(owner);
        Fd f = owner.fds.get(fd);
        if (f == null) {
            return;
        }
        ps.fds.computeIfAbsent(fd, k -> new ArrayList<>()).add(new IoPeriod.FdIo(f, ts));
    }

    @Override
    public void fdClosed(long fd, Proc owner, long ts, int cpu) {
        IoPeriod.ProcIo ps = period.procs.get(owner.tid);
        if (ps == null) {
            return;
        }
        IoPeriod.FdIo f = ps.currentFd(fd);
        if (f != null) {
            f.closeTs = ts;
        }
    }

    @Override
    public void fdUpdated(long fd, Proc owner, long ts, int cpu) {
        Fd f = owner.fds.get(fd);
        if (f == null) {
            return;
        }
        IoPeriod.ProcIo ps = stats(owner);
        List<IoPeriod.FdIo> l = ps.fds.get(fd);
        if (l == null) {
            l = new ArrayList<>();
            l.add(new IoPeriod.FdIo(f, ts));
            ps.fds.put(fd, l);
        }
        l.get(l.size() - 1).filename = f.filename;
    }

    @Override
    public void parentProcCreated(Proc proc, Proc parent) {
        IoPeriod.ProcIo ps = stats(proc);
        IoPeriod.ProcIo pps = stats(parent);
        ps.pid = pps.tid;
        for (Iterator<Map.Entry<Long, List<IoPeriod.FdIo>>> it = ps.fds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, List<IoPeriod.FdIo>> e = it.next();
            if (!pps.fds.containsKey(e.getKey())) {
                pps.fds.put(e.getKey(), e.getValue());
            } else {
                IoPeriod.FdIo mine = pps.currentFd(e.getKey());
                IoPeriod.FdIo theirs = ps.currentFd(e.getKey());
                if (mine != null && theirs != null && (mine.filename == null || mine.filename.isEmpty())) {
                    mine.filename = theirs.filename;
                }
            }
            it.remove();
        }
    }

    @Override
    public void endPeriod(long ts, Emitter out) {
        out.emit(KEY, period);
        period = new IoPeriod(config.top());
    }
}
