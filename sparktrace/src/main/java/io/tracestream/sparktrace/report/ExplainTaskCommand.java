package io.tracestream.sparktrace.report;

import io.tracestream.cli.Arguments;
import io.tracestream.cli.Command;
import io.tracestream.cli.Options;
import io.tracestream.cli.Terminal;
import io.tracestream.cli.UsageException;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code tracestream explain-task DIR TASK_ID}: why was this task slow — its metrics against its stage's median, its
 * kernel time breakdown, the GC pauses during it, and the verdict in one sentence (first line).
 */
public final class ExplainTaskCommand implements Command {
    @Override
    public String name() {
        return "explain-task";
    }

    @Override
    public String summary() {
        return "Explain why a Spark task was slow (metrics vs its stage, kernel time, GC)";
    }

    @Override
    public String synopsis() {
        return "DIR TASK_ID";
    }

    @Override
    public String description() {
        return "DIR holds the traces of the tracestream Spark plugin (and optionally a kernel trace); TASK_ID is\n"
                + "Spark's task id (as in the Spark UI and 'spark-report'). The first line is the verdict.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(Arguments args, Terminal terminal) throws IOException {
        List<String> pos = args.positionals();
        if (pos.size() != 2) {
            throw new UsageException("expected DIR TASK_ID");
        }
        long id;
        try {
            id = Long.parseLong(pos.get(1));
        } catch (NumberFormatException e) {
            throw new UsageException("TASK_ID must be a number, got '" + pos.get(1) + "'");
        }
        SparkReport r = SparkReportCommand.load(Path.of(pos.get(0)));
        SparkApp.Task t = r.app().task(id);
        if (t == null) {
            throw new UsageException(pos.get(0) + ": no task " + id + " (tasks " + r.app().tasks().get(0).id + " to "
                    + r.app().tasks().get(r.app().tasks().size() - 1).id + ")");
        }
        terminal.println(r.explainer().explain(t).stripTrailing());
        return 0;
    }
}
