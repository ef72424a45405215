package io.tracestream.spark.analyses;

import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Lami;
import io.tracestream.analyses.TextStyle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Analysis results rendered for comparison: lttng-analyses' text layout (UTC) of every period, the LAMI document
 * (with our discarded-events extension) and the losses, one string. Two engines agree when these are equal.
 */
public final class Rendered {
    private Rendered() {
    }

    public static String text(List<AnalysisResult> results) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        for (AnalysisResult r : results) {
            out.println("=== " + r.analysis().name() + " ===");
            for (AnalysisResult.Period p : r.periods()) {
                r.analysis().printText(p.tables(), p.begin(), p.end(), r.config(), TextStyle.utc(), out);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    public static String lami(List<AnalysisResult> results) {
        return Lami.results(results);
    }

    public static String losses(List<AnalysisResult> results) {
        StringBuilder b = new StringBuilder();
        for (AnalysisResult r : results) {
            b.append(r.analysis().name()).append(": ").append(r.losses()).append('\n');
        }
        return b.toString();
    }

    /** Everything: text, LAMI, losses. */
    public static String all(List<AnalysisResult> results) {
        return text(results) + "\n" + lami(results) + "\n" + losses(results);
    }
}
