package io.tracestream.ftrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.MessageCursor;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.TraceListener;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ctf.testing.ProcessResult;
import io.tracestream.ctf.text.PrettyOptions;
import io.tracestream.ctf.text.PrettyPrinter;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw ring buffer decoder and the CTF conversion on a capture generated here, page by page, in the kernel's
 * layout ({@link RawPages}): short and long records, time extends, absolute time stamps, discarded-record padding,
 * end-of-page padding, and pages flagged with lost events (count stored, and not stored). The converted trace is
 * checked with babeltrace2 (names, fields, discarded-event warnings) and must print identically with the
 * project's reader.
 */
class CaptureConversionTest {
    static final String HEADER_PAGE = "\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
            + "\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
            + "\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
            + "\tfield: char data;\toffset:16;\tsize:4080;\tsigned:0;\n";

    private static final String COMMON = "format:\n"
            + "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
            + "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
            + "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
            + "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n";

    static final int SCHED_SWITCH = 372;
    static final int IRQ_ENTRY = 100;
    static final int OPENAT_ENTER = 782;
    static final int OPENAT_EXIT = 781;
    static final int FORK = 366;
    static final int NEWTASK = 200;
    static final int SOFTIRQ_ENTRY = 101;

    static String format(String name, int id, String fields) {
        return "name: " + name + "\nID: " + id + "\n" + COMMON + fields + "\nprint fmt: \"\"\n";
    }

    static Map<String[], String> formats() {
        Map<String[], String> m = new LinkedHashMap<>();
        m.put(new String[]{"sched", "sched_switch"}, format("sched_switch", SCHED_SWITCH,
                "\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:0;\n"
                        + "\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
                        + "\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
                        + "\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
                        + "\tfield:char next_comm[16];\toffset:40;\tsize:16;\tsigned:0;\n"
                        + "\tfield:pid_t next_pid;\toffset:56;\tsize:4;\tsigned:1;\n"
                        + "\tfield:int next_prio;\toffset:60;\tsize:4;\tsigned:1;\n"));
        m.put(new String[]{"irq", "irq_handler_entry"}, format("irq_handler_entry", IRQ_ENTRY,
                "\tfield:int irq;\toffset:8;\tsize:4;\tsigned:1;\n"
                        + "\tfield:__data_loc char[] name;\toffset:12;\tsize:4;\tsigned:0;\n"));
        m.put(new String[]{"irq", "softirq_entry"}, format("softirq_entry", SOFTIRQ_ENTRY,
                "\tfield:unsigned int vec;\toffset:8;\tsize:4;\tsigned:0;\n"));
        m.put(new String[]{"syscalls", "sys_enter_openat"}, format("sys_enter_openat", OPENAT_ENTER,
                "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
                        + "\tfield:int dfd;\toffset:16;\tsize:8;\tsigned:0;\n"
                        + "\tfield:const char * filename;\toffset:24;\tsize:8;\tsigned:0;\n"
                        + "\tfield:int flags;\toffset:32;\tsize:8;\tsigned:0;\n"
                        + "\tfield:umode_t mode;\toffset:40;\tsize:8;\tsigned:0;\n"));
        m.put(new String[]{"syscalls", "sys_exit_openat"}, format("sys_exit_openat", OPENAT_EXIT,
                "\tfield:int __syscall_nr;\toffset:8;\tsize:4;\tsigned:1;\n"
                        + "\tfield:long ret;\toffset:16;\tsize:8;\tsigned:1;\n"));
        m.put(new String[]{"sched", "sched_process_fork"}, format("sched_process_fork", FORK,
                "\tfield:__data_loc char[] parent_comm;\toffset:8;\tsize:4;\tsigned:0;\n"
                        + "\tfield:pid_t parent_pid;\toffset:12;\tsize:4;\tsigned:1;\n"
                        + "\tfield:__data_loc char[] child_comm;\toffset:16;\tsize:4;\tsigned:0;\n"
                        + "\tfield:pid_t child_pid;\toffset:20;\tsize:4;\tsigned:1;\n"));
        m.put(new String[]{"task", "task_newtask"}, format("task_newtask", NEWTASK,
                "\tfield:pid_t pid;\toffset:8;\tsize:4;\tsigned:1;\n"
                        + "\tfield:char comm[16];\toffset:12;\tsize:16;\tsigned:0;\n"
                        + "\tfield:unsigned long clone_flags;\toffset:32;\tsize:8;\tsigned:0;\n"
                        + "\tfield:short oom_score_adj;\toffset:40;\tsize:2;\tsigned:1;\n"));
        return m;
    }

