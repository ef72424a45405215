package io.tracestream.analyses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tracestream.analyses.html.HtmlReport;
import io.tracestream.analyses.html.ReportDom;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a small kernel trace written here (2 CPUs, three threads, one hard IRQ, 7 discarded events),
 * opened in headless Chromium: the timeline shows exactly the running intervals, the histograms the known latencies,
 * the warning the discarded events; runs without the shared traces.
 */
class HtmlReportScenarioTest {
    static final long T0 = 1_700_000_000L * KernelTraceWriter.S;
    static final long MS = 1_000_000L;
    @TempDir
    static Path tmp;
    static HtmlReport report;
    static List<AnalysisResult> results;
    static ReportDom dom;

    @BeforeAll
    static void render() throws IOException {
        ReportDom.assumeChromium();
        Path trace = tmp.resolve("kernel");
        try (KernelTraceWriter w = new KernelTraceWriter(trace)) {
            w.cpu(0);
            w.cpu(1);
            w.statedump(0, T0, 100, 100, "alpha");
            w.statedump(0, T0 + 1, 101, 100, "beta");
            w.statedump(1, T0, 102, 102, "gamma"); // both streams cover [T0, T0 + 6 ms]
            w.schedSwitch(0, T0 + MS, "swapper/0", 0, 0, "alpha", 100);
            w.wakeup(1, T0 + MS + MS / 5, "gamma", 102, 1);
            w.schedSwitch(1, T0 + MS + MS / 2, "swapper/1", 0, 0, "gamma", 102);
            w.event(1, "irq_handler_entry", T0 + 2 * MS).i32(19).string("eth0").end();
            w.event(1, "irq_handler_exit", T0 + 2 * MS + 10_000).i32(19).i32(1).end();
            w.cpu(1).discardEvents(7);
            w.cpu(1).flushPacket();
            w.schedSwitch(0, T0 + 3 * MS, "alpha", 100, 1, "beta", 101);
            w.schedSwitch(0, T0 + 4 * MS, "beta", 101, 1, "swapper/0", 0);
            w.wakeup(1, T0 + 5 * MS, "alpha", 100, 0);
            w.schedSwitch(1, T0 + 5 * MS + 1, "gamma", 102, 1, "swapper/1", 0);
            w.schedSwitch(0, T0 + 5 * MS + 50_000, "swapper/0", 0, 0, "alpha", 100);
            w.schedSwitch(0, T0 + 6 * MS, "alpha", 100, 1, "swapper/0", 0);
            w.wakeup(1, T0 + 6 * MS, "beta", 101, 1);
        }
        List<Analysis> asked = List.of(Analyses.byName("cputop"), Analyses.byName("schedstats"),
                Analyses.byName("irqstats"));
        report = new HtmlReport(asked, AnalysisConfig.defaults().withFlags(Set.of(SchedAnalysis.FLAG_TOTAL,
                SchedAnalysis.FLAG_PER_TID)));
        results = new LocalEngine().run(List.of(trace), report.analyses(), report.config());
        Path file = tmp.resolve("report.html");
        Files.writeString(file, report.render(results, new HtmlReport.Info("scenario", List.of(trace.toString()),
                ZoneOffset.UTC, null)));
        dom = ReportDom.load(file, "", tmp);
        assertEquals(T0, results.get(0).periods().get(0).begin());
        assertEquals(T0 + 6 * MS, results.get(0).periods().get(0).end());
        assertEquals(1, results.get(0).losses().size(), results.get(0).losses().toString());
    }

    @Test
    void noScriptErrorAndEveryTable() {
        assertEquals(List.of(), dom.jsErrors());
        dom.assertTablesMatch(report, results);
        // threadstates was only added for the timeline: no section of its own
        assertEquals(List.of("cputop", "schedstats", "irqstats"),
                dom.all("section", "ts-analysis").stream().map(e -> e.attr("data-name")).toList());
    }

    @Test
    void timelineShowsTheRunningIntervals() {
        assertEquals("raw", dom.byId("ts-timeline").attr("data-mode"));
        List<String> segs = new ArrayList<>();
        for (ReportDom.Element e : dom.all("rect", "ts-seg")) {
            segs.add(e.attr("data-cpu") + "/" + e.attr("data-tid") + "/" + e.attr("data-n"));
        }
        assertEquals(List.of("0/100/1", "0/101/1", "0/100/1", "1/102/1"), segs);
        assertEquals(List.of("0", "1"), dom.all("text", "ts-cpu-label").stream().map(e -> e.attr("data-cpu")).toList());
        // legend: threads by running time: gamma 3.5 ms, alpha 2.95 ms, beta 1 ms
        List<String> legend = new ArrayList<>();
        String d = dom.text();
        int from = d.indexOf("id=\"ts-legend\"");
        for (ReportDom.Element e : dom.all("span", null)) {
            if (e.attr("data-tid") != null) {
                legend.add(e.attr("data-tid"));
            }
        }
        assertTrue(from > 0);
        assertEquals(List.of("102", "100", "101"), legend);
    }

    @Test
    void histogramsOfTheKnownLatencies() {
        ReportDom.Element sched = dom.all("svg", "ts-hist").stream()
                .filter(e -> "all threads".equals(e.attr("data-series"))).findFirst().orElseThrow();
        assertEquals("2", sched.attr("data-total")); // gamma: 300 us, alpha: 50 us
        List<Long> lows = new ArrayList<>();
        for (ReportDom.Element r : dom.all("rect", "ts-hbar")) {
            lows.add(Long.parseLong(r.attr("data-lo")));
        }
        // 50 us and 300 us, each in its bucket [lo, hi); then the IRQ's 10 us
        assertTrue(lows.size() >= 3, lows.toString());
        assertTrue(lows.get(0) <= 50_000 && lows.get(1) <= 300_000 && lows.get(1) > 50_000, lows.toString());
        ReportDom.Element irq = dom.all("svg", "ts-hist").stream()
                .filter(e -> "IRQ 19".equals(e.attr("data-series"))).findFirst().orElseThrow();
        assertEquals("1", irq.attr("data-total"));
    }

    @Test
    void discardedEventsWarning() {
        ReportDom.Element w = dom.byId("ts-discarded");
        assertNotNull(w, "warning shown");
        AnalysisResult.Loss loss = results.get(0).losses().get(0);
        assertEquals(Long.toString(results.get(0).discardedEvents()), w.attr("data-events"));
        assertEquals(1, dom.all("li", "ts-loss-item").size());
        String item = dom.all("li", "ts-loss-item").get(0).inner();
        assertTrue(item.startsWith((loss.count() >= 0 ? loss.count() : "unknown number of") + " events in "
                + loss.stream()), item);
    }

    @Test
    void histogramBucketsTileTheLine() {
        long prev = 0;
        for (int i = 0; i < 488; i++) {
            assertEquals(prev, Histogram.lower(i), "bucket " + i);
            assertEquals(i, Histogram.index(Histogram.lower(i)));
            if (Histogram.upper(i) != Long.MAX_VALUE) {
                assertEquals(i, Histogram.index(Histogram.upper(i) - 1));
                assertTrue(Histogram.upper(i) - Histogram.lower(i) <= Math.max(1, Histogram.lower(i) / 8));
            }
            prev = Histogram.upper(i);
        }
        assertEquals(487, Histogram.index(Long.MAX_VALUE));
    }
}
