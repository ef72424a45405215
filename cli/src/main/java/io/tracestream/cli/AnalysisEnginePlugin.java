package io.tracestream.cli;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import java.nio.file.Path;
import java.util.List;

/**
 * An analysis engine loaded as a plugin ({@link Plugins}): {@code tracestream analyze --engine spark} finds the
 * plugin command {@code analyze.spark} (module {@code spark}), which implements this interface besides
 * {@link Command}, and runs the analyses through it instead of the in-process engine. Same configuration in, same
 * results out; the CLI renders them.
 */
public interface AnalysisEnginePlugin {

    /**
     * Runs {@code analyses} over the traces under {@code paths}.
     *
     * @param master   the cluster's master URL, or null for an embedded local engine
     * @param terminal for progress on standard error
     */
    List<AnalysisResult> run(List<Path> paths, List<Analysis> analyses, AnalysisConfig config, String master,
            Terminal terminal);
}
