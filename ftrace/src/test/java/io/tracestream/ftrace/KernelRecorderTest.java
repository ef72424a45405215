package io.tracestream.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.EventRecord;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real recordings through ftrace (needs root or CAP_SYS_ADMIN; skipped with a message when tracefs cannot be
 * written): a workload of {@code dd} with direct I/O and a shell busy loop, recorded with the default events and
 * with a smaller set for the analyses. Checked against the reference tools: babeltrace2 reads the trace and prints
 * exactly what the project's reader prints; the workload's exec, scheduling, system calls and block requests are in
 * it with its thread id; lttng-analyses' {@code lttng-cputop} and {@code lttng-syscallstats} (the oracle) run on it
 * without error and report the workload's threads.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KernelRecorderTest {
    private static final Duration TOOL_TIMEOUT = Duration.ofMinutes(3);

    private Path temp;
    private KernelRecorder.Result full;
    private KernelRecorder.Result small;
    private String fullLog;

    @BeforeAll
    void record(@TempDir Path dir) throws Exception {
        temp = dir;
        String why = KernelRecorder.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "skipped: cannot record kernel events here: " + why);
        Path data = dir.resolve("dd.out");
        List<String> workload = List.of("sh", "-c", "dd if=/dev/zero of=" + data
                + " bs=64k count=16 oflag=direct conv=fsync 2>/dev/null || dd if=/dev/zero of=" + data
                + " bs=64k count=16 conv=fsync 2>/dev/null; i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        full = KernelRecorder.record(KernelRecorder.options(dir.resolve("full")).command(workload),
                new PrintStream(log, true, StandardCharsets.UTF_8));
        fullLog = log.toString(StandardCharsets.UTF_8);
        small = KernelRecorder.record(KernelRecorder.options(dir.resolve("small")).command(workload)
                .events(List.of("sched_switch", "sched_process_fork", "sched_process_exec",
                        "sched_process_exit", "sched_process_free", "syscall_entry_write", "syscall_exit_write", "syscall_entry_read",
                        "syscall_exit_read", "syscall_entry_openat", "syscall_exit_openat", "syscall_entry_close",
                        "syscall_exit_close", "syscall_entry_execve", "syscall_exit_execve")),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void recordsTheWorkloadWithLttngNamesAndRemovesItsInstance() throws Exception {
        assertEquals(0, full.commandExitCode());
        assertTrue(full.trace().endsWith("kernel"));
        assertFalse(Files.exists(full.trace().resolveSibling("ftrace-raw")), "the raw capture is removed");
        assertFalse(Files.exists(Tracefs.locate(false).root.resolve("instances")
                .resolve(KernelRecorder.INSTANCE_PREFIX + ProcessHandle.current().pid())), "instance removed");
        assertTrue(fullLog.contains("record-kernel: recording"), fullLog);
        Map<String, Long> counts = full.countsByName();
        for (String name : List.of("sched_switch", "sched_process_fork", "sched_process_exec", "sched_process_exit",
                "syscall_entry_write", "syscall_exit_write", "lttng_statedump_start",
                "lttng_statedump_process_state", "lttng_statedump_end")) {
            assertTrue(counts.getOrDefault(name, 0L) > 0, name + " missing: " + counts);
        }

        Workload w = workload(full.trace());
        assertTrue(w.ddTid > 0, "exec of dd not found");
        assertTrue(w.ddSwitches > 0, "no sched_switch of dd (tid " + w.ddTid + ")");
        assertTrue(w.ddWrites >= 16, "dd's 16 write system calls: " + w.ddWrites);
        assertTrue(w.shellForks > 0, "the shell forked dd");
        assertTrue(w.ddProcessStateOrFork, "dd's process id is known");
        if (counts.getOrDefault("block_rq_issue", 0L) > 0) {
            assertTrue(w.writeRequests > 0, "block requests are issued, but none is a write (rwbs bit 0)");
        }
    }

    @Test
    void babeltraceAndTheProjectReaderPrintTheSameText() {
        Babeltrace.require();
        for (KernelRecorder.Result r : List.of(full, small)) {
            ProcessResult bt = Babeltrace.command(List.of(r.trace().toString())).env("TZ", "UTC")
                    .timeout(TOOL_TIMEOUT).run().requireSuccess();
            String ours = CaptureConversionTest.printWithProjectReader(r.trace(), "UTC");
            assertEquals(r.events(), bt.stdout().lines().count(), "babeltrace2 prints every event");
            if (!bt.stdout().equals(ours)) {
                List<String> a = bt.stdout().lines().toList();
                List<String> b = ours.lines().toList();
                for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                    assertEquals(a.get(i), b.get(i), "line " + (i + 1) + " of " + r.trace());
                }
                assertEquals(a.size(), b.size(), "line count of " + r.trace());
            }
        }
    }

    @Test
    void lttngAnalysesRunAndSeeTheWorkload() {
        Workload w = workload(small.trace());
        assertTrue(w.shTid > 0 && w.ddTid > 0, "workload threads not found");
        // lttng-analyses reads the tracer version only from a directory named 'kernel', as LTTng lays it out
        ProcessResult cputop = Exec.of(List.of("lttng-cputop-mi", "--skip-validation", "--limit", "100000",
                        small.trace().toString()))
                .timeout(TOOL_TIMEOUT).run();
        assertEquals(0, cputop.exitCode(), cputop.stderr());
        assertTrue(cputop.stdout().contains("\"tid\": " + w.shTid) || cputop.stdout().contains("\"tid\": "
                + w.ddTid), "cputop does not list the workload: " + cputop.stdout());

        ProcessResult stats = Exec.of(List.of("lttng-syscallstats-mi", "--skip-validation",
                        small.trace().toString()))
                .timeout(TOOL_TIMEOUT).run();
        assertEquals(0, stats.exitCode(), stats.stderr());
        assertTrue(stats.stdout().contains("TID: " + w.ddTid + ")"), "syscallstats does not list dd: "
                + stats.stdout());
        assertTrue(stats.stdout().contains("\"name\": \"write\""), stats.stdout());

        // file names are user-space strings ftrace does not copy: they must still be strings for the I/O views
        ProcessResult io = Exec.of(List.of("lttng-iousagetop", "--no-color", "--no-progress", "--skip-validation",
                        small.trace().toString())).timeout(TOOL_TIMEOUT).run();
        assertEquals(0, io.exitCode(), io.stdout() + io.stderr());
        assertTrue(io.stdout().contains("Per-process I/O Read"), io.stdout());
    }

    @Test
    void eventsTheKernelLosesAreDiscardedEventsThatBothReadersReport() {
        Babeltrace.require();
        KernelRecorder.Result lossy = null;
        for (int loops = 100; loops <= 1600 && (lossy == null || lossy.discarded() == 0); loops *= 2) {
            // tiny buffers: the kernel overwrites pages before the reader gets them
            lossy = KernelRecorder.record(KernelRecorder.options(temp.resolve("lossy-" + loops)).bufferSizeKb(16)
                            .statedump(false).command(List.of("sh", "-c", "i=0; while [ $i -lt " + loops
                                    + " ]; do cat /proc/self/stat > /dev/null; i=$((i+1)); done")),
                    new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        }
        assertTrue(lossy.discarded() > 0, "no loss even with 16 KiB buffers");
        ProcessResult bt = Babeltrace.command(List.of(lossy.trace().toString())).env("TZ", "UTC")
                .timeout(TOOL_TIMEOUT).run().requireSuccess();
        List<String> warnings = bt.stderr().lines().filter(l -> l.startsWith("WARNING: Tracer discarded")).toList();
        assertFalse(warnings.isEmpty(), "babeltrace2 reports the losses");
        long reported = warnings.stream().mapToLong(l -> Long.parseLong(l.split(" ")[3])).sum();
        // losses before a CPU's first packet have no earlier counter to compare with: CTF readers report them as
        // "may have discarded events", without a count (as for LTTng traces)
        long uncounted = bt.stderr().lines().filter(l -> l.startsWith("WARNING: Tracer may have discarded")).count();
        if (uncounted == 0) {
            assertEquals(lossy.discarded(), reported, "babeltrace2 counts every lost event");
        } else {
            assertTrue(reported < lossy.discarded() && uncounted <= Runtime.getRuntime().availableProcessors(),
                    reported + " counted, " + uncounted + " uncounted, " + lossy.discarded() + " lost");
        }

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), lossy.trace());
             io.tracestream.ctf.MessageCursor c = ts.messages()) {
            new io.tracestream.ctf.text.PrettyPrinter(new io.tracestream.ctf.text.PrettyOptions()
                    .zone(java.time.ZoneId.of("UTC")), out, err).print(c);
        }
        assertEquals(bt.stderr().lines().filter(l -> l.startsWith("WARNING: Tracer")).toList(),
                err.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("WARNING: Tracer")).toList(),
                "the same discarded-events warnings");
        assertTrue(bt.stdout().equals(out.toString(StandardCharsets.UTF_8)), "the same events");
    }

    @Test
    void stopsOnTheStopSignalWithoutACommand() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        stop.countDown();
        KernelRecorder.Result r = KernelRecorder.record(KernelRecorder.options(temp.resolve("signal"))
                        .events(List.of("sched_switch")).stopSignal(stop).statedump(false),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertEquals(-1, r.commandExitCode());
        assertTrue(Files.isRegularFile(r.trace().resolve("metadata")));
        assertTrue(java.util.Set.of("sched_switch").containsAll(r.countsByName().keySet()),
                r.countsByName().toString());
    }

    @Test
    void unknownEventsAndANonEmptyOutputAreOneLineErrors() throws Exception {
        FtraceException e = org.junit.jupiter.api.Assertions.assertThrows(FtraceException.class,
                () -> KernelRecorder.record(KernelRecorder.options(temp.resolve("bad-event"))
                        .events(List.of("no_such_event")).duration(Duration.ofMillis(10)), System.err));
        assertTrue(e.getMessage().startsWith("no ftrace event or event group 'no_such_event'"), e.getMessage());
        assertFalse(Files.exists(temp.resolve("bad-event")), "nothing is left behind");
        assertFalse(Files.exists(Tracefs.locate(false).root.resolve("instances")
                .resolve(KernelRecorder.INSTANCE_PREFIX + ProcessHandle.current().pid())), "instance removed");

        Files.createDirectories(temp.resolve("busy"));
        Files.writeString(temp.resolve("busy/x"), "x");
        e = org.junit.jupiter.api.Assertions.assertThrows(FtraceException.class,
                () -> KernelRecorder.record(KernelRecorder.options(temp.resolve("busy"))
                        .duration(Duration.ofMillis(10)), System.err));
        assertTrue(e.getMessage().endsWith("busy: output directory exists and is not empty"), e.getMessage());
    }

    /** What the trace says about the workload. */
    static final class Workload {
        int shTid;
        int ddTid;
        long ddSwitches;
        long ddWrites;
        long shellForks;
        long writeRequests;
        boolean ddProcessStateOrFork;
    }

    static Workload workload(Path trace) {
        Workload w = new Workload();
        List<EventRecord> events = new ArrayList<>();
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), trace)) {
            for (EventRecord e : ts.events()) {
                String n = e.name();
                if (n.equals("sched_process_exec")) {
                    String file = e.getString("filename");
                    if (file.endsWith("/dd") && w.ddTid == 0) {
                        w.ddTid = (int) e.getLong("tid");
                    } else if (file.endsWith("/sh") && w.shTid == 0) {
                        w.shTid = (int) e.getLong("tid");
                    }
                } else if (n.equals("sched_switch") || n.startsWith("syscall_") || n.equals("sched_process_fork")
                        || n.equals("block_rq_issue")) {
                    events.add(e.copy());
                }
            }
        }
        for (EventRecord e : events) {
            switch (e.name()) {
                case "sched_switch" -> {
                    if (e.getLong("next_tid") == w.ddTid || e.getLong("prev_tid") == w.ddTid) {
                        w.ddSwitches++;
                    }
                }
                case "syscall_entry_write" -> {
                    if (e.getLong("tid") == w.ddTid) {
                        w.ddWrites++;
                    }
                }
                case "sched_process_fork" -> {
                    if (e.getLong("parent_tid") == w.shTid) {
                        w.shellForks++;
                        if (e.getLong("child_tid") == w.ddTid && e.getLong("child_pid") == w.ddTid) {
                            w.ddProcessStateOrFork = true;
                        }
                    }
                }
                case "block_rq_issue" -> {
                    if ((e.getLong("rwbs") & 1) != 0 && e.getLong("nr_sector") > 0) {
                        w.writeRequests++;
                    }
                }
                default -> {
                }
            }
        }
        return w;
    }
}
