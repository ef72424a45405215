package io.tracestream.analyses.html;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.Column;
import io.tracestream.analyses.Histogram;
import io.tracestream.analyses.ResultTable;
import io.tracestream.analyses.ThreadStatesAnalysis;
import io.tracestream.analyses.Value;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The HTML report of an analysis run ({@code tracestream analyze NAME PATH --format html}): one self-contained file
 * (inline CSS, JavaScript and SVG; no network, no external font) with usage bars, latency histograms, a zoomable
 * per-CPU timeline of the running threads, every result table (sortable, paged), the time range and the discarded
 * events warnings.
 *
 * <p>Use: {@code HtmlReport r = new HtmlReport(requested, config)}; run {@link #analyses()} with {@link #config()}
 * (they add the {@code threadstates} analysis for the timeline and the histogram flag to what was asked); then
 * {@link #write}. Tables of analyses only added for the report, histogram tables and (unless asked for with the
 * intervals flag) the thread state intervals are not listed as tables: the charts show them.
 */
public final class HtmlReport {
    /** Raw running intervals kept for the timeline up to this count (beyond: aggregated levels only). */
    static final int RAW_MAX = 200_000;
    /** Cells (CPUs x buckets) of one aggregated timeline level at most. */
    static final int LEVEL_CELLS = 262_144;

    private final List<Analysis> requested;
    private final AnalysisConfig userConfig;
    private final boolean showIntervals;

    /** What the report needs to run: the requested analyses and the user's configuration. */
    public HtmlReport(List<Analysis> requested, AnalysisConfig userConfig) {
        this.requested = List.copyOf(requested);
        this.userConfig = userConfig;
        this.showIntervals = userConfig.flags().contains(ThreadStatesAnalysis.FLAG_INTERVALS);
    }

    /** The analyses to run: those requested, and {@code threadstates} (for the timeline) when it is not one. */
    public List<Analysis> analyses() {
        List<Analysis> all = new ArrayList<>(requested);
        if (all.stream().noneMatch(a -> a instanceof ThreadStatesAnalysis)) {
            all.add(new ThreadStatesAnalysis());
        }
        return all;
    }

    /** The configuration to run them with: the user's, plus the state intervals and the histograms. */
    public AnalysisConfig config() {
        Set<String> flags = new HashSet<>(userConfig.flags());
        flags.add(ThreadStatesAnalysis.FLAG_INTERVALS);
        flags.add(Histogram.FLAG);
        return userConfig.withFlags(flags);
    }

    /** True when the result belongs to an analysis the user asked for. */
    public boolean requested(AnalysisResult r) {
        return requested.stream().anyMatch(a -> a.name().equals(r.analysis().name()));
    }

    /** The tables of one period of a result that the report lists as tables (in order, empty ones included). */
    public List<ResultTable> shownTables(AnalysisResult r, int period) {
        List<ResultTable> out = new ArrayList<>();
        if (!requested(r)) {
            return out;
        }
        for (ResultTable t : r.periods().get(period).tables()) {
            if (t.tableClass().equals(Histogram.TABLE)) {
                continue;
            }
            if (!showIntervals && t.tableClass().name().equals("thread-state-intervals")) {
                continue;
            }
            out.add(t);
        }
        return out;
    }

    /**
     * What the report says about where it comes from.
     *
     * @param title   the page title
     * @param traces  the trace paths, as given
     * @param zone    the time zone of displayed times
     * @param command the command line (or null)
     */
    public record Info(String title, List<String> traces, ZoneId zone, String command) {
    }

    /** The report of the results of {@link #analyses()} run with {@link #config()}. */
    public String render(List<AnalysisResult> results, Info info) {
        StringBuilder data = new StringBuilder(1 << 16);
        writeData(new Json(data), results, info);
        StringBuilder html = new StringBuilder(data.length() + 65536);
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<meta name=\"generator\" content=\"TraceStream\">\n<title>")
                .append(escape(info.title())).append("</title>\n<style>\n").append(resource("report.css"))
                .append("</style>\n</head>\n<body>\n")
                .append("<div id=\"ts-errors\" hidden></div>\n")
                .append("<script>window.onerror=function(m,s,l,c){var e=document.getElementById('ts-errors');")
                .append("e.hidden=false;var p=document.createElement('p');p.className='ts-js-error';")
                .append("p.textContent='JavaScript error: '+m+' (line '+l+':'+c+')';e.appendChild(p);};</script>\n")
                .append("<header><h1>").append(escape(info.title())).append("</h1></header>\n")
                .append("<noscript><p class=\"warn\">This report draws its charts and tables with JavaScript:")
                .append(" enable it to see them.</p></noscript>\n")
                .append("<main id=\"ts-report\"></main>\n")
                .append("<script type=\"application/json\" id=\"ts-data\">").append(data).append("</script>\n")
                .append("<script>\n").append(resource("report.js")).append("</script>\n</body>\n</html>\n");
        return html.toString();
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Columns shown as bars, per analysis name and table class name. */
    private static final Map<String, String> BARS = Map.ofEntries(
            Map.entry("cputop/per-process", "usage"), Map.entry("cputop/per-cpu", "usage"),
            Map.entry("memtop/allocd", "pages"), Map.entry("memtop/freed", "pages"),
            Map.entry("syscallstats/total", "count"),
            Map.entry("iousagetop/per-process-top", "size"), Map.entry("iousagetop/per-file-top", "size"),
            Map.entry("iousagetop/per-process-top-block", "size"),
            Map.entry("iousagetop/per-disk-top-sector", "count"),
            Map.entry("iousagetop/per-disk-top-request", "count"), Map.entry("iousagetop/per-netif-top", "size"),
            Map.entry("irqstats/hard-stats", "count"), Map.entry("irqstats/soft-stats", "count"));

    private void writeData(Json j, List<AnalysisResult> results, Info info) {
        long begin = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        for (AnalysisResult r : results) {
            for (AnalysisResult.Period p : r.periods()) {
                begin = Math.min(begin, p.begin());
                end = Math.max(end, p.end());
            }
        }
        if (begin == Long.MAX_VALUE) {
            begin = 0;
            end = 0;
        }
        final long base = begin;
        ZonedDateTime t = Instant.ofEpochSecond(Math.floorDiv(base, 1_000_000_000L)).atZone(info.zone());
        long dayNs = (t.getHour() * 3600L + t.getMinute() * 60L + t.getSecond()) * 1_000_000_000L
                + Math.floorMod(base, 1_000_000_000L);
        j.begin().field("title", info.title()).field("zone", info.zone().getId())
                .field("command", info.command()).field("baseNs", Long.toString(base)).field("baseDayNs", dayNs)
                .field("baseDate", String.format("%04d-%02d-%02d", t.getYear(), t.getMonthValue(),
                        t.getDayOfMonth()))
                .field("begin", 0).field("end", end - base).field("empty", results.stream()
                        .allMatch(r -> r.periods().isEmpty()));
        j.key("traces").array();
        for (String s : info.traces()) {
            j.value(s);
        }
        j.endArray();
        // losses: the same for every analysis of a run; keep the widest list
        List<AnalysisResult.Loss> losses = List.of();
        for (AnalysisResult r : results) {
            if (r.losses().size() > losses.size()) {
                losses = r.losses();
            }
        }
        long lostEvents = 0;
        long lostPackets = 0;
        for (AnalysisResult r : results) {
            lostEvents = Math.max(lostEvents, r.discardedEvents());
            lostPackets = Math.max(lostPackets, r.discardedPackets());
        }
        j.field("discardedEvents", lostEvents).field("discardedPackets", lostPackets);
        j.key("losses").array();
        for (AnalysisResult.Loss l : losses) {
            j.begin().field("stream", l.stream()).field("cpu", l.cpu()).field("packets", l.packets())
                    .field("count", l.count());
            j.key("begin");
            offset(j, l.begin(), base);
            j.key("end");
            offset(j, l.end(), base);
            j.end();
        }
        j.endArray();
        j.key("analyses").array();
        for (AnalysisResult r : results) {
            if (!requested(r)) {
                continue;
            }
            j.begin().field("name", r.analysis().name()).field("title", r.analysis().title())
                    .field("description", r.analysis().description());
            j.key("periods").array();
            for (int pi = 0; pi < r.periods().size(); pi++) {
                AnalysisResult.Period p = r.periods().get(pi);
                j.begin().field("begin", p.begin() - base).field("end", p.end() - base);
                j.key("tables").array();
                for (ResultTable tb : shownTables(r, pi)) {
                    table(j, r.analysis().name(), tb, base);
                }
                j.endArray();
                j.key("hist").array();
                for (ResultTable tb : p.tables()) {
                    if (tb.tableClass().equals(Histogram.TABLE)) {
                        histograms(j, tb);
                    }
                }
                j.endArray();
                j.end();
            }
            j.endArray();
            j.end();
        }
        j.endArray();
        j.key("timeline");
        Timeline.write(j, results, begin, end);
        j.end();
    }

    private static void offset(Json j, long ts, long base) {
        if (ts == io.tracestream.ctf.ClockValue.NONE) {
            j.nul();
        } else {
            j.value(ts - base);
        }
    }

    private static void table(Json j, String analysis, ResultTable t, long base) {
        j.begin().field("cls", t.tableClass().name()).field("title", t.tableClass().title())
                .field("sub", t.subtitle()).field("begin", t.begin() - base).field("end", t.end() - base);
        String barCol = BARS.get(analysis + "/" + t.tableClass().name());
        j.field("bar", barCol == null ? -1 : t.tableClass().indexOf(barCol));
        j.key("cols").array();
        for (Column c : t.tableClass().columns()) {
            j.array().value(c.key()).value(c.title()).value(c.lamiClass()).value(c.unit()).endArray();
        }
        j.endArray();
        j.key("rows").array();
        for (List<Value> row : t.rows()) {
            j.array();
            for (Value v : row) {
                cell(j, v, base);
            }
            j.endArray();
        }
        j.endArray();
        j.end();
    }

    /** One cell: numbers as numbers (timestamps as offsets from the base), objects as small arrays. */
    static void cell(Json j, Value v, long base) {
        if (v instanceof Value.Num n) {
            if ("timestamp".equals(n.lamiClass())) {
                j.value(n.longValue() - base);
            } else if (n.integral()) {
                j.value(n.longValue());
            } else {
                j.value(n.doubleValue());
            }
        } else if (v instanceof Value.Process p) {
            j.array().value(p.name()).value(p.pid()).value(p.tid()).endArray();
        } else if (v instanceof Value.Cpu c) {
            j.value(c.id());
        } else if (v instanceof Value.Irq i) {
            j.array().value(i.hard()).value(i.nr()).value(i.name()).endArray();
        } else if (v instanceof Value.Fd f) {
            j.value(f.fd());
        } else if (v instanceof Value.Bool b) {
            j.value(b.value());
        } else if (v instanceof Value.TimeRange r) {
            j.array().value(r.begin() - base).value(r.end() - base).endArray();
        } else if (v instanceof Value.Empty) {
            j.nul();
        } else if (v instanceof Value.Unknown) {
            j.begin().field("unknown", true).end();
        } else {
            j.value(v.text()); // Str, Named, FilePath
        }
    }

    private static void histograms(Json j, ResultTable t) {
        Map<String, Map<String, List<long[]>>> groups = new LinkedHashMap<>();
        for (List<Value> row : t.rows()) {
            String g = row.get(0).text();
            String s = row.get(1).text();
            groups.computeIfAbsent(g, k -> new LinkedHashMap<>()).computeIfAbsent(s, k -> new ArrayList<>())
                    .add(new long[] {((Value.Num) row.get(2)).longValue(), ((Value.Num) row.get(3)).longValue(),
                        ((Value.Num) row.get(4)).longValue()});
        }
        for (Map.Entry<String, Map<String, List<long[]>>> g : groups.entrySet()) {
            j.begin().field("group", g.getKey());
            j.key("series").array();
            for (Map.Entry<String, List<long[]>> s : g.getValue().entrySet()) {
                j.begin().field("name", s.getKey());
                j.key("b").array();
                for (long[] b : s.getValue()) {
                    j.value(b[0]).value(b[1]).value(b[2]);
                }
                j.endArray();
                j.end();
            }
            j.endArray();
            j.end();
        }
    }
}