    static byte[] schedSwitch(int cpuPid, String prev, int prevPid, long prevState, String next, int nextPid) {
        return new RawPages.Data(SCHED_SWITCH, cpuPid, 64).chars(8, 16, prev).i32(24, prevPid).i32(28, 120)
                .i64(32, prevState).chars(40, 16, next).i32(56, nextPid).i32(60, 98).bytes();
    }

    static final long T0 = 5_000_000_000L;
    static final String LONG_IRQ_NAME = "a-long-interrupt-handler-name-that-makes-the-record-longer-than-112-bytes"
            + "-so-it-needs-the-long-form";

    /** Writes the fixture capture: CPU 0 with three pages (two flagged with losses), CPU 1 with one. */
    static Path writeCapture(Path dir) throws Exception {
        Capture cap = new Capture(dir);
        cap.header = HeaderPage.parse(HEADER_PAGE, "header_page");
        cap.pageSize = 4096;
        cap.cpus = 2;
        cap.clockOffsetNs = 1_700_000_000_000_000_000L;
        cap.env.put("hostname", "fixture");
        cap.env.put("kernel_release", "6.0.0-test");
        Map<EventFormat, String> texts = new LinkedHashMap<>();
        for (Map.Entry<String[], String> e : formats().entrySet()) {
            texts.put(EventFormat.parse(e.getKey()[0], e.getValue(), e.getKey()[1]), e.getValue());
        }
        Files.createDirectories(dir);
        cap.writeDescription(HEADER_PAGE, texts);

        RawPages cpu0 = new RawPages(4096);
        cpu0.page(T0)
                .record(T0 + 100, schedSwitch(0, "swapper/0", 0, 0, "bash", 4242), false)
                .record(T0 + 250, new RawPages.Data(OPENAT_ENTER, 4242, 48).i32(8, 257).i64(16, -100L & 0xffffffffL)
                        .i64(24, 0x7ffd0000L).i64(32, 0x80000).i64(40, 0644).bytes(), false)
                .discardedRecord(24)
                .record(T0 + 300, new RawPages.Data(OPENAT_EXIT, 4242, 24).i32(8, 257).i64(16, -2).bytes(), false)
                // more than 2^27 ns later: needs a time extend
                .record(T0 + 300 + (1L << 28) + 7, new RawPages.Data(IRQ_ENTRY, 4242, 16).i32(8, 11)
                        .dataLoc(12, LONG_IRQ_NAME).bytes(), false)
                .absolute(T0 + 2_000_000_000L)
                .record(T0 + 2_000_000_010L, new RawPages.Data(SOFTIRQ_ENTRY, 0, 12).i32(8, 3).bytes(), true);
        cpu0.page(T0 + 3_000_000_000L).lost(7)
                .record(T0 + 3_000_000_001L, new RawPages.Data(NEWTASK, 4242, 48).i32(8, 4243).chars(12, 16, "bash")
                        .i64(32, 0x00010000L | 0x100).bytes(), false)
                .record(T0 + 3_000_000_002L, new RawPages.Data(FORK, 4242, 24).dataLoc(8, "bash").i32(12, 4242)
                        .dataLoc(16, "bash").i32(20, 4243).bytes(), false)
                .record(T0 + 3_000_000_003L, new RawPages.Data(FORK, 4242, 24).dataLoc(8, "bash").i32(12, 4242)
                        .dataLoc(16, "bash").i32(20, 4244).bytes(), false);
        cpu0.page(T0 + 4_000_000_000L).lostUnknown()
                .record(T0 + 4_000_000_005L, schedSwitch(4242, "bash", 4242, 1, "swapper/0", 0), false);
        Files.write(cap.cpuFile(0), cpu0.bytes());

        RawPages cpu1 = new RawPages(4096);
        cpu1.page(T0 + 50).record(T0 + 200, schedSwitch(0, "swapper/1", 0, 0, "kworker/1:1", 77), false);
        Files.write(cap.cpuFile(1), cpu1.bytes());
        cap.kernelLost.put(1, 3L); // counted by the kernel, not flagged in a page
        cap.writeProperties();
        return dir;
    }

