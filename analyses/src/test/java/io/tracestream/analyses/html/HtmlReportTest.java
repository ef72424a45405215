package io.tracestream.analyses.html;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Histogram;
import io.tracestream.analyses.Lami;
import io.tracestream.analyses.LocalEngine;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.Value;
import io.tracestream.ctf.testing.SharedTraces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of {@code analyze all} on a real kernel trace (Trace Compass' many-threads: 8 CPUs, 15k running
 * intervals), opened in headless Chromium: no script error, every table of the run with its rows, usage bars,
 * histograms whose counts equal the statistics tables (which equal lttng-analyses'), the CPU timeline raw and
 * aggregated, and tables identical to those of a run without the report's extra flags (LAMI text compared).
 */
class HtmlReportTest {
    @TempDir
    static Path tmp;
    static Path trace;
    static HtmlReport report;
    static List<AnalysisResult> results;
    static Path file;
    static ReportDom dom;

    @BeforeAll
    static void render() throws IOException {
        trace = SharedTraces.path("tracecompass/many-threads");
        ReportDom.assumeChromium();
        report = new HtmlReport(Analyses.all(), AnalysisConfig.defaults());
        results = new LocalEngine().run(List.of(trace), report.analyses(), report.config());
        file = tmp.resolve("report.html");
        Files.writeString(file, report.render(results, new HtmlReport.Info("many-threads", List.of(trace.toString()),
                ZoneOffset.UTC, "test")));
        dom = ReportDom.load(file, "", tmp);
    }

    @Test
    void rendersWithoutScriptErrorsAndOffline() throws IOException {
        assertEquals(List.of(), dom.jsErrors());
        assertTrue(dom.text().contains("data-ts-ready=\"true\""), "the report script ran to its end");
        String html = Files.readString(file);
        assertFalse(java.util.regex.Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find(),
                "no external resource");
        assertFalse(html.contains("@import") || html.contains("url(http"), "no external CSS resource");
        ReportDom.Element range = dom.byId("ts-range");
        assertNotNull(range);
        assertEquals(Long.toString(results.get(0).periods().get(0).begin()), range.attr("data-begin"));
        assertEquals(Long.toString(results.get(0).periods().get(0).end()), range.attr("data-end"));
        List<String> sections = dom.all("section", "ts-analysis").stream().map(e -> e.attr("data-name")).toList();
        assertEquals(Analyses.names(), sections);
    }

    @Test
    void everyTableWithItsRows() {
        dom.assertTablesMatch(report, results);
    }

    @Test
    void tablesEqualThoseOfAPlainRun() {
        List<AnalysisResult> plain = new LocalEngine().run(List.of(trace), Analyses.all(), AnalysisConfig.defaults());
        assertEquals(Lami.results(plain), Lami.results(shownOnly(results)));
    }

    /** The results with only the tables the report lists (no histogram, no intervals). */
    private static List<AnalysisResult> shownOnly(List<AnalysisResult> rs) {
        List<AnalysisResult> out = new ArrayList<>();
        for (AnalysisResult r : rs) {
            if (!report.requested(r)) {
                continue;
            }
            List<AnalysisResult.Period> ps = new ArrayList<>();
            for (int i = 0; i < r.periods().size(); i++) {
                AnalysisResult.Period p = r.periods().get(i);
                ps.add(new AnalysisResult.Period(p.begin(), p.end(), report.shownTables(r, i)));
            }
            out.add(new AnalysisResult(r.analysis(), r.config(), ps, r.losses()));
        }
        return out;
    }

    private static ResultTable table(String analysis, String cls) {
        for (AnalysisResult r : results) {
            if (r.analysis().name().equals(analysis)) {
                return r.table(0, cls);
            }
        }
        throw new AssertionError("no " + analysis);
    }

    @Test
    void cpuUsageBars() {
        ResultTable perTid = table("cputop", "per-process");
        List<ReportDom.Element> charts = dom.all("svg", "ts-bars");
        ReportDom.Element chart = charts.stream().filter(e -> "per-process".equals(e.attr("data-table"))).findFirst()
                .orElseThrow();
        assertEquals(Math.min(25, perTid.rows().size()), Integer.parseInt(chart.attr("data-count")));
        Set<String> expected = new TreeSet<>();
        for (List<Value> row : perTid.rows()) {
            expected.add(row.get(0).text());
        }
        List<ReportDom.Element> bars = dom.all("g", "ts-bar");
        Set<String> labels = new TreeSet<>();
        for (ReportDom.Element b : bars) {
            labels.add(b.attr("data-label"));
        }
        assertTrue(labels.containsAll(expected), labels + " has " + expected);
        ResultTable perCpu = table("cputop", "per-cpu");
        for (List<Value> row : perCpu.rows()) {
            String label = "CPU " + row.get(0).text();
            ReportDom.Element bar = bars.stream().filter(b -> label.equals(b.attr("data-label"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no bar " + label));
            assertEquals(((Value.Num) row.get(1)).asDouble(), Double.parseDouble(bar.attr("data-value")));
        }
    }

    /** Histogram totals of the page's default series, by group. */
    private static Map<String, ReportDom.Element> histogramCharts() {
        Map<String, ReportDom.Element> out = new HashMap<>();
        for (ReportDom.Element e : dom.all("svg", "ts-hist")) {
            out.put(e.attr("data-series"), e);
        }
        return out;
    }

    @Test
    void latencyHistogramsCountWhatTheStatisticsCount() {
        // scheduling latency: all threads = the sum of the per-TID counts (equal to lttng-analyses')
        long sched = 0;
        for (List<Value> row : table("schedstats", "per_tid_stats").rows()) {
            sched += ((Value.Num) row.get(1)).longValue();
        }
        Map<String, ReportDom.Element> charts = histogramCharts();
        ReportDom.Element all = charts.get("all threads");
        assertNotNull(all, "scheduling latency histogram");
        assertEquals(sched, Long.parseLong(all.attr("data-total")));
        // the bars of that chart: one per non-empty bucket, counts adding up
        ResultTable h = table("schedstats", Histogram.TABLE.name());
        long buckets = h.rows().stream().filter(r -> r.get(1).text().equals("all threads")).count();
        String d = dom.text();
        int from = d.indexOf("data-series=\"all threads\"");
        int to = d.indexOf("</svg>", from);
        List<ReportDom.Element> bars = dom.elements("rect", from, to).stream().filter(e -> e.hasClass("ts-hbar"))
                .toList();
        assertEquals(buckets, bars.size());
        assertEquals(sched, bars.stream().mapToLong(b -> Long.parseLong(b.attr("data-count"))).sum());
        // system calls: the default series is the most frequent call; its count is the per-TID tables' sum
        Map<String, Long> calls = new HashMap<>();
        for (AnalysisResult r : results) {
            if (r.analysis().name().equals("syscallstats")) {
                for (ResultTable t : r.periods().get(0).tables()) {
                    if (t.tableClass().name().equals("per-tid")) {
                        for (List<Value> row : t.rows()) {
                            calls.merge(row.get(0).text(), ((Value.Num) row.get(1)).longValue(), Long::sum);
                        }
                    }
                }
            }
        }
        String top = calls.entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
        ReportDom.Element sys = charts.get(top);
        assertNotNull(sys, "syscall histogram of " + top);
        assertEquals(calls.get(top), Long.parseLong(sys.attr("data-total")));
        // hard IRQs: per line, the histogram count is the table's count
        ResultTable hard = table("irqstats", "hard-stats");
        Map<String, Long> irqCounts = new HashMap<>();
        for (List<Value> row : table("irqstats", Histogram.TABLE.name()).rows()) {
            if (row.get(0).text().equals("Hard IRQ duration")) {
                irqCounts.merge(row.get(1).text(), ((Value.Num) row.get(4)).longValue(), Long::sum);
            }
        }
        assertFalse(hard.rows().isEmpty());
        for (List<Value> row : hard.rows()) {
            assertEquals(((Value.Num) row.get(1)).longValue(),
                    irqCounts.get("IRQ " + ((Value.Irq) row.get(0)).nr()), row.get(0).text());
        }
    }

    @Test
    void histogramsIndependentOfSplits() {
        List<io.tracestream.analyses.Analysis> some = List.of(Analyses.byName("schedstats"),
                Analyses.byName("irqstats"), Analyses.byName("syscallstats"));
        List<AnalysisResult> split = new LocalEngine().splitsPerStream(3).run(List.of(trace), some, report.config());
        for (AnalysisResult r : split) {
            ResultTable mine = r.table(0, Histogram.TABLE.name());
            ResultTable whole = table(r.analysis().name(), Histogram.TABLE.name());
            assertNotNull(mine, r.analysis().name());
            assertFalse(mine.rows().isEmpty(), r.analysis().name());
            assertEquals(text(whole), text(mine), r.analysis().name());
        }
    }

    private static List<String> text(ResultTable t) {
        return t.rows().stream().map(row -> row.stream().map(Value::text).toList().toString()).toList();
    }

    /** (cpu, tid) of every running interval of the run. */
    private static Set<String> runningPairs() {
        Set<String> pairs = new HashSet<>();
        for (AnalysisResult r : results) {
            if (r.analysis().name().equals("threadstates")) {
                for (List<Value> row : r.table(0, "thread-state-intervals").rows()) {
                    if (row.get(1).text().equals("running")) {
                        pairs.add(row.get(5).text() + "/" + ((Value.Process) row.get(0)).tid());
                    }
                }
            }
        }
        return pairs;
    }

    @Test
    void cpuTimelineRawAndAggregated() throws IOException {
        Set<String> pairs = runningPairs();
        Set<String> cpus = new TreeSet<>();
        for (String p : pairs) {
            cpus.add(p.substring(0, p.indexOf('/')));
        }
        List<ReportDom.Element> labels = dom.all("text", "ts-cpu-label");
        assertEquals(cpus, new TreeSet<>(labels.stream().map(e -> e.attr("data-cpu")).toList()));
        assertEquals("raw", dom.byId("ts-timeline").attr("data-mode"));
        checkSegments(dom, pairs, cpus);
        // the same timeline in a smaller report (cputop only) for the other views
        Path small = tmp.resolve("cputop.html");
        Files.writeString(small, new HtmlReport(List.of(Analyses.byName("cputop")), AnalysisConfig.defaults())
                .render(results, new HtmlReport.Info("many-threads", List.of(trace.toString()), ZoneOffset.UTC,
                        null)));
        ReportDom agg = ReportDom.load(small, "agg", tmp);
        assertEquals(List.of(), agg.jsErrors());
        assertEquals("aggregated", agg.byId("ts-timeline").attr("data-mode"));
        checkSegments(agg, pairs, cpus);
        // zoomed on 1 ms from 100 ms in: the view follows the URL, raw intervals
        ReportDom zoomed = ReportDom.load(small, "t=100000000,101000000", tmp);
        assertEquals("100000000,101000000", zoomed.byId("ts-timeline").attr("data-view"));
        assertEquals("raw", zoomed.byId("ts-timeline").attr("data-mode"));
        checkSegments(zoomed, pairs, cpus);
    }

    private static void checkSegments(ReportDom d, Set<String> pairs, Set<String> cpus) {
        List<ReportDom.Element> segs = d.all("rect", "ts-seg");
        assertFalse(segs.isEmpty());
        Set<String> segCpus = new TreeSet<>();
        for (ReportDom.Element s : segs) {
            String pair = s.attr("data-cpu") + "/" + s.attr("data-tid");
            assertTrue(pairs.contains(pair), "segment of a thread that did not run there: " + pair);
            segCpus.add(s.attr("data-cpu"));
        }
        assertEquals(cpus, segCpus);
    }
}
