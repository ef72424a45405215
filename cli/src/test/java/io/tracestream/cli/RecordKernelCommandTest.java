package io.tracestream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.ctf.testing.Babeltrace;
import io.tracestream.ftrace.KernelRecorder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tracestream record-kernel}: option handling, one-line errors, and a real recording of a command (skipped
 * with a message when this process may not use tracefs).
 */
class RecordKernelCommandTest {

    @Test
    void recordsACommandIntoAnLttngLikeKernelTrace(@TempDir Path temp) {
        String why = KernelRecorder.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "skipped: cannot record kernel events here: " + why);
        Babeltrace.require();
        Path out = temp.resolve("rec");
        StatsCommandTest.Run r = StatsCommandTest.run("record-kernel", "--output", out.toString(), "--events",
                "sched,syscall_entry_execve,syscall_exit_execve", "--", "sh", "-c", "exit 3");
        assertEquals(3, r.code(), "the command's exit status: " + r.err());
        assertTrue(r.out().startsWith(out.resolve("kernel") + ": "), r.out());
        assertTrue(r.out().contains(" sched_switch\n"), r.out());
        assertTrue(r.err().contains("record-kernel: recording "), r.err());
        String text = Babeltrace.print(out.resolve("kernel"));
        assertTrue(text.contains("sched_process_exec: "), "exec of sh");
        assertTrue(text.contains("syscall_entry_execve: "), "execve entry");
        assertTrue(Files.isDirectory(out.resolve("kernel/index")));

        StatsCommandTest.Run again = StatsCommandTest.run("record-kernel", "--output", out.toString(), "-d", "1");
        assertEquals(1, again.code());
        assertEquals("tracestream: error: " + out + ": output directory exists and is not empty\n", again.err());
    }

    @Test
    void usageErrorsAreOneLine() {
        StatsCommandTest.Run r = StatsCommandTest.run("record-kernel", "--duration", "1");
        assertEquals(2, r.code());
        assertEquals("tracestream: error: record-kernel: no output directory given (--output DIR) (see "
                + "'tracestream record-kernel --help')\n", r.err());
        r = StatsCommandTest.run("record-kernel", "--output", "x", "--duration", "soon");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--duration: not a duration: 'soon'"), r.err());
        r = StatsCommandTest.run("record-kernel", "--output", "x", "--buffer-size", "1");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--buffer-size must be from 4"), r.err());
        r = StatsCommandTest.run("record-kernel", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("CAP_SYS_ADMIN"), r.out());
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofSeconds(10), RecordKernelCommand.parseDuration("10s"));
        assertEquals(Duration.ofSeconds(10), RecordKernelCommand.parseDuration("10"));
        assertEquals(Duration.ofMillis(500), RecordKernelCommand.parseDuration("500ms"));
        assertEquals(Duration.ofMinutes(2), RecordKernelCommand.parseDuration("2m"));
        assertEquals(Duration.ofMillis(1500), RecordKernelCommand.parseDuration("1.5s"));
        assertEquals(Duration.ofHours(1), RecordKernelCommand.parseDuration("1h"));
        assertThrows(UsageException.class, () -> RecordKernelCommand.parseDuration("-1s"));
        assertThrows(UsageException.class, () -> RecordKernelCommand.parseDuration("0"));
    }
}
