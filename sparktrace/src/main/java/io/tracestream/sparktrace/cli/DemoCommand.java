package io.tracestream.sparktrace.cli;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.sparktrace.DemoJob;
import io.tracestream.sparktrace.TraceDirs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tracestream demo spark --output DIR}: records the bundled demo application with the tracing plugin
 * ({@code DIR/spark/APP_ID/}) and, when this process may use ftrace, the kernel ({@code DIR/kernel}).
 */
public final class DemoCommand implements Command {
    @Override
    public String name() {
        return "demo";
    }

    @Override
    public String summary() {
        return "Record a demo Spark application with a straggler, a skewed and an I/O-bound stage";
    }

    @Override
    public String synopsis() {
        return "spark --output DIR [--master URL] [--scale N] [--no-kernel] [--kernel-events LIST] [--plugin-jar JAR]";
    }

    @Override
    public String description() {
        return "Runs a small Spark application with the tracing plugin and writes its traces (one per driver or\n"
                + "executor process) under DIR/spark/APP_ID/ and the kernel's events (ftrace, as 'record') under\n"
                + "DIR/kernel; 'spark-report DIR' then explains it. Its three jobs each have a deliberate problem:\n"
                + "  straggler  8 equal CPU-bound tasks; the task of partition " + DemoJob.STRAGGLER_PARTITION
                + " computes 8x longer\n"
                + "  skew       a shuffle where 80% of the records have one key (one reduce task gets most data)\n"
                + "  io         4 tasks writing files with an fsync after every MiB (blocked on the disk)\n"
                + "Local mode (local[2]) unless --master; --scale multiplies the work. With --master the plugin jar\n"
                + "(also holding the demo's code) goes to the executors, and the command waits (up to 60 s) for the\n"
                + "executors on this host to close their traces.";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output", 'o', "DIR", "Where the traces go (required)")
                .value("master", "URL", "Spark master (default local[2]), e.g. spark://HOST:7077")
                .value("scale", "N", "Multiply the work by N (1 to 1000, default 1)")
                .flag("no-kernel", "Do not record kernel events")
                .value("kernel-events", "LIST", "Kernel events to record (default 'reports': scheduling, block I/O, "
                        + "interrupts; e.g. reports,syscalls)")
                .value("plugin-jar", "JAR", "The plugin jar for the executors of --master (default: as 'record')");
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> pos = args.positionals();
        if (pos.size() != 1 || !pos.get(0).equals("spark")) {
            throw new UsageException(pos.isEmpty() ? "which demo? (the only one is 'spark')"
                    : "unknown demo '" + String.join(" ", pos) + "' (the only one is 'spark')");
        }
        String output = args.value("output");
        if (output == null) {
            throw new UsageException("--output DIR is required");
        }
        long scale = args.longValue("scale", 1);
        if (scale < 1 || scale > 1000) {
            throw new UsageException("--scale must be from 1 to 1000, got " + scale);
        }
        String master = args.value("master", "local[2]");
        String jar = args.value("plugin-jar");
        Path dir = Path.of(output);
        KernelSession kernel = KernelSession.startFromOptions(args, "demo spark", dir, terminal.err());
        Path app;
        try {
            app = DemoJob.record(dir.resolve("spark"), master, (int) scale, jar == null ? null : Path.of(jar));
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage()); // the plugin jar is missing for --master
        } finally {
            if (kernel != null) {
                kernel.close();
            }
        }
        if (!master.startsWith("local")) {
            try {
                if (!TraceDirs.awaitClosed(app, 60_000)) {
                    terminal.err().println("demo spark: some traces under " + app + " are not closed yet (executors"
                            + " still stopping, or on other hosts)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<Path> traces = TraceDirs.list(app);
        terminal.println("recorded " + traces.size() + " trace(s) in " + app);
        for (Path t : traces) {
            terminal.println("  " + t);
        }
        return traces.isEmpty() ? 1 : 0;
    }
}
