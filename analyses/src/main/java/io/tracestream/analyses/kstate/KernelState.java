package io.tracestream.analyses.kstate;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.meta.EventClass;
import io.tracestream.ctf.meta.StreamClass;
import io.tracestream.ctf.meta.StructClass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Linux kernel state that lttng-analyses 0.6.1 tracks while reading a kernel trace (its {@code linuxautomaton}),
 * reproduced rule for rule so that analyses built on it give the same numbers: the current thread of each CPU (from
 * {@code sched_switch}), threads and their names and pids (switch, fork, exec, migrate, wakeup, statedump), system
 * calls in progress (both naming schemes: {@code syscall_entry_*}/{@code syscall_exit_*} and
 * {@code sys_*}/{@code exit_syscall}), file descriptors per process (open, socket, dup/dup2/dup3/fcntl, close, fork,
 * exec with close-on-exec, statedump, connect), I/O requests, block requests matched issue-to-complete (with remaps),
 * network packets, and page allocations.
 *
 * <p>Feed every event of the trace in time order to {@link #process(EventRecord)}, from the start (state before a
 * {@code --begin} matters). Notifications go to the {@link #listener(KernelListener) listener}, if any. Not
 * thread-safe.
 */
public final class KernelState implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private static final long O_CLOEXEC = 0x80000; // x86-64, the value lttng-analyses uses on the host
    private static final long AF_INET = 2;

    private static final Set<String> DISK_OPEN = Set.of("open", "openat");
    private static final Set<String> DUP_OPEN = Set.of("fcntl", "dup", "dup2", "dup3");
    private static final Set<String> SYNC = Set.of("sync", "sync_file_range", "fsync", "fdatasync");
    private static final Set<String> READ = Set.of("read", "recvmsg", "recvfrom", "readv", "pread", "pread64",
            "preadv");
    private static final Set<String> WRITE = Set.of("write", "sendmsg", "sendto", "writev", "pwrite", "pwrite64",
            "pwritev");
    private static final Set<String> READ_WRITE = Set.of("splice", "sendfile64");

    /** Whether lttng-analyses treats a system call (name without prefix) as an I/O system call. */
    public static boolean isIoSyscall(String name) {
        return DISK_OPEN.contains(name) || name.equals("socket") || DUP_OPEN.contains(name) || name.equals("close")
                || READ.contains(name) || WRITE.contains(name) || SYNC.contains(name) || READ_WRITE.contains(name);
    }

    private static boolean isWriteSyscall(String name) {
        return WRITE.contains(name);
    }

    // event kinds
    private static final int K_OTHER = 0;
    private static final int K_SWITCH = 1;
    private static final int K_MIGRATE = 2;
    private static final int K_WAKEUP = 3;
    private static final int K_FORK = 4;
    private static final int K_EXEC = 5;
    private static final int K_PAGE_ALLOC = 6;
    private static final int K_PAGE_FREE = 7;
    private static final int K_SYSCALL_ENTRY = 8;
    private static final int K_SYSCALL_EXIT = 9;
    private static final int K_STATEDUMP_PROCESS = 10;
    private static final int K_STATEDUMP_FD = 11;
    private static final int K_STATEDUMP_BLOCK = 12;
    private static final int K_BLOCK_COMPLETE = 13;
    private static final int K_BLOCK_ISSUE = 14;
    private static final int K_BLOCK_REMAP = 15;
    private static final int K_BLOCK_BACKMERGE = 16;
    private static final int K_NET_XMIT = 17;
    private static final int K_NET_RECEIVE = 18;

    /** What the automaton needs to know about one event class, computed once. */
    private static final class ClassInfo {
        final int kind;
        final String syscallName; // entries: name without prefix
        final boolean connect;     // syscall_entry_connect: the I/O provider handles it as connect, not as entry
        final boolean cpuInEvent;  // cpu_id is an event field (else the packet context's)
        final boolean contextPid;  // pid in the common context and not in the payload
        final boolean procname;

        ClassInfo(EventClass ec) {
            String n = ec.name();
            this.kind = kindOf(n);
            this.connect = n.equals("syscall_entry_connect");
            this.syscallName = kind == K_SYSCALL_ENTRY
                    ? (n.startsWith("sys_") ? n.substring(4) : n.substring("syscall_entry_".length())) : null;
            this.cpuInEvent = has(ec.payload(), "cpu_id") || has(ec.specificContext(), "cpu_id")
                    || has(common(ec), "cpu_id");
            this.contextPid = has(common(ec), "pid") && !has(ec.payload(), "pid");
            this.procname = has(ec.payload(), "procname") || has(ec.specificContext(), "procname")
                    || has(common(ec), "procname");
        }

        private static StructClass common(EventClass ec) {
            StreamClass sc = ec.streamClass();
            return sc == null ? null : sc.eventCommonContext();
        }

        private static boolean has(StructClass s, String name) {
            return s != null && s.indexOf(name) >= 0;
        }

        private static int kindOf(String n) {
            switch (n) {
                case "sched_switch": return K_SWITCH;
                case "sched_migrate_task": return K_MIGRATE;
                case "sched_wakeup": case "sched_wakeup_new": case "sched_waking": return K_WAKEUP;
                case "sched_process_fork": return K_FORK;
                case "sched_process_exec": return K_EXEC;
                case "mm_page_alloc": case "kmem_mm_page_alloc": return K_PAGE_ALLOC;
                case "mm_page_free": case "kmem_mm_page_free": return K_PAGE_FREE;
                case "lttng_statedump_process_state": return K_STATEDUMP_PROCESS;
                case "lttng_statedump_file_descriptor": return K_STATEDUMP_FD;
                case "lttng_statedump_block_device": return K_STATEDUMP_BLOCK;
                case "block_rq_complete": return K_BLOCK_COMPLETE;
                case "block_rq_issue": return K_BLOCK_ISSUE;
                case "block_bio_remap": return K_BLOCK_REMAP;
                case "block_bio_backmerge": return K_BLOCK_BACKMERGE;
                case "net_dev_xmit": return K_NET_XMIT;
                case "netif_receive_skb": return K_NET_RECEIVE;
                default:
                    if (n.startsWith("sys_") || n.startsWith("syscall_entry_")) {
                        return K_SYSCALL_ENTRY;
                    }
                    if (n.startsWith("exit_syscall") || n.startsWith("syscall_exit_")) {
                        return K_SYSCALL_EXIT;
                    }
                    return K_OTHER;
            }
        }
    }

    private static final class Remap implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        long dev;
        long sector;
        final long oldDev;
        final long oldSector;

        Remap(long dev, long sector, long oldDev, long oldSector) {
            this.dev = dev;
            this.sector = sector;
            this.oldDev = oldDev;
            this.oldSector = oldSector;
        }
    }

    private static final KernelListener NONE = new KernelListener() {
    };

    private transient Map<EventClass, ClassInfo> classes = new IdentityHashMap<>();
    /** Current thread per CPU; absent or null = idle/unknown (lttng-analyses keeps swapper as "no thread"). */
    private final Map<Integer, Long> currentTid = new HashMap<>();
    private final Map<Long, Proc> tids = new LinkedHashMap<>();
    private final Map<Long, Disk> disks = new LinkedHashMap<>();
    private final List<Remap> remaps = new ArrayList<>();
    private long pageCount;
    private transient KernelListener listener = NONE;

    /** Where notifications go from now on; null stops them. */
    public void listener(KernelListener l) {
        this.listener = l == null ? NONE : l;
    }

    /** The known threads by tid. */
    public Map<Long, Proc> threads() {
        return tids;
    }

    /** The thread running on a CPU, or null when idle or unknown. */
    public Proc current(int cpu) {
        Long t = currentTid.get(cpu);
        return t == null ? null : tids.get(t);
    }

    /** Updates the state with one event (events must come in time order). */
    public void process(EventRecord e) {
        if (classes == null) { // after deserialization
            classes = new IdentityHashMap<>();
        }
        if (listener == null) {
            listener = NONE;
        }
        ClassInfo ci = classes.get(e.eventClass());
        if (ci == null) {
            ci = new ClassInfo(e.eventClass());
            classes.put(e.eventClass(), ci);
        }
        if (ci.kind == K_OTHER) {
            return;
        }
        int cpu = ci.cpuInEvent ? (int) e.getLong("cpu_id") : (int) e.packet().cpuId();
        switch (ci.kind) {
            case K_SWITCH: schedSwitch(e, cpu); break;
            case K_MIGRATE: migrate(e); break;
            case K_WAKEUP: wakeup(e); break;
            case K_FORK: fork(e, cpu); break;
            case K_EXEC: exec(e, ci, cpu); break;
            case K_PAGE_ALLOC: pageAlloc(cpu); break;
            case K_PAGE_FREE: pageFree(cpu); break;
            case K_SYSCALL_ENTRY:
                syscallEntry(e, ci, cpu);
                if (ci.connect) {
                    connect(e, cpu);
                } else {
                    ioSyscallEntry(e, ci, cpu);
                }
                break;
            case K_SYSCALL_EXIT: syscallExit(e, cpu); break;
            case K_STATEDUMP_PROCESS: statedumpProcess(e); break;
            case K_STATEDUMP_FD: statedumpFd(e, cpu); break;
            case K_STATEDUMP_BLOCK: statedumpBlock(e); break;
            case K_BLOCK_COMPLETE: blockComplete(e, cpu); break;
            case K_BLOCK_ISSUE: blockIssue(e); break;
            case K_BLOCK_REMAP: blockRemap(e); break;
            case K_BLOCK_BACKMERGE: blockBackmerge(e); break;
            case K_NET_XMIT: netXmit(e, cpu); break;
            case K_NET_RECEIVE:
                listener.netifReceiveSkb(e.getString("name"), e.getLong("len"), cpu);
                break;
            default:
                break;
        }
    }

    // ---- sched

    private Proc createProc(long tid) {
        Proc p = tids.get(tid);
        if (p == null) {
            p = tid == 0 ? new Proc(0, 0L, "") : new Proc(tid, null, "");
            tids.put(tid, p);
        }
        return p;
    }

    private void schedSwitch(EventRecord e, int cpu) {
        long next = e.getLong("next_tid");
        long prev = e.getLong("prev_tid");
        currentTid.put(cpu, next == 0 ? null : next);
        createProc(prev);
        Proc n = createProc(next);
        n.comm = e.getString("next_comm");
        n.prevTid = prev;
    }

    private void migrate(EventRecord e) {
        long tid = e.getLong("tid");
        if (!tids.containsKey(tid)) {
            tids.put(tid, new Proc(tid, null, e.getString("comm")));
        }
    }

    private void wakeup(EventRecord e) {
        long tid = e.getLong("tid");
        for (Long t : currentTid.values()) {
            if (t != null && t == tid) {
                return;
            }
        }
        if (!tids.containsKey(tid)) {
            tids.put(tid, new Proc(tid, null, ""));
        }
    }

    private void fork(EventRecord e, int cpu) {
        long childTid = e.getLong("child_tid");
        long childPid = e.getLong("child_pid");
        String childComm = e.getString("child_comm");
        long parentPid = e.getLong("parent_pid");
        String parentComm = e.getString("parent_comm");
        Proc parent = tids.get(parentPid); // lttng-analyses looks the parent up by its pid
        if (parent == null) {
            parent = new Proc(parentPid, parentPid, parentComm);
            tids.put(parentPid, parent);
        } else {
            parent.pid = parentPid;
            parent.comm = parentComm;
        }
        Proc child = new Proc(childTid, childPid, childComm);
        for (Map.Entry<Long, Fd> f : parent.fds.entrySet()) {
            child.fds.put(f.getKey(), f.getValue().copy());
            listener.fdCreated(f.getKey(), child, e.timestamp(), cpu);
        }
        tids.put(childTid, child);
    }

    private void exec(EventRecord e, ClassInfo ci, int cpu) {
        long tid = e.getLong("tid");
        Proc p = tids.get(tid);
        if (p == null) {
            p = new Proc(tid, null, "");
            tids.put(tid, p);
        }
        if (ci.procname) {
            p.comm = e.getString("procname");
        }
        for (Iterator<Map.Entry<Long, Fd>> it = p.fds.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Long, Fd> f = it.next();
            if (f.getValue().cloexec) {
                listener.fdClosed(f.getKey(), p, e.timestamp(), cpu);
                it.remove();
            }
        }
    }

    // ---- memory

    private void pageAlloc(int cpu) {
        pageCount++;
        Proc p = current(cpu);
        if (p != null) {
            listener.pageAlloc(p, cpu);
        }
    }

    private void pageFree(int cpu) {
        if (pageCount == 0) {
            return;
        }
        pageCount--;
        Proc p = current(cpu);
        if (p != null) {
            listener.pageFree(p, cpu);
        }
    }

    // ---- system calls

    private void syscallEntry(EventRecord e, ClassInfo ci, int cpu) {
        Proc p = current(cpu);
        if (p == null) {
            return;
        }
        p.currentSyscall = new SyscallEvent(ci.syscallName, e.timestamp());
    }

    private void syscallExit(EventRecord e, int cpu) {
        Proc p = current(cpu);
        if (p == null) {
            return;
        }
        SyscallEvent call = p.currentSyscall;
        if (call == null) {
            return;
        }
        call.endTs = e.timestamp();
        call.ret = e.has("ret") ? e.getLong("ret") : null;
        call.duration = call.endTs - call.beginTs;
        listener.syscallExit(p, call, cpu);
        if (!isIoSyscall(call.name)) {
            p.currentSyscall = null;
            return;
        }
        // the I/O state provider (a call traced without its return value cannot complete a request)
        if (call.ioRq != null && call.ret != null) {
            ioRequestExit(e, p, call.ioRq, cpu);
        }
        p.currentSyscall = null;
    }

    private Proc parentOf(Proc p) {
        if (p.pid != null && p.tid != p.pid) {
            Proc parent = tids.get(p.pid);
            if (parent == null) { // lttng-analyses would fail here; keep going with a fresh process
                parent = new Proc(p.pid, p.pid, "");
                tids.put(p.pid, parent);
            }
            return parent;
        }
        return p;
    }

    private void ioSyscallEntry(EventRecord e, ClassInfo ci, int cpu) {
        String name = ci.syscallName;
        if (!isIoSyscall(name)) {
            return;
        }
        Proc p = current(cpu);
        if (p == null) {
            return;
        }
        if (ci.contextPid && p.pid == null) {
            long pid = e.getLong("pid");
            p.pid = pid;
            if (pid != p.tid) {
                tids.put(pid, new Proc(pid, pid, p.comm));
            }
        }
        SyscallEvent call = p.currentSyscall;
        long ts = e.timestamp();
        if (DISK_OPEN.contains(name)) {
            IoRequest rq = new IoRequest(IoRequest.Kind.OPEN, IoRequest.Op.OPEN, ts, p.tid, name);
            rq.filename = e.getString("filename");
            rq.fdType = Fd.Type.DISK;
            rq.cloexec = (e.getLong("flags") & O_CLOEXEC) == O_CLOEXEC;
            call.ioRq = rq;
        } else if (name.equals("socket")) {
            IoRequest rq = new IoRequest(IoRequest.Kind.OPEN, IoRequest.Op.OPEN, ts, p.tid, "socket");
            rq.filename = "socket";
            rq.fdType = Fd.Type.NET;
            if (e.has("family")) {
                rq.family = e.getLong("family");
            }
            call.ioRq = rq;
        } else if (DUP_OPEN.contains(name)) {
            trackDup(e, name, p, cpu, call);
        } else if (name.equals("close")) {
            IoRequest rq = new IoRequest(IoRequest.Kind.CLOSE, IoRequest.Op.CLOSE, ts, p.tid, "close");
            rq.fd = e.getLong("fd");
            call.ioRq = rq;
        } else if (READ.contains(name) || WRITE.contains(name)) {
            IoRequest.Op op = READ.contains(name) ? IoRequest.Op.READ : IoRequest.Op.WRITE;
            IoRequest rq = new IoRequest(IoRequest.Kind.READ_WRITE, op, ts, p.tid, name);
            rq.fd = e.getLong("fd");
            call.ioRq = rq;
        } else if (READ_WRITE.contains(name)) {
            // splice and sendfile64 are I/O system calls for lttng-analyses, but its entry handler only tracks the
            // calls of its read, write, open, close and sync lists: they make no request (and count nowhere)
            return;
        } else if (SYNC.contains(name)) {
            IoRequest rq = new IoRequest(IoRequest.Kind.SYNC, IoRequest.Op.SYNC, ts, p.tid, name);
            if (!name.equals("sync")) {
                rq.fd = e.getLong("fd");
            }
            call.ioRq = rq;
        }
    }

    private void trackDup(EventRecord e, String name, Proc p, int cpu, SyscallEvent call) {
        Proc parent = parentOf(p);
        long oldFd;
        if (name.equals("dup")) {
            oldFd = e.getLong("fildes");
        } else if (name.equals("dup2") || name.equals("dup3")) {
            oldFd = e.getLong("oldfd");
            long newFd = e.getLong("newfd");
            if (parent.fds.containsKey(newFd)) {
                closeFd(parent, newFd, e.timestamp(), cpu);
            }
        } else { // fcntl: only F_DUPFD (0)
            if (e.getLong("cmd") != 0) {
                return;
            }
            oldFd = e.getLong("fd");
        }
        Fd old = parent.fds.get(oldFd);
        IoRequest rq = new IoRequest(IoRequest.Kind.OPEN, IoRequest.Op.OPEN, e.timestamp(), p.tid, name);
        rq.filename = old == null ? "unknown" : old.filename;
        rq.fdType = old == null ? Fd.Type.UNKNOWN : old.type;
        if (name.equals("dup3")) {
            rq.cloexec = (e.getLong("flags") & O_CLOEXEC) == O_CLOEXEC;
        }
        call.ioRq = rq;
    }

    private void ioRequestExit(EventRecord e, Proc p, IoRequest rq, int cpu) {
        long ret = p.currentSyscall.ret;
        rq.updateFromExit(e.timestamp(), ret);
        if (ret >= 0) {
            createFd(p, rq, cpu);
        }
        Proc parent = parentOf(p);
        listener.ioRequestExit(rq, p, parent, cpu);
        if (rq.kind == IoRequest.Kind.CLOSE && ret == 0) {
            closeFd(p, rq.fd, rq.endTs, cpu);
        }
    }

    private void createFd(Proc p, IoRequest rq, int cpu) {
        Proc parent = parentOf(p);
        if (rq.fd != null && !parent.fds.containsKey(rq.fd)) {
            Fd fd = rq.kind == IoRequest.Kind.OPEN
                    ? new Fd(rq.fd, rq.filename, fdTypeOfOpen(rq), rq.cloexec, rq.family)
                    : new Fd(rq.fd, "unknown", Fd.Type.UNKNOWN, false, null);
            parent.fds.put(rq.fd, fd);
            listener.fdCreated(rq.fd, parent, rq.endTs, cpu);
        } else if (rq.kind == IoRequest.Kind.READ_WRITE) {
            if (rq.fdIn != null && !parent.fds.containsKey(rq.fdIn)) {
                parent.fds.put(rq.fdIn, new Fd(rq.fdIn, "unknown", Fd.Type.UNKNOWN, false, null));
                listener.fdCreated(rq.fdIn, parent, rq.endTs, cpu);
            }
            if (rq.fdOut != null && !parent.fds.containsKey(rq.fdOut)) {
                parent.fds.put(rq.fdOut, new Fd(rq.fdOut, "unknown", Fd.Type.UNKNOWN, false, null));
                listener.fdCreated(rq.fdOut, parent, rq.endTs, cpu);
            }
        }
    }

    private static Fd.Type fdTypeOfOpen(IoRequest rq) {
        return rq.fdType;
    }

    private void closeFd(Proc p, long fd, long ts, int cpu) {
        Proc parent = parentOf(p);
        listener.fdClosed(fd, parent, ts, cpu);
        parent.fds.remove(fd);
    }

    private void connect(EventRecord e, int cpu) {
        Proc p = current(cpu);
        if (p == null) {
            return;
        }
        Proc parent = parentOf(p);
        if (e.has("family") && e.getLong("family") == AF_INET) {
            long fd = e.getLong("fd");
            Fd f = parent.fds.get(fd);
            if (f != null) {
                f.filename = ipv4(e.get("v4addr"), e.getLong("dport"));
            }
            listener.fdUpdated(fd, p, e.timestamp(), cpu);
        }
    }

    /** lttng-analyses' {@code format_ipv4}: a sequence of 4 bytes (or a big-endian integer) and a port. */
    static String ipv4(Object addr, long port) {
        String ip;
        if (addr instanceof List) {
            List<?> l = (List<?>) addr;
            ip = l.get(0) + "." + l.get(1) + "." + l.get(2) + "." + l.get(3);
        } else {
            long v = ((Number) addr).longValue();
            ip = ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
        }
        return ip + ":" + port;
    }

    // ---- statedump

    private void statedumpProcess(EventRecord e) {
        long tid = e.getLong("tid");
        long pid = e.getLong("pid");
        String name = e.getString("name");
        Proc p = tids.get(tid);
        if (p == null) {
            p = new Proc(tid, null, "");
            tids.put(tid, p);
        }
        p.pid = pid;
        p.comm = name;
        if (pid != tid) {
            Proc parent = tids.get(pid);
            if (parent == null) {
                parent = new Proc(pid, pid, name);
                tids.put(pid, parent);
            }
            for (Iterator<Map.Entry<Long, Fd>> it = p.fds.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<Long, Fd> f = it.next();
                Fd pf = parent.fds.get(f.getKey());
                if (pf == null) {
                    parent.fds.put(f.getKey(), f.getValue());
                } else if (pf.filename == null || pf.filename.isEmpty()) {
                    pf.filename = f.getValue().filename;
                }
                it.remove();
            }
            listener.parentProcCreated(p, parent);
        }
    }

    private void statedumpFd(EventRecord e, int cpu) {
        long pid = e.getLong("pid");
        long fd = e.getLong("fd");
        String filename = e.getString("filename");
        boolean cloexec = (e.getLong("flags") & O_CLOEXEC) == O_CLOEXEC;
        Proc p = tids.get(pid);
        if (p == null) {
            p = new Proc(pid, pid, "");
            tids.put(pid, p);
        }
        Fd f = p.fds.get(fd);
        if (f == null) {
            p.fds.put(fd, new Fd(fd, filename, Fd.Type.UNKNOWN, cloexec, null));
            listener.fdCreated(fd, p, e.timestamp(), cpu);
        } else {
            f.filename = filename;
            listener.fdUpdated(fd, p, e.timestamp(), cpu);
        }
    }

    private void statedumpBlock(EventRecord e) {
        long dev = e.getLong("dev");
        String name = e.getString("diskname");
        Disk d = disks.get(dev);
        if (d == null) {
            disks.put(dev, new Disk(dev, name));
        } else if (d.name == null) {
            d.name = name;
        }
        listener.blockDeviceNamed(dev, name);
    }

    // ---- block

    private void blockRemap(EventRecord e) {
        long dev = e.getLong("dev");
        long sector = e.getLong("sector");
        long oldDev = e.getLong("old_dev");
        long oldSector = e.getLong("old_sector");
        for (Remap r : remaps) {
            if (r.dev == oldDev && r.sector == oldSector) {
                r.dev = dev;
                r.sector = sector;
                return;
            }
        }
        remaps.add(new Remap(dev, sector, oldDev, oldSector));
    }

    private void blockBackmerge(EventRecord e) {
        long dev = e.getLong("dev");
        long sector = e.getLong("sector");
        remaps.removeIf(r -> r.dev == dev && r.sector == sector);
    }

    private void blockIssue(EventRecord e) {
        long dev = e.getLong("dev");
        long sector = e.getLong("sector");
        long nr = e.getLong("nr_sector");
        if (nr == 0) {
            return;
        }
        BlockRequest rq = new BlockRequest(e.timestamp(), e.getLong("tid"), (e.getLong("rwbs") & 1) == 1, dev,
                sector, nr);
        for (Remap r : remaps) {
            if (r.dev == dev && r.sector == sector) {
                dev = r.oldDev;
                break;
            }
        }
        disks.computeIfAbsent(dev, d -> new Disk(d, null)).pending.put(sector, rq);
    }

    private void blockComplete(EventRecord e, int cpu) {
        long dev = e.getLong("dev");
        long sector = e.getLong("sector");
        long nr = e.getLong("nr_sector");
        if (nr == 0) {
            return;
        }
        for (Iterator<Remap> it = remaps.iterator(); it.hasNext(); ) {
            Remap r = it.next();
            if (r.dev == dev && r.sector == sector) {
                dev = r.oldDev;
                it.remove();
                break;
            }
        }
        Disk disk = disks.computeIfAbsent(dev, d -> new Disk(d, null));
        BlockRequest rq = disk.pending.get(sector);
        if (rq == null || rq.nrSector != nr) {
            return;
        }
        rq.endTs = e.timestamp();
        rq.duration = rq.endTs - rq.beginTs;
        listener.blockRequestComplete(rq, tids.get(rq.tid), cpu, disk);
        disk.pending.remove(sector);
    }

    // ---- network

    private void netXmit(EventRecord e, int cpu) {
        listener.netDevXmit(e.getString("name"), e.getLong("len"), cpu);
        Proc p = current(cpu);
        if (p == null) {
            return;
        }
        SyscallEvent call = p.currentSyscall;
        if (call == null) {
            return;
        }
        if (p.pid != null && !p.pid.equals(p.tid)) {
            p = tids.get(p.pid);
            if (p == null) {
                return;
            }
        }
        if (isWriteSyscall(call.name) && call.ioRq != null && call.ioRq.fd != null) {
            Fd f = p.fds.get(call.ioRq.fd);
            if (f != null && f.type == Fd.Type.UNKNOWN) {
                f.type = Fd.Type.MAYBE_NET;
            }
        }
    }

}
