package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.List;

/**
 * CSV output (RFC 4180): for each table, a comment line {@code # TITLE [SUBTITLE] BEGIN END}, a header row of column
 * titles (unit in parentheses), its rows, then an empty line. Numbers are raw (durations and timestamps in ns,
 * ratios as fractions); a process is {@code name (tid)}.
 */
public final class Csv {
    private Csv() {
    }

    public static void write(List<AnalysisResult> results, PrintStream out) {
        for (AnalysisResult r : results) {
            for (AnalysisResult.Period p : r.periods()) {
                for (ResultTable t : p.tables()) {
                    out.print("# " + r.analysis().name() + ": " + t.fullTitle() + ", " + t.begin() + ", " + t.end()
                            + "\r\n");
                    StringBuilder h = new StringBuilder();
                    for (Column c : t.tableClass().columns()) {
                        if (h.length() > 0) {
                            h.append(',');
                        }
                        h.append(cell(c.title() + (c.unit() != null ? " (" + c.unit() + ")" : "")));
                    }
                    out.print(h + "\r\n");
                    for (List<Value> row : t.rows()) {
                        StringBuilder sb = new StringBuilder();
                        for (int i = 0; i < row.size(); i++) {
                            if (i > 0) {
                                sb.append(',');
                            }
                            sb.append(cell(row.get(i).text()));
                        }
                        out.print(sb + "\r\n");
                    }
                    out.print("\r\n");
                }
            }
        }
    }

    static String cell(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
