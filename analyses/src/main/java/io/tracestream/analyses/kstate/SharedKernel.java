package io.tracestream.analyses.kstate;

import io.tracestream.ctf.EventRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * One {@link KernelState} shared by all the {@link LttngPass}es of a partition (kept in the task's
 * {@link io.tracestream.analyses.SharedModels}): the model processes each event once and forwards every notification
 * to each pass, in the order the passes attached. The passes only read the objects they are notified with, so one
 * model serves them all exactly as one model per pass would. Serialized with the task (passes included), so the
 * passes still share it after a split boundary.
 */
final class SharedKernel implements KernelListener, java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final KernelState kernel = new KernelState();
    private final List<LttngPass> passes = new ArrayList<>();

    void add(LttngPass p) {
        passes.add(p);
    }

    /** Whether {@code p} is the pass that feeds the model (the first attached); the others only listen. */
    boolean feeder(LttngPass p) {
        return passes.get(0) == p;
    }

    /** Updates the model with {@code e}, notifying the passes when {@code notify}. */
    void process(EventRecord e, boolean notify) {
        kernel.listener(!notify ? null : passes.size() == 1 ? passes.get(0) : this);
        kernel.process(e);
    }

    @Override
    public void syscallExit(Proc proc, SyscallEvent call, int cpu) {
        for (LttngPass p : passes) {
            p.syscallExit(proc, call, cpu);
        }
    }

    @Override
    public void ioRequestExit(IoRequest rq, Proc proc, Proc parent, int cpu) {
        for (LttngPass p : passes) {
            p.ioRequestExit(rq, proc, parent, cpu);
        }
    }

    @Override
    public void fdCreated(long fd, Proc owner, long ts, int cpu) {
        for (LttngPass p : passes) {
            p.fdCreated(fd, owner, ts, cpu);
        }
    }

    @Override
    public void fdClosed(long fd, Proc owner, long ts, int cpu) {
        for (LttngPass p : passes) {
            p.fdClosed(fd, owner, ts, cpu);
        }
    }

    @Override
    public void fdUpdated(long fd, Proc owner, long ts, int cpu) {
        for (LttngPass p : passes) {
            p.fdUpdated(fd, owner, ts, cpu);
        }
    }

    @Override
    public void parentProcCreated(Proc proc, Proc parent) {
        for (LttngPass p : passes) {
            p.parentProcCreated(proc, parent);
        }
    }

    @Override
    public void blockDeviceNamed(long dev, String name) {
        for (LttngPass p : passes) {
            p.blockDeviceNamed(dev, name);
        }
    }

    @Override
    public void blockRequestComplete(BlockRequest rq, Proc proc, int cpu, Disk disk) {
        for (LttngPass p : passes) {
            p.blockRequestComplete(rq, proc, cpu, disk);
        }
    }

    @Override
    public void netDevXmit(String iface, long bytes, int cpu) {
        for (LttngPass p : passes) {
            p.netDevXmit(iface, bytes, cpu);
        }
    }

    @Override
    public void netifReceiveSkb(String iface, long bytes, int cpu) {
        for (LttngPass p : passes) {
            p.netifReceiveSkb(iface, bytes, cpu);
        }
    }

    @Override
    public void pageAlloc(Proc proc, int cpu) {
        for (LttngPass p : passes) {
            p.pageAlloc(proc, cpu);
        }
    }

    @Override
    public void pageFree(Proc proc, int cpu) {
        for (LttngPass p : passes) {
            p.pageFree(proc, cpu);
        }
    }
}
