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

/** {@code tracestream demo spark --output DIR}: records the bundled demo application with the tracing plugin. */
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
        return "spark --output DIR [--master URL] [--scale N]";
    }

    @Override
    public String description() {
        return "Runs a small Spark application with the tracing plugin and writes its traces (one per driver or\n"
                + "executor process) under DIR/APP_ID/. Its three jobs each have a deliberate problem:\n"
                + "  straggler  8 equal CPU-bound tasks; the task of partition " + DemoJob.STRAGGLER_PARTITION
                + " computes 8x longer\n"
                + "  skew       a shuffle where 80% of the records have one key (one reduce task gets most data)\n"
                + "  io         4 tasks writing files with an fsync after every MiB (blocked on the disk)\n"
                + "Local mode (local[2]) unless --master; --scale multiplies the work.";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output", 'o', "DIR", "Where the traces go (required)")
                .value("master", "URL", "Spark master (default local[2]), e.g. spark://HOST:7077")
                .value("scale", "N", "Multiply the work by N (1 to 1000, default 1)");
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
        Path app;
        try {
            app = DemoJob.record(Path.of(output), args.value("master", "local[2]"), (int) scale);
        } catch (IllegalStateException e) {
            throw new UsageException(e.getMessage()); // the plugin jar is missing for --master
        }
        List<Path> traces = TraceDirs.list(app);
        terminal.println("recorded " + traces.size() + " trace(s) in " + app);
        for (Path t : traces) {
            terminal.println("  " + t);
        }
        return traces.isEmpty() ? 1 : 0;
    }
}
