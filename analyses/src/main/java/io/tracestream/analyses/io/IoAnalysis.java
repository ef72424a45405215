package io.tracestream.analyses.io;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisPass;
import io.tracestream.analyses.Column;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.TableClass;
import io.tracestream.analyses.TextStyle;
import io.tracestream.analyses.Value;
import io.tracestream.analyses.BarGraph;
import io.tracestream.analyses.DurationStats;
import io.tracestream.analyses.Py;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The I/O analyses of lttng-analyses, over one shared model of system call I/O requests, file descriptors, block
 * requests and network packets:
 * <ul>
 *   <li>{@code iolatencystats}: count, min, average, max and standard deviation of the latency of open, read, write
 *       and sync system calls, and of block requests per disk ({@code lttng-iolatencystats});</li>
 *   <li>{@code iolatencytop}: the N slowest open, read, write and sync calls, with size, thread and file
 *       ({@code lttng-iolatencytop});</li>
 *   <li>{@code iousagetop}: bytes read and written per process (disk, network, unknown files), per file, per process
 *       at the block layer, sectors, requests and average latency per disk, bytes per network interface
 *       ({@code lttng-iousagetop}).</li>
 * </ul>
 * A top table lists {@code --top N} rows (lttng-analyses 0.6.1 lists one more than its {@code --limit}). With
 * {@code --tid}/{@code --procname} (which lttng-analyses does not offer for I/O) only the requests of those threads
 * count, and per-process rows are theirs; per-disk and per-interface totals stay global.
 */
public final class IoAnalysis implements Analysis {
    /** Which of the three I/O commands. */
    public enum Mode {
        STATS("iolatencystats"), TOP("iolatencytop"), USAGE("iousagetop");

        final String command;

        Mode(String command) {
            this.command = command;
        }
    }

    static final TableClass SYSCALL_LATENCY_STATS = TableClass.of("syscall-latency-stats",
            "System call latency statistics",
            Column.of("obj", "System call category", "string"),
            Column.of("count", "Call count", "number", "calls"),
            Column.of("min_latency", "Minimum call latency", "duration"),
            Column.of("avg_latency", "Average call latency", "duration"),
            Column.of("max_latency", "Maximum call latency", "duration"),
            Column.of("stdev_latency", "System call latency standard deviation", "duration"));
    static final TableClass PART_LATENCY_STATS = TableClass.of("disk-latency-stats", "Partition latency statistics",
            Column.of("obj", "Partition", "disk"),
            Column.of("count", "Access count", "number", "accesses"),
            Column.of("min_latency", "Minimum access latency", "duration"),
            Column.of("avg_latency", "Average access latency", "duration"),
            Column.of("max_latency", "Maximum access latency", "duration"),
            Column.of("stdev_latency", "System access latency standard deviation", "duration"));
    static final TableClass FREQ = TableClass.of("freq", "I/O request latency distribution",
            Column.of("latency_lower", "Latency (lower bound)", "duration"),
            Column.of("latency_upper", "Latency (upper bound)", "duration"),
            Column.of("count", "Request count", "number", "requests"));
    static final TableClass TOP_SYSCALL = TableClass.of("top-syscall", "Top system call latencies", logColumns());
    static final TableClass LOG = TableClass.of("log", "I/O operations log", logColumns());
    static final TableClass PER_PROCESS_TOP = TableClass.of("per-process-top", "Per-process top I/O operations",
            Column.of("process", "Process", "process"),
            Column.of("size", "Total operations size", "size"),
            Column.of("disk_size", "Disk operations size", "size"),
            Column.of("net_size", "Network operations size", "size"),
            Column.of("unknown_size", "Unknown operations size", "size"));
    static final TableClass PER_FILE_TOP = TableClass.of("per-file-top", "Per-file top I/O operations",
            Column.of("path", "File path/info", "path"),
            Column.of("size", "Operations size", "size"),
            Column.of("fd_owners", "File descriptor owners", "string"));
    static final TableClass PER_PROCESS_TOP_BLOCK = TableClass.of("per-process-top-block",
            "Per-process top block I/O operations",
            Column.of("process", "Process", "process"),
            Column.of("size", "Operations size", "size"));
    static final TableClass PER_DISK_TOP_SECTOR = TableClass.of("per-disk-top-sector",
            "Per-disk top sector I/O operations",
            Column.of("disk", "Disk", "disk"),
            Column.of("count", "Sector count", "number", "sectors"));
    static final TableClass PER_DISK_TOP_REQUEST = TableClass.of("per-disk-top-request", "Per-disk top I/O requests",
            Column.of("disk", "Disk", "disk"),
            Column.of("count", "Request count", "number", "I/O requests"));
    static final TableClass PER_DISK_TOP_RTPS = TableClass.of("per-disk-top-rps",
            "Per-disk top I/O request time/sector",
            Column.of("disk", "Disk", "disk"),
            Column.of("rtps", "Request time/sector", "duration"));
    static final TableClass PER_NETIF_TOP = TableClass.of("per-netif-top", "Per-network interface top I/O operations",
            Column.of("netif", "Network interface", "netif"),
            Column.of("size", "Operations size", "size"));

