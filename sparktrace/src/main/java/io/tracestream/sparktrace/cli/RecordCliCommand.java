package io.tracestream.sparktrace.cli;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.sparktrace.RecordCommand;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code tracestream record --output DIR -- COMMAND...}: runs a Spark program with the tracing plugin (traces in
 * {@code DIR/spark/APP_ID/}) and, when this process may use ftrace, the kernel recorder ({@code DIR/kernel}).
 */
public final class RecordCliCommand implements Command {
    @Override
    public String name() {
        return "record";
    }

    @Override
    public String summary() {
        return "Run a Spark application (spark-submit, or any JVM program) with the tracing plugin";
    }

    @Override
    public String synopsis() {
        return "--output DIR [--no-kernel] [--kernel-events LIST] [--plugin-jar JAR] [--set KEY=VALUE]... "
                + "-- COMMAND...";
    }

    @Override
    public String description() {
        return "Runs COMMAND with the TraceStream Spark plugin enabled in every JVM it starts (through\n"
                + "JDK_JAVA_OPTIONS=-javaagent:tracestream-sparktrace-plugin.jar), so each Spark driver and executor\n"
                + "process writes a CTF trace under DIR/spark/APP_ID/; meanwhile it records the kernel through ftrace\n"
                + "(scheduling, block I/O, interrupts; --kernel-events reports,syscalls adds the system calls; root or\n"
                + "CAP_SYS_ADMIN) into DIR/kernel, so 'spark-report DIR', 'print DIR' and babeltrace2 read them\n"
                + "merged. Without ftrace access it says why on one line and records Spark only (--no-kernel: never\n"
                + "record the kernel). COMMAND's output passes through; the exit status is COMMAND's.\n"
                + "--set KEY=VALUE sets spark.tracestream.KEY (e.g. --set gc=false). The plugin jar is\n"
                + "--plugin-jar, $" + RecordCommand.JAR_ENV + ", or the one built in sparktrace/target.\n"
                + "Example: tracestream record --output traces -- spark-submit --master local[4] app.jar";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output", 'o', "DIR", "Where the traces go (required)")
                .flag("no-kernel", "Do not record kernel events")
                .value("kernel-events", "LIST", "Kernel events to record (default 'reports': scheduling, block I/O, "
                        + "interrupts; e.g. reports,syscalls)")
                .value("plugin-jar", "JAR", "The plugin jar (tracestream-sparktrace-plugin.jar)")
                .value("set", "KEY=VALUE", "Set spark.tracestream.KEY for the recording (repeatable)");
    }

    @Override
    public int run(Arguments args, Terminal terminal) {
        String output = args.value("output");
        if (output == null) {
            throw new UsageException("--output DIR is required");
        }
        List<String> command = args.positionals();
        if (command.isEmpty()) {
            throw new UsageException("no command given (put it after --)");
        }
        String jar = args.value("plugin-jar");
        Path dir = Path.of(output);
        KernelSession kernel = KernelSession.startFromOptions(args, "record", dir, terminal.err());
        try {
            return RecordCommand.record(dir.resolve("spark"), jar == null ? null : Path.of(jar), args.values("set"),
                    command, terminal.err());
        } finally {
            if (kernel != null) {
                kernel.close();
            }
        }
    }
}
