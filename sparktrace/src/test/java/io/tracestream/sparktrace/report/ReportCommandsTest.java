package io.tracestream.sparktrace.report;

import io.tracestream.cli.Command;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The commands are declared for the CLI's plugin loader; bad input gives one-line usage errors. */
class ReportCommandsTest {
    @TempDir
    Path tmp;

    @Test
    void declaredForThePluginLoader() throws Exception {
        Properties p = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/META-INF/tracestream/commands.properties")) {
            p.load(in);
        }
        assertEquals(SparkReportCommand.class.getName(), p.getProperty("spark-report"));
        assertEquals(ExplainTaskCommand.class.getName(), p.getProperty("explain-task"));
        assertEquals("spark-report", new SparkReportCommand().name());
        assertEquals("explain-task", new ExplainTaskCommand().name());
    }

    @Test
    void usageErrors() throws Exception {
        assertEquals("which directory? (give the traces' DIR)", error(new SparkReportCommand()));
        assertEquals(tmp.resolve("nope") + ": not a directory",
                error(new SparkReportCommand(), tmp.resolve("nope").toString()));
        Files.writeString(tmp.resolve("notes.txt"), "no trace here");
        assertEquals(tmp + ": no Spark trace (recorded by the tracestream plugin) here",
                error(new SparkReportCommand(), tmp.toString()));
        assertEquals("--engine: expected local, spark or auto, got 'gpu'",
                error(new SparkReportCommand(), "--engine", "gpu", tmp.toString()));
        assertEquals("--html and --perfetto need the in-process model (--engine local)",
                error(new SparkReportCommand(), "--engine", "spark", "--html", "x.html", tmp.toString()));
        assertEquals("expected DIR TASK_ID", error(new ExplainTaskCommand(), tmp.toString()));
        assertEquals("TASK_ID must be a number, got 'x'", error(new ExplainTaskCommand(), tmp.toString(), "x"));
    }

    private static String error(Command c, String... args) {
        Terminal t = new Terminal(new ByteArrayOutputStream(), new PrintStream(new ByteArrayOutputStream()), Map.of());
        return assertThrows(UsageException.class, () -> c.run(c.options().parse(List.of(args)), t)).getMessage();
    }
}