    private static Column[] logColumns() {
        return new Column[] {
            Column.of("time_range", "Call time range", "time-range"),
            Column.of("out_of_range", "System call out of range?", "bool"),
            Column.of("duration", "Call duration", "duration"),
            Column.of("syscall", "System call", "syscall"),
            Column.of("size", "Read/write size", "size"),
            Column.of("process", "Process", "process"),
            Column.of("path", "File path", "path"),
            Column.of("fd", "File descriptor", "fd"),
        };
    }

    private static final String[] GENERIC_NAMES = {"pipe", "socket", "anon_inode", "unknown"};

    private final Mode mode;

    public IoAnalysis(Mode mode) {
        this.mode = mode;
    }

    @Override
    public String name() {
        return mode.command;
    }

    @Override
    public String title() {
        return "I/O analysis";
    }

    @Override
    public String description() {
        return "System call/disk latency statistics, system call latency distribution, system call top latencies, "
                + "I/O usage top, and I/O operations log";
    }

    @Override
    public List<String> tags() {
        return List.of("io", "syscall", "stats", "freq", "log", "top");
    }

    @Override
    public List<TableClass> tableClasses() {
        return List.of(SYSCALL_LATENCY_STATS, PART_LATENCY_STATS, FREQ, TOP_SYSCALL, LOG, PER_PROCESS_TOP,
                PER_FILE_TOP, PER_PROCESS_TOP_BLOCK, PER_DISK_TOP_SECTOR, PER_DISK_TOP_REQUEST, PER_DISK_TOP_RTPS,
                PER_NETIF_TOP);
    }

    @Override
    public Partitioning partitioning() {
        return Partitioning.TIME_ORDERED;
    }

    @Override
    public AnalysisPass newPass(AnalysisConfig config) {
        return new IoPass(config);
    }

    // ------------------------------------------------------------------------------------------------------------
    // tables

