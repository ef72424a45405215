package io.tracestream.analyses;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The keyed partial results of one analysis, per period (window index): what {@link AnalysisTask}s emit and what an
 * engine reduces. Merging is per period and per key with {@link Mergeable#merge}; {@link #fixBounds} then gives every
 * period the time range of the whole run (first to last analysed event over all partitions). Serializable: a
 * distributed engine ships these from its tasks to the reducer.
 */
public final class Partials implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The partials of one period, reduced per key (insertion-ordered). */
    public static final class Period implements Serializable {
        private static final long serialVersionUID = 1L;
        long begin;
        long end;
        final Map<Object, Object> byKey = new LinkedHashMap<>();

        Period(long begin, long end) {
            this.begin = begin;
            this.end = end;
        }

        public long begin() {
            return begin;
        }

        public long end() {
            return end;
        }

        /** Key to merged partial. */
        public Map<Object, Object> byKey() {
            return byKey;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        void add(Object key, Mergeable partial) {
            byKey.merge(key, partial, (x, y) -> ((Mergeable) x).merge((Mergeable) y));
        }
    }

    private final TreeMap<Long, Period> byIndex = new TreeMap<>();

    /** The periods in time order. */
    public List<Period> periods() {
        return new ArrayList<>(byIndex.values());
    }

    /**
     * Moves the periods out into a new instance (in time order), leaving this one empty: a streaming engine takes the
     * windows an {@link AnalysisTask} closed ({@link AnalysisTask#advanceTo}) and forgets them, so memory does not
     * grow with the number of windows.
     */
    public Partials drain() {
        Partials out = new Partials();
        out.byIndex.putAll(byIndex);
        byIndex.clear();
        return out;
    }

    void put(long index, Period p) {
        byIndex.put(index, p);
    }

    /** Merges another partition's partials into these (per period, per key). */
    @SuppressWarnings({"rawtypes"})
    public Partials merge(Partials other) {
        for (Map.Entry<Long, Period> e : other.byIndex.entrySet()) {
            Period mine = byIndex.get(e.getKey());
            if (mine == null) {
                byIndex.put(e.getKey(), e.getValue());
            } else {
                for (Map.Entry<Object, Object> kv : e.getValue().byKey.entrySet()) {
                    mine.add(kv.getKey(), (Mergeable) kv.getValue());
                }
            }
        }
        return this;
    }

    /**
     * After merging partitions that each saw part of the streams: every period gets the range of the whole run,
     * {@code first} to {@code last} analysed event (Long.MAX_VALUE first: nothing analysed), cut in windows.
     */
    public void fixBounds(long first, long last, long window) {
        if (first == Long.MAX_VALUE) {
            byIndex.clear();
            return;
        }
        if (window == 0) {
            if (byIndex.isEmpty()) {
                byIndex.put(0L, new Period(first, last));
            }
            for (Period p : byIndex.values()) {
                p.begin = first;
                p.end = last;
            }
            return;
        }
        long lastIndex = (last - first) / window;
        for (long i = 0; i <= lastIndex; i++) {
            Period p = byIndex.computeIfAbsent(i, k -> new Period(0, 0));
            p.begin = first + i * window;
            p.end = i == lastIndex ? last : first + (i + 1) * window;
        }
    }

    /** The analysis' tables of a period, then the {@link Histogram#TABLE} of its histograms when it has some. */
    private static List<ResultTable> tables(Analysis analysis, AnalysisConfig config, Period p) {
        if (p.byKey.keySet().stream().noneMatch(k -> k instanceof Histogram.Key)) {
            return analysis.tables(p.begin, p.end, p.byKey, config);
        }
        Map<Object, Object> own = new LinkedHashMap<>();
        TreeMap<Histogram.Key, Histogram> histograms = new TreeMap<>(java.util.Comparator
                .comparing(Histogram.Key::group).thenComparing(Histogram.Key::series));
        for (Map.Entry<Object, Object> e : p.byKey.entrySet()) {
            if (e.getKey() instanceof Histogram.Key k) {
                histograms.put(k, (Histogram) e.getValue());
            } else {
                own.put(e.getKey(), e.getValue());
            }
        }
        List<ResultTable> tables = new ArrayList<>(analysis.tables(p.begin, p.end, own, config));
        ResultTable t = new ResultTable(Histogram.TABLE, p.begin, p.end);
        for (Map.Entry<Histogram.Key, Histogram> e : histograms.entrySet()) {
            Histogram h = e.getValue();
            for (int i = 0; i < h.buckets(); i++) {
                if (h.count(i) > 0) {
                    t.add(Value.string(e.getKey().group()), Value.string(e.getKey().series()),
                            Value.duration(Histogram.lower(i)), Value.duration(Histogram.upper(i)),
                            Value.number(h.count(i)));
                }
            }
        }
        tables.add(t);
        return tables;
    }

    /** The result of an analysis from its reduced partials. */
    public AnalysisResult result(Analysis analysis, AnalysisConfig config, List<AnalysisResult.Loss> losses) {
        List<AnalysisResult.Period> periods = new ArrayList<>();
        for (Period p : byIndex.values()) {
            periods.add(new AnalysisResult.Period(p.begin, p.end, tables(analysis, config, p)));
        }
        List<AnalysisResult.Loss> in = new ArrayList<>();
        if (periods.isEmpty()) {
            in.addAll(losses);
        } else {
            long b = periods.get(0).begin();
            long e = periods.get(periods.size() - 1).end();
            for (AnalysisResult.Loss l : losses) {
                boolean before = l.end() != io.tracestream.ctf.ClockValue.NONE && l.end() < b;
                boolean after = l.begin() != io.tracestream.ctf.ClockValue.NONE && l.begin() > e;
                if (!before && !after) {
                    in.add(l);
                }
            }
        }
        return new AnalysisResult(analysis, config, periods, in);
    }
}
