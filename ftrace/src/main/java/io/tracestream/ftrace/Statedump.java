package io.tracestream.ftrace;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The state of the system when recording starts, read from {@code /proc}, written as LTTng's
 * {@code lttng_statedump_*} events (as lttng-modules emits them when a kernel session starts): every thread
 * ({@code lttng_statedump_process_state}), every open file descriptor ({@code lttng_statedump_file_descriptor}) and
 * block device ({@code lttng_statedump_block_device}), between {@code lttng_statedump_start} and
 * {@code lttng_statedump_end}. Threads or files that vanish while being read are skipped.
 */
final class Statedump {

    /** LTTng's {@code lttng_process_status} values. */
    static final int STATUS_UNNAMED = 0;
    static final int STATUS_ZOMBIE = 4;
    static final int STATUS_WAIT = 5;
    static final int STATUS_RUN = 6;
    static final int STATUS_DEAD = 7;
    private static final long PF_KTHREAD = 0x00200000L;

    record ProcessState(long time, int tid, int pid, int ppid, String name, int type, int status, int cpu,
                        int prio) {
    }

    record FileDescriptor(long time, int pid, int fd, int flags, String filename) {
    }

    record BlockDevice(long time, long dev, String name) {
    }

    long start;
    long end;
    /**
     * When set (not -1), the time every state dump event is written at: the start of the recording, so that the
     * state precedes the events it explains (LTTng's in-kernel state dump takes milliseconds; reading /proc on a
     * busy machine can take seconds, and analyses such as lttng-analyses expect the state first).
     */
    long stamp = -1;
    final List<ProcessState> processes = new ArrayList<>();
    final List<FileDescriptor> files = new ArrayList<>();
    final List<BlockDevice> blockDevices = new ArrayList<>();
    long pidNamespaceInode;
    /** The process that read the state (the pid/tid context of the state dump events), 0 when unknown. */
    int recorderPid;

    /** An empty state dump at {@code time}. */
    static Statedump empty(long time) {
        Statedump s = new Statedump();
        s.start = time;
        s.end = time;
        return s;
    }

    /** Reads {@code proc} (normally {@code /proc}); {@code clock} gives the timestamps (monotonic ns). */
    static Statedump read(Path proc, LongSupplier clock) {
        Statedump s = new Statedump();
        s.start = clock.getAsLong();
        s.recorderPid = (int) ProcessHandle.current().pid();
        s.pidNamespaceInode = namespaceInode(proc.resolve("self/ns/pid"));
        for (Path p : numericEntries(proc)) {
            int pid = Integer.parseInt(p.getFileName().toString());
            for (Path t : numericEntries(p.resolve("task"))) {
                int tid = Integer.parseInt(t.getFileName().toString());
                ProcessState ps = processState(t.resolve("stat"), tid, pid, clock);
                if (ps != null) {
                    s.processes.add(ps);
                }
            }
            for (Path fd : numericEntries(p.resolve("fd"))) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    int flags = fdFlags(p.resolve("fdinfo").resolve(fd.getFileName()));
                    s.files.add(new FileDescriptor(clock.getAsLong(), pid,
                            Integer.parseInt(fd.getFileName().toString()), flags, target));
                } catch (IOException | RuntimeException e) {
                    // closed meanwhile, or not ours to read
                }
            }
        }
        try {
            for (String line : Files.readAllLines(proc.resolve("partitions"))) {
                String[] w = line.trim().split("\\s+");
                if (w.length == 4 && w[0].chars().allMatch(Character::isDigit)) {
                    long dev = (Long.parseLong(w[0]) << 20) | Long.parseLong(w[1]); // the kernel's MKDEV
                    s.blockDevices.add(new BlockDevice(clock.getAsLong(), dev, w[3]));
                }
            }
        } catch (IOException | RuntimeException e) {
            // no block devices listed
        }
        s.end = clock.getAsLong();
        return s;
    }

    private static ProcessState processState(Path stat, int tid, int pid, LongSupplier clock) {
        String text;
        try {
            text = Files.readString(stat);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        String name = text.substring(open + 1, close);
        String[] f = text.substring(close + 2).trim().split(" ");
        // f[0] = state (field 3), f[1] = ppid (4), f[6] = flags (9), f[15] = priority (18), f[36] = processor (39)
        try {
            char state = f[0].charAt(0);
            int ppid = Integer.parseInt(f[1]);
            long flags = Long.parseLong(f[6]);
            int prio = Integer.parseInt(f[15]);
            int cpu = f.length > 36 ? Integer.parseInt(f[36]) : 0;
            int status = switch (state) {
                case 'R' -> STATUS_RUN;
                case 'S', 'D', 'I', 'T', 't', 'P', 'W' -> STATUS_WAIT;
                case 'Z' -> STATUS_ZOMBIE;
                case 'X', 'x' -> STATUS_DEAD;
                default -> STATUS_UNNAMED;
            };
            int type = (flags & PF_KTHREAD) != 0 ? 1 : 0;
            return new ProcessState(clock.getAsLong(), tid, pid, ppid, name, type, status, cpu, prio);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static int fdFlags(Path fdinfo) {
        try {
            for (String line : Files.readAllLines(fdinfo)) {
                if (line.startsWith("flags:")) {
                    return Integer.parseInt(line.substring(6).trim(), 8);
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone
        }
        return 0;
    }

    private static long namespaceInode(Path link) {
        try {
            String t = Files.readSymbolicLink(link).toString(); // pid:[4026531836]
            int a = t.indexOf('[');
            int b = t.indexOf(']');
            return a >= 0 && b > a ? Long.parseLong(t.substring(a + 1, b)) : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static List<Path> numericEntries(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (!n.isEmpty() && n.chars().allMatch(Character::isDigit)) {
                    out.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the process exited
        }
        out.sort((a, b) -> Long.compare(Long.parseLong(a.getFileName().toString()),
                Long.parseLong(b.getFileName().toString())));
        return out;
    }
}