    @Override
    public List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config) {
        IoPeriod p = (IoPeriod) partials.get(IoPass.KEY);
        if (p == null) {
            p = new IoPeriod(config.top());
        }
        List<ResultTable> out = new ArrayList<>();
        switch (mode) {
            case STATS -> statsTables(p, begin, end, out);
            case TOP -> topTables(p, begin, end, config, out);
            default -> usageTables(p, begin, end, config, out);
        }
        out.removeIf(t -> t.rows().isEmpty()); // lttng-analyses leaves empty tables out of its LAMI output
        return out;
    }

    private static void statsTables(IoPeriod p, long begin, long end, List<ResultTable> out) {
        ResultTable sys = new ResultTable(SYSCALL_LATENCY_STATS, begin, end);
        for (IoPeriod.Category c : IoPeriod.Category.values()) {
            statsRow(sys, Value.string(c.statsName), p.latency[c.ordinal()]);
        }
        out.add(sys);
        ResultTable disks = new ResultTable(PART_LATENCY_STATS, begin, end);
        for (IoPeriod.DiskIo d : p.disks.values()) {
            if (d.requests > 0) {
                statsRow(disks, new Value.Named("disk", d.name), d.latency);
            }
        }
        out.add(disks);
    }

    private static void statsRow(ResultTable t, Value obj, DurationStats s) {
        long n = s.count();
        // lttng-analyses: 0 (an integer) for the min, average and max of no request; no deviation below 2
        Value avg = n > 0 ? Value.duration(s.average()) : Value.duration(0L);
        Value stdev = n < 2 ? Value.UNKNOWN : Value.duration(s.stdev());
        t.add(obj, Value.number(n), Value.duration(n > 0 ? s.min() : 0), avg, Value.duration(n > 0 ? s.max() : 0),
                stdev);
    }

    private static void topTables(IoPeriod p, long begin, long end, AnalysisConfig config, List<ResultTable> out) {
        for (IoPeriod.Category c : IoPeriod.Category.values()) {
            ResultTable t = new ResultTable(TOP_SYSCALL, begin, end, c.topName);
            for (IoPeriod.Slow s : p.slowest(c)) {
                t.add(logRow(p, s, config));
            }
            out.add(t);
        }
    }

    private static Value[] logRow(IoPeriod p, IoPeriod.Slow s, AnalysisConfig config) {
        var rq = s.rq();
        IoPeriod.ProcIo proc = s.proc();
        Value path;
        Value fd;
        if (rq.fd == null) {
            path = Value.EMPTY;
            fd = Value.EMPTY;
        } else {
            fd = new Value.Fd(rq.fd);
            IoPeriod.ProcIo owner = proc.pid != null ? p.procs.get(proc.pid) : proc;
            IoPeriod.FdIo f = owner == null ? null : owner.fdAt(rq.fd, rq.endTs);
            path = f != null ? new Value.FilePath(f.filename) : Value.UNKNOWN;
        }
        boolean outOfRange = (config.begin() != Long.MIN_VALUE && rq.beginTs < config.begin())
                || (config.end() != Long.MAX_VALUE && rq.endTs > config.end());
        return new Value[] {
            new Value.TimeRange(rq.beginTs, rq.endTs), new Value.Bool(outOfRange), Value.duration(rq.duration),
            new Value.Named("syscall", rq.syscallName), rq.size == null ? Value.EMPTY : Value.size(rq.size),
            new Value.Process(proc.comm, -1, rq.tid), path, fd,
        };
    }

    private static void usageTables(IoPeriod p, long begin, long end, AnalysisConfig config,
            List<ResultTable> out) {
        int limit = config.top();
        List<IoPeriod.ProcIo> procs = new ArrayList<>(p.procs.values());
        if (!config.tids().isEmpty() || !config.procNames().isEmpty()) {
            // --tid/--procname (an extension): only those threads' rows
            procs.removeIf(x -> !config.tids().isEmpty() && !config.tids().contains(x.tid)
                    || !config.procNames().isEmpty() && !config.procNames().contains(x.comm));
        }

        ResultTable read = new ResultTable(PER_PROCESS_TOP, begin, end, "read");
        fill(sorted(procs, IoPeriod.ProcIo::totalRead), limit, x -> true, x -> read.add(
                process(x), Value.size(x.totalRead()), Value.size(x.disk.read), Value.size(x.net.read),
                Value.size(x.unknown.read)));
        ResultTable written = new ResultTable(PER_PROCESS_TOP, begin, end, "written");
        fill(sorted(procs, IoPeriod.ProcIo::totalWrite), limit, x -> true, x -> written.add(
                process(x), Value.size(x.totalWrite()), Value.size(x.disk.write), Value.size(x.net.write),
                Value.size(x.unknown.write)));

        Map<String, FileIo> files = files(p);
        List<FileIo> fileList = new ArrayList<>(files.values());
        ResultTable fileRead = new ResultTable(PER_FILE_TOP, begin, end, "read");
        fill(sorted(fileList, f -> f.io.read), limit, f -> f.io.read != 0, f -> fileRead.add(
                new Value.FilePath(f.name), Value.size(f.io.read), Value.string(owners(p, f))));
        ResultTable fileWritten = new ResultTable(PER_FILE_TOP, begin, end, "written");
        fill(sorted(fileList, f -> f.io.write), limit, f -> f.io.write != 0, f -> fileWritten.add(
                new Value.FilePath(f.name), Value.size(f.io.write), Value.string(owners(p, f))));

        ResultTable blockRead = new ResultTable(PER_PROCESS_TOP_BLOCK, begin, end, "read");
        fill(sorted(procs, x -> x.block.read), limit, x -> x.block.read != 0, x -> blockRead.add(
                blockProcess(x), Value.size(x.block.read)));
        ResultTable blockWritten = new ResultTable(PER_PROCESS_TOP_BLOCK, begin, end, "written");
        fill(sorted(procs, x -> x.block.write), limit, x -> x.block.write != 0, x -> blockWritten.add(
                blockProcess(x), Value.size(x.block.write)));

        List<IoPeriod.DiskIo> disks = new ArrayList<>(p.disks.values());
        ResultTable sectors = new ResultTable(PER_DISK_TOP_SECTOR, begin, end);
        fill(sorted(disks, d -> d.sectors), limit, d -> d.sectors != 0, d -> sectors.add(
                new Value.Named("disk", d.name), Value.number(d.sectors)));
        ResultTable requests = new ResultTable(PER_DISK_TOP_REQUEST, begin, end);
        fill(sorted(disks, d -> d.requests), limit, d -> d.requests != 0, d -> requests.add(
                new Value.Named("disk", d.name), Value.number(d.requests)));
        ResultTable rtps = new ResultTable(PER_DISK_TOP_RTPS, begin, end);
        fill(disks, limit, d -> d.requests != 0, d -> rtps.add(
                new Value.Named("disk", d.name), Value.duration((double) d.totalDuration / (double) d.requests)));

        List<IoPeriod.IfaceIo> ifaces = new ArrayList<>(p.ifaces.values());
        ResultTable recv = new ResultTable(PER_NETIF_TOP, begin, end, "received");
        fill(sorted(ifaces, i -> i.recvBytes), limit, i -> true, i -> recv.add(
                new Value.Named("netif", i.name), Value.size(i.recvBytes)));
        ResultTable sent = new ResultTable(PER_NETIF_TOP, begin, end, "sent");
        fill(sorted(ifaces, i -> i.sentBytes), limit, i -> true, i -> sent.add(
                new Value.Named("netif", i.name), Value.size(i.sentBytes)));

        out.addAll(List.of(read, written, fileRead, fileWritten, blockRead, blockWritten, sectors, requests, rtps,
                recv, sent));
    }

    private static Value.Process process(IoPeriod.ProcIo x) {
        return new Value.Process(x.comm, x.pid == null ? -1 : x.pid, x.tid);
    }

    private static Value.Process blockProcess(IoPeriod.ProcIo x) {
        return new Value.Process(x.comm == null || x.comm.isEmpty() ? null : x.comm, x.pid == null ? -1 : x.pid,
                x.tid);
    }

    /** Python's {@code sorted(key=..., reverse=True)}: descending, stable. */
    private static <T> List<T> sorted(List<T> l, java.util.function.ToLongFunction<T> key) {
        List<T> s = new ArrayList<>(l);
        s.sort(Comparator.comparingLong(key).reversed());
        return s;
    }

    /** Rows for the elements that pass {@code keep}, at most {@code limit} (0: all). */
    private static <T> void fill(List<T> l, int limit, Predicate<T> keep, java.util.function.Consumer<T> add) {
        int n = 0;
        for (T x : l) {
            if (!keep.test(x)) {
                continue;
            }
            add.accept(x);
            n++;
            if (limit > 0 && n >= limit) {
                break;
            }
        }
    }

    /** A file's I/O over all descriptors naming it (lttng-analyses' FileStats). */
    private static final class FileIo {
        final String name;
        final IoPeriod.Bytes io = new IoPeriod.Bytes();
        /** Owner pid to the first descriptor number seen for it. */
        final Map<Long, Long> fdByPid = new LinkedHashMap<>();

        FileIo(String name) {
            this.name = name;
        }
    }

    private static Map<String, FileIo> files(IoPeriod p) {
        Map<String, FileIo> files = new LinkedHashMap<>();
        for (IoPeriod.ProcIo proc : p.procs.values()) {
            for (List<IoPeriod.FdIo> fds : proc.fds.values()) {
                for (IoPeriod.FdIo f : fds) {
                    String name = f.filename;
                    for (String g : GENERIC_NAMES) {
                        if (name.startsWith(g)) {
                            name = name + " (" + proc.comm + ")";
                            break;
                        }
                    }
                    FileIo file = files.computeIfAbsent(name, FileIo::new);
                    file.io.add(f.io);
                    long pid = proc.pid != null ? proc.pid : proc.tid;
                    file.fdByPid.putIfAbsent(pid, f.fd);
                }
            }
        }
        return files;
    }

    private static String owners(IoPeriod p, FileIo f) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<Long, Long> e : f.fdByPid.entrySet()) {
            IoPeriod.ProcIo owner = p.procs.get(e.getKey());
            b.append("fd ").append(e.getValue()).append(" in ").append(owner == null ? "" : owner.comm)
                    .append(" (").append(e.getKey()).append(") ");
        }
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------------------
    // text

    @Override
    public void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out) {
        out.println(style.timerangeLine(begin, end));
        switch (mode) {
            case STATS -> printStats(tables, out);
            case TOP -> printTop(tables, style, out);
            default -> printUsage(tables, out);
        }
    }

    private static ResultTable find(List<ResultTable> tables, TableClass tc, String subtitle) {
        for (ResultTable t : tables) {
            if (t.tableClass().name().equals(tc.name()) && java.util.Objects.equals(t.subtitle(), subtitle)) {
                return t;
            }
        }
        return null;
    }

    private static final String STATS_FORMAT = "%-14s %14s %14s %14s %14s %14s";

    private static void printStats(List<ResultTable> tables, PrintStream out) {
        ResultTable sys = find(tables, SYSCALL_LATENCY_STATS, null);
        out.println();
        out.println("Syscalls latency statistics (usec):");
        out.println(String.format(STATS_FORMAT, "Type", "Count", "Min", "Average", "Max", "Stdev"));
        out.println("-".repeat(89));
        if (sys != null) {
            for (List<Value> row : sys.rows()) {
                printStatsRow(row, out);
            }
        }
        ResultTable disks = find(tables, PART_LATENCY_STATS, null);
        if (disks != null && !disks.rows().isEmpty()) {
            out.println();
            out.println("Disk latency statistics (usec):");
            out.println(String.format(STATS_FORMAT, "Name", "Count", "Min", "Average", "Max", "Stdev"));
            out.println("-".repeat(89));
            for (List<Value> row : disks.rows()) {
                printStatsRow(row, out);
            }
        }
    }

    private static void printStatsRow(List<Value> row, PrintStream out) {
        String stdev = row.get(5) instanceof Value.Num s ? us3(s) : "?";
        out.println(String.format(STATS_FORMAT, row.get(0).text(), ((Value.Num) row.get(1)).longValue(),
                us3((Value.Num) row.get(2)), us3((Value.Num) row.get(3)), us3((Value.Num) row.get(4)), stdev));
    }

    /** {@code '%0.03f' % (ns / 1000)}. */
    private static String us3(Value.Num ns) {
        return Py.fixed(ns.asDouble() / 1000.0, 3);
    }

    private static void printTop(List<ResultTable> tables, TextStyle style, PrintStream out) {
        for (IoPeriod.Category c : IoPeriod.Category.values()) {
            ResultTable t = find(tables, TOP_SYSCALL, c.topName);
            if (t == null || t.rows().isEmpty()) {
                continue;
            }
            out.println();
            out.println(t.tableClass().title() + " " + t.subtitle() + " (usec)");
            out.println(String.format("%-20s %-20s %-16s %-23s %-5s %-24s %-8s %-14s", "Begin", "End", "Name",
                    "Duration (usec)", "Size", "Proc", "PID", "Filename"));
            boolean anyOutOfRange = false;
            for (List<Value> row : t.rows()) {
                Value.TimeRange tr = (Value.TimeRange) row.get(0);
                boolean oor = ((Value.Bool) row.get(1)).value();
                anyOutOfRange |= oor;
                String range = "[" + style.timestamp(tr.begin()) + ", " + style.timestamp(tr.end()) + "]"
                        + (oor ? "*" : " ");
                String duration = us3((Value.Num) row.get(2)) + (oor ? "*" : " ");
                String size = row.get(4) instanceof Value.Num n ? Py.formatSize(n.longValue()) : "N/A";
                Value.Process proc = (Value.Process) row.get(5);
                String file;
                if (row.get(7) instanceof Value.Fd fd) {
                    String path = row.get(6) instanceof Value.FilePath fp ? fp.path() : "unknown";
                    file = path + " (fd=" + fd.fd() + ")";
                } else {
                    file = "N/A";
                }
                out.println(String.format("%-40s %-16s %16s %11s  %-24s %-8s %-14s", range,
                        ((Value.Named) row.get(3)).name(), duration, size, proc.name(), proc.tid(), file));
            }
            if (anyOutOfRange) {
                out.println("*: Syscalls started and/or completed outside of the range specified");
            }
        }
    }

    private static void printUsage(List<ResultTable> tables, PrintStream out) {
        perProc(find(tables, PER_PROCESS_TOP, "read"), "Read", out);
        perProc(find(tables, PER_PROCESS_TOP, "written"), "Write", out);
        perFile(find(tables, PER_FILE_TOP, "read"), "Read", out);
        perFile(find(tables, PER_FILE_TOP, "written"), "Write", out);
        perBlock(find(tables, PER_PROCESS_TOP_BLOCK, "read"), "Read", out);
        perBlock(find(tables, PER_PROCESS_TOP_BLOCK, "written"), "Write", out);
        ResultTable sectors = find(tables, PER_DISK_TOP_SECTOR, null);
        if (sectors != null) {
            BarGraph g = new BarGraph("Disk Requests Sector Count", "Disk");
            for (List<Value> row : sectors.rows()) {
                long n = ((Value.Num) row.get(1)).longValue();
                g.add(n, n + " sectors", row.get(0).text());
            }
            g.print(out);
        }
        ResultTable requests = find(tables, PER_DISK_TOP_REQUEST, null);
        if (requests != null) {
            BarGraph g = new BarGraph("Disk Request Count", "Disk");
            for (List<Value> row : requests.rows()) {
                long n = ((Value.Num) row.get(1)).longValue();
                g.add(n, n + " requests", row.get(0).text());
            }
            g.print(out);
        }
        ResultTable rtps = find(tables, PER_DISK_TOP_RTPS, null);
        if (rtps != null) {
            BarGraph g = new BarGraph("Disk Request Average Latency", "Disk");
            for (List<Value> row : rtps.rows()) {
                double ms = ((Value.Num) row.get(1)).asDouble() / 1000000.0;
                g.add(ms, BarGraph.valueText(ms, false, "ms"), row.get(0).text());
            }
            g.print(out);
        }
        perNetif(find(tables, PER_NETIF_TOP, "received"), "Received", out);
        perNetif(find(tables, PER_NETIF_TOP, "sent"), "Sent", out);
    }

    private static void perProc(ResultTable t, String title, PrintStream out) {
        if (t == null) {
            return;
        }
        BarGraph g = new BarGraph("Per-process I/O " + title,
                String.format("%-25s %-10s %-10s %-10s", "Process", "Disk", "Net", "Unknown"));
        for (List<Value> row : t.rows()) {
            Value.Process p = (Value.Process) row.get(0);
            String pid = p.pid() < 0 ? "unknown (tid=" + p.tid() + ")" : Long.toString(p.pid());
            String label = String.format("%-25s %10s %10s %10s", p.name() + " (" + pid + ")",
                    Py.formatSize(((Value.Num) row.get(2)).longValue()),
                    Py.formatSize(((Value.Num) row.get(3)).longValue()),
                    Py.formatSize(((Value.Num) row.get(4)).longValue()));
            long size = ((Value.Num) row.get(1)).longValue();
            g.add(size, Py.formatSize(size), label);
        }
        g.print(out);
    }

    private static void perFile(ResultTable t, String title, PrintStream out) {
        if (t == null) {
            return;
        }
        BarGraph g = new BarGraph("Per-file I/O " + title, "Path");
        for (List<Value> row : t.rows()) {
            long size = ((Value.Num) row.get(1)).longValue();
            g.add(size, Py.formatSize(size), ((Value.FilePath) row.get(0)).path());
        }
        g.print(out);
    }

    private static void perBlock(ResultTable t, String title, PrintStream out) {
        if (t == null) {
            return;
        }
        BarGraph g = new BarGraph("Block I/O " + title, "Process");
        for (List<Value> row : t.rows()) {
            Value.Process p = (Value.Process) row.get(0);
            String name = p.name() == null || p.name().isEmpty() ? "unknown" : p.name();
            String pid = p.pid() < 0 ? "unknown (tid=" + p.tid() + ")" : Long.toString(p.pid());
            long size = ((Value.Num) row.get(1)).longValue();
            g.add(size, Py.formatSize(size), name + " (pid=" + pid + ")");
        }
        g.print(out);
    }

    private static void perNetif(ResultTable t, String title, PrintStream out) {
        if (t == null) {
            return;
        }
        BarGraph g = new BarGraph("Network " + title + " Bytes", "Interface");
        for (List<Value> row : t.rows()) {
            long size = ((Value.Num) row.get(1)).longValue();
            g.add(size, Py.formatSize(size), row.get(0).text());
        }
        g.print(out);
    }
}
