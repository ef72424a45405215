package io.tracestream.analyses;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** Runs analyses in-process and renders them as lttng-analyses would (text without our loss warnings, LAMI). */
final class Render {
    private Render() {
    }

    static List<AnalysisResult> run(Path trace, AnalysisConfig config, LocalEngine engine, Analysis... analyses) {
        return engine.run(List.of(trace), List.of(analyses), config);
    }

    static String text(List<AnalysisResult> results) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        for (AnalysisResult r : results) {
            for (AnalysisResult.Period p : r.periods()) {
                r.analysis().printText(p.tables(), p.begin(), p.end(), r.config(), TextStyle.utc(), out);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    /** LAMI results without our discarded-events extension (lttng-analyses does not report losses). */
    static String lami(List<AnalysisResult> results) {
        return Lami.results(results).replaceAll(", \"discarded-events\": \\d+, \"discarded-packets\": \\d+}$", "}");
    }

    static String text(Path trace, AnalysisConfig config, String name) {
        return text(run(trace, config, new LocalEngine(), Analyses.byName(name)));
    }

    static String lami(Path trace, AnalysisConfig config, String name) {
        return lami(run(trace, config, new LocalEngine(), Analyses.byName(name)));
    }

    /** Trailing blank lines removed (the integration tests' expected files have no final newline). */
    static String trimEnd(String s) {
        return s.replaceAll("\\s+$", "");
    }
}