    @Test
    void decodesRecordsTimeExtendsAbsoluteStampsPaddingAndLosses(@TempDir Path temp) throws Exception {
        Path dir = writeCapture(temp.resolve("raw"));
        Capture cap = Capture.read(dir);
        assertEquals(7, cap.formats.size());
        List<long[]> seen = new ArrayList<>();
        try (RingBufferReader r = new RingBufferReader(cap.cpuFile(0), cap.header, cap.pageSize,
                ByteOrder.LITTLE_ENDIAN)) {
            while (r.next()) {
                int type = r.page().getShort(r.dataOffset()) & 0xffff;
                seen.add(new long[]{r.timestamp() - T0, type, r.lostBefore(), r.dataLength()});
            }
            assertEquals(0, r.trailingLost());
        }
        assertEquals(9, seen.size());
        long[][] expected = {
                {100, SCHED_SWITCH, 0, 64},
                {250, OPENAT_ENTER, 0, 48},
                {300, OPENAT_EXIT, 0, 24}, // the discarded record in between is skipped and adds no time
                {300 + (1L << 28) + 7, IRQ_ENTRY, 0, 16 + LONG_IRQ_NAME.length() + 1 + 3 & ~3},
                {2_000_000_010L, SOFTIRQ_ENTRY, 0, 12},
                {3_000_000_001L, NEWTASK, 7, 48},
                {3_000_000_002L, FORK, 0, 36}, // 24 fixed bytes, two "bash\0", padded to 4
                {3_000_000_003L, FORK, 0, 36},
                {4_000_000_005L, SCHED_SWITCH, -1, 64}};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(List.of(expected[i][0], expected[i][1], expected[i][2], expected[i][3]),
                    List.of(seen.get(i)[0], seen.get(i)[1], seen.get(i)[2], seen.get(i)[3]), "record " + i);
        }
    }

    @Test
    void convertsToAnLttngLikeKernelTraceThatBabeltraceReads(@TempDir Path temp) throws Exception {
        Babeltrace.require();
        Path dir = writeCapture(temp.resolve("raw"));
        Path trace = temp.resolve("kernel");
        Statedump sd = Statedump.empty(T0 + 10);
        sd.processes.add(new Statedump.ProcessState(T0 + 11, 4242, 4242, 1, "bash", 0, Statedump.STATUS_RUN, 0,
                20));
        sd.blockDevices.add(new Statedump.BlockDevice(T0 + 12, (254L << 20) | 0, "vda"));
        sd.end = T0 + 13;
        CtfConverter.Result r = CtfConverter.convert(Capture.read(dir), sd, trace, 4096);
        assertEquals(0, r.unknownRecords());
        assertEquals(7 + 1 + 3, r.discarded(), "7 stored, 1 unknown count, 3 from the kernel's counters");

        ProcessResult bt = Babeltrace.command(List.of(trace.toString())).env("TZ", "UTC").run().requireSuccess();
        String text = bt.stdout();
        assertTrue(text.contains("sched_switch: { cpu_id = 0 }, { pid = 0, tid = 0 }, "
                + "{ prev_comm = \"swapper/0\", prev_tid = 0, prev_prio = 20, prev_state = 0, next_comm = \"bash\", "
                + "next_tid = 4242, next_prio = -2 }"), text);
        assertTrue(text.contains("syscall_entry_openat: { cpu_id = 0 }, { pid = 4242, tid = 4242 }, "
                + "{ dfd = -100, filename = \"0x7ffd0000\", flags = 524288, mode = 420 }"), text);
        assertTrue(text.contains("syscall_exit_openat: { cpu_id = 0 }, { pid = 4242, tid = 4242 }, { ret = -2 }"),
                text);
        assertTrue(text.contains("irq_handler_entry: { cpu_id = 0 }, { pid = 4242, tid = 4242 }, { irq = 11, "
                + "name = \"" + LONG_IRQ_NAME + "\" }"), text);
        assertTrue(text.contains("irq_softirq_entry: { cpu_id = 0 }, { pid = 0, tid = 0 }, { vec = 3 }"), text);
        // a thread (CLONE_THREAD, from task_newtask) joins its parent's process; a process gets its own id
        assertTrue(text.contains("sched_process_fork: { cpu_id = 0 }, { pid = 4242, tid = 4242 }, "
                + "{ parent_comm = \"bash\", parent_tid = 4242, parent_pid = 4242, parent_ns_inum = 0, "
                + "child_comm = \"bash\", child_tid = 4243, "
                + "_vtids_length = 1, vtids = [ [0] = 4243 ], child_pid = 4242, child_ns_inum = 0 }"), text);
        assertTrue(text.contains("child_tid = 4244, _vtids_length = 1, vtids = [ [0] = 4244 ], child_pid = 4244"),
                text);
        assertTrue(text.contains("sched_switch: { cpu_id = 1 }, { pid = 0, tid = 0 }, { prev_comm = \"swapper/1\""),
                text);
        assertTrue(text.contains("lttng_statedump_process_state: { cpu_id = 0 }, { pid = 0, tid = 0 }, "
                + "{ tid = 4242, vtid = 4242, pid = 4242, vpid = 4242, ppid = 1, vppid = 1, name = \"bash\""), text);
        assertTrue(text.contains("lttng_statedump_block_device: { cpu_id = 0 }, { pid = 0, tid = 0 }, "
                + "{ dev = 266338304, diskname = \"vda\" }"), text);
        assertFalse(text.contains("task_newtask"), "task_newtask is consumed, not written");
        // the clock: real time = offset + monotonic
        assertTrue(text.startsWith("[22:13:25.000000010] (+?.?????????) fixture lttng_statedump_start: "
                + "{ cpu_id = 0 }, { pid = 0, tid = 0 }, { }"), text.lines().findFirst().orElse(""));
        assertEquals(13, text.lines().count(), text);

        String warnings = bt.stderr();
        assertTrue(warnings.contains("discarded 7 events"), warnings);
        assertTrue(warnings.contains("discarded 1 event "), warnings);
        assertTrue(warnings.contains("discarded 3 events"), warnings);

        String metadata = Babeltrace.command(List.of("-o", "ctf-metadata", trace.toString())).run()
                .requireSuccess().stdout();
        assertTrue(metadata.contains("domain = \"kernel\";"), metadata);
        assertTrue(metadata.contains("tracer_name = \"lttng-modules\";"), metadata);
        assertTrue(metadata.contains("tracer_major = 2;"), metadata);
        assertTrue(metadata.contains("name = \"monotonic\";") || metadata.contains("name = monotonic;"), metadata);

        assertEquals(text, printWithProjectReader(trace, "UTC"), "the project's reader must print what babeltrace2"
                + " prints");
    }

    static String printWithProjectReader(Path trace, String zone) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TraceSet ts = TraceSet.open(ReadOptions.defaults().listener(TraceListener.SILENT), trace);
             MessageCursor c = ts.messages()) {
            new PrettyPrinter(new PrettyOptions().zone(ZoneId.of(zone)), out, err).print(c);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aPageWhoseDataLengthExceedsThePageIsReportedWithFileAndOffset(@TempDir Path temp) throws Exception {
        Path dir = writeCapture(temp.resolve("raw"));
        byte[] bytes = Files.readAllBytes(dir.resolve("cpu0.raw"));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putLong(8, 5000);
        Files.write(dir.resolve("cpu0.raw"), bytes);
        FtraceException e = assertThrows(FtraceException.class,
                () -> CtfConverter.convert(Capture.read(dir), null, temp.resolve("kernel"), 4096));
        assertTrue(e.getMessage().contains("cpu0.raw: offset 8: page data length 5000 exceeds the page"),
                e.getMessage());
    }

    @Test
    void aRecordRunningPastThePageDataIsReported(@TempDir Path temp) throws Exception {
        Path dir = writeCapture(temp.resolve("raw"));
        byte[] bytes = Files.readAllBytes(dir.resolve("cpu1.raw"));
        // first record header: type_len 0 with a huge length word
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(16, 0).putInt(20, 100_000);
        Files.write(dir.resolve("cpu1.raw"), bytes);
        FtraceException e = assertThrows(FtraceException.class,
                () -> CtfConverter.convert(Capture.read(dir), null, temp.resolve("kernel"), 4096));
        assertTrue(e.getMessage().contains("cpu1.raw: offset 16: record of 99996 bytes runs past the page data"),
                e.getMessage());
    }

    @Test
    void aTruncatedCaptureIsReported(@TempDir Path temp) throws Exception {
        Path dir = writeCapture(temp.resolve("raw"));
        byte[] bytes = Files.readAllBytes(dir.resolve("cpu1.raw"));
        Files.write(dir.resolve("cpu1.raw"), java.util.Arrays.copyOf(bytes, bytes.length - 10));
        FtraceException e = assertThrows(FtraceException.class,
                () -> CtfConverter.convert(Capture.read(dir), null, temp.resolve("kernel"), 4096));
        assertTrue(e.getMessage().contains("cpu1.raw: offset 0: truncated page (" + (bytes.length - 10) + " of "
                + bytes.length + " bytes)"), e.getMessage());
    }

    @Test
    void parsesFormatFiles() {
        EventFormat f = EventFormat.parse("syscalls", formats().entrySet().stream()
                .filter(e -> e.getKey()[1].equals("sys_enter_openat")).findFirst().orElseThrow().getValue(), "x");
        assertEquals("sys_enter_openat", f.name);
        assertEquals(OPENAT_ENTER, f.id);
        assertEquals(4, f.commonFields.size());
        assertEquals(List.of("__syscall_nr", "dfd", "filename", "flags", "mode"),
                f.fields.stream().map(EventFormat.Field::name).toList());
        EventFormat.Field filename = f.field("filename");
        assertEquals("const char *", filename.type());
        assertTrue(filename.isPointer());
        assertEquals(24, filename.offset());
        EventFormat fork = EventFormat.parse("sched", formats().entrySet().stream()
                .filter(e -> e.getKey()[1].equals("sched_process_fork")).findFirst().orElseThrow().getValue(), "x");
        assertEquals(EventFormat.Kind.DATA_LOC, fork.field("child_comm").kind());
        assertTrue(fork.field("child_comm").isString());
        FtraceException e = assertThrows(FtraceException.class,
                () -> EventFormat.parse("g", "name: x\nID: 1\nformat:\n\tfield:int a;\toffset:zz;\tsize:4;\n", "F"));
        assertTrue(e.getMessage().startsWith("F: line 4:"), e.getMessage());
    }

    @Test
    void blockRequestFlagsFollowLttng() {
        assertEquals(1, rwbs("W"));
        assertEquals(4, rwbs("R"));
        assertEquals(4 | 8, rwbs("RA"));
        assertEquals(1 | 32, rwbs("WS"));
        assertEquals(1024 | 1 | 512, rwbs("FWF"));
        assertEquals(256, rwbs("F"));
        assertEquals(2, rwbs("D"));
        assertEquals(0, rwbs("N"));
        assertEquals(4 | 64, rwbs("RM"));
    }

    private static long rwbs(String s) {
        ByteBuffer b = ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
        return EventMapping.rwbsFlags(b, 0, s.length());
    }
}
