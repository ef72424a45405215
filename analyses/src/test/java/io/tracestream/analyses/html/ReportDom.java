package io.tracestream.analyses.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.Value;
import io.tracestream.ctf.testing.Exec;
import io.tracestream.ctf.testing.ProcessResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;

/**
 * Test helper: renders an HTML report in headless Chromium ({@code --dump-dom}: the DOM after the page's scripts ran)
 * and reads the elements the report's JavaScript built. Skips when Chromium is absent.
 */
public final class ReportDom {
    private static final Pattern ATTR = Pattern.compile("\\s+([\\w:-]+)(?:=\"([^\"]*)\")?");
    private final String dom;

    private ReportDom(String dom) {
        this.dom = dom;
    }

    /** The Chromium program, or a skipped test. */
    public static String assumeChromium() {
        for (String p : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
            if (Files.isExecutable(Path.of(p))) {
                return p;
            }
        }
        for (String p : List.of("chromium", "chromium-browser")) {
            if (Exec.onPath(p)) {
                return p;
            }
        }
        Assumptions.abort("headless Chromium is not installed (Debian package chromium; scripts/setup.sh installs it)");
        return null;
    }

    /** Loads {@code file} (with URL fragment {@code fragment}, may be empty) and returns its DOM after the scripts. */
    public static ReportDom load(Path file, String fragment, Path tmp) throws IOException {
        String chromium = assumeChromium();
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path out = tmp.resolve("dom-" + System.nanoTime() + ".html");
        ProcessResult r = Exec.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=" + profile, "--window-size=1400,2000", "--virtual-time-budget=20000",
                "--dump-dom", file.toUri() + (fragment.isEmpty() ? "" : "#" + fragment))
                .stdoutTo(out).timeout(Duration.ofMinutes(3)).run();
        String dom = Files.readString(out, StandardCharsets.UTF_8);
        assertTrue(r.exitCode() == 0 && dom.contains("</html>"), "chromium failed: " + r.stderr());
        return new ReportDom(dom);
    }

    public String text() {
        return dom;
    }

    /** One element: its attributes and (for elements with text) the raw inner text up to the next tag. */
    public record Element(Map<String, String> attrs, String inner) {
        public String attr(String name) {
            return attrs.get(name);
        }

        public boolean hasClass(String c) {
            String v = attrs.get("class");
            return v != null && List.of(v.split(" ")).contains(c);
        }
    }

    /** Start tags {@code <tag ...>} in document order, within [from, to) of the DOM text. */
    List<Element> elements(String tag, int from, int to) {
        Pattern p = Pattern.compile("<" + tag + "((?:\\s+[\\w:-]+(?:=\"[^\"]*\")?)*)\\s*/?>([^<]*)");
        Matcher m = p.matcher(dom);
        m.region(from, to);
        List<Element> out = new ArrayList<>();
        while (m.find()) {
            Map<String, String> attrs = new LinkedHashMap<>();
            Matcher a = ATTR.matcher(m.group(1));
            while (a.find()) {
                attrs.put(a.group(1), a.group(2) == null ? "" : unescape(a.group(2)));
            }
            out.add(new Element(attrs, unescape(m.group(2))));
        }
        return out;
    }

    /** Start tags of that element with that class. */
    public List<Element> all(String tag, String cls) {
        return elements(tag, 0, dom.length()).stream().filter(e -> cls == null || e.hasClass(cls)).toList();
    }

    /** The first element with that id, or null. */
    public Element byId(String id) {
        int at = dom.indexOf(" id=\"" + id + "\"");
        if (at < 0) {
            return null;
        }
        int start = dom.lastIndexOf('<', at);
        List<Element> e = elements("[\\w-]+", start, dom.indexOf('>', at) + 1);
        return e.isEmpty() ? null : e.get(0);
    }

    /** The messages of JavaScript errors the page's window.onerror recorded. */
    public List<String> jsErrors() {
        return all("p", "ts-js-error").stream().map(Element::inner).toList();
    }

    /** The result tables the page built: per table, its attributes and the data-v of each cell, row by row. */
    public List<DomTable> tables() {
        List<DomTable> out = new ArrayList<>();
        Matcher m = Pattern.compile("<table class=\"ts-table\"").matcher(dom);
        while (m.find()) {
            int end = dom.indexOf("</table>", m.start());
            Element t = elements("table", m.start(), end).get(0);
            List<List<String>> rows = new ArrayList<>();
            int tbody = dom.indexOf("<tbody", m.start());
            for (String tr : dom.substring(tbody, end).split("<tr")) {
                List<String> cells = new ArrayList<>();
                for (Element td : new ReportDom(tr).elements("td", 0, tr.length())) {
                    cells.add(td.attr("data-v"));
                }
                if (!cells.isEmpty()) {
                    rows.add(cells);
                }
            }
            out.add(new DomTable(t.attr("data-cls"), Integer.parseInt(t.attr("data-rows")), rows));
        }
        return out;
    }

    /** A table as the page shows it (its first page). */
    public record DomTable(String cls, int rowCount, List<List<String>> rows) {
    }

    static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    /**
     * Asserts that the page's tables are the report's shown tables of period 0 of each requested result, in order,
     * with their row counts, and that the first page of each shows the table's first rows, cell by cell (numbers
     * compared as numbers, everything else as its CSV/LAMI text).
     */
    public void assertTablesMatch(HtmlReport report, List<AnalysisResult> results) {
        List<ResultTable> expected = new ArrayList<>();
        for (AnalysisResult r : results) {
            if (report.requested(r) && !r.periods().isEmpty()) {
                expected.addAll(report.shownTables(r, 0));
            }
        }
        List<DomTable> shown = tables();
        assertEquals(expected.size(), shown.size(), "tables on the page");
        for (int i = 0; i < expected.size(); i++) {
            ResultTable t = expected.get(i);
            DomTable d = shown.get(i);
            assertEquals(t.tableClass().name(), d.cls(), "table " + i);
            assertEquals(t.rows().size(), d.rowCount(), "rows of " + t.fullTitle());
            assertEquals(Math.min(100, t.rows().size()), d.rows().size(), "rows shown of " + t.fullTitle());
            for (int r = 0; r < d.rows().size(); r++) {
                List<Value> row = t.rows().get(r);
                assertEquals(row.size(), d.rows().get(r).size(), t.fullTitle() + " row " + r);
                for (int c = 0; c < row.size(); c++) {
                    assertCell(row.get(c), d.rows().get(r).get(c), t.fullTitle() + " row " + r + " col " + c);
                }
            }
        }
    }

    static void assertCell(Value v, String shown, String where) {
        if (v instanceof Value.Num n && !n.integral()) {
            assertEquals(n.doubleValue(), Double.parseDouble(shown), where);
        } else {
            assertEquals(v.text(), shown, where);
        }
    }
}
