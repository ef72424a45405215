package io.tracestream.sparktrace.cli;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;
import io.tracestream.sparktrace.RecordCommand;

import java.nio.file.Path;
import java.util.List;

/** {@code tracestream record --output DIR -- COMMAND...}: runs a Spark program with the tracing plugin. */
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
        return "--output DIR [--plugin-jar JAR] [--set KEY=VALUE]... -- COMMAND...";
    }

    @Override
    public String description() {
        return "Runs COMMAND with the TraceStream Spark plugin enabled in every JVM it starts (through\n"
                + "JDK_JAVA_OPTIONS=-javaagent:tracestream-sparktrace-plugin.jar), so each Spark driver and executor\n"
                + "process writes a CTF trace under DIR/APP_ID/. COMMAND's output passes through; the exit status is\n"
                + "COMMAND's. --set KEY=VALUE sets spark.tracestream.KEY (e.g. --set gc=false). The plugin jar is\n"
                + "--plugin-jar, $" + RecordCommand.JAR_ENV + ", or the one built in sparktrace/target.\n"
                + "Example: tracestream record --output traces -- spark-submit --master local[4] app.jar";
    }

    @Override
    public Options options() {
        return new Options()
                .value("output", 'o', "DIR", "Where the traces go (required)")
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
        return RecordCommand.record(Path.of(output), jar == null ? null : Path.of(jar), args.values("set"), command,
                terminal.err());
    }
}
