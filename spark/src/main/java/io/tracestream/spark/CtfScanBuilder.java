package io.tracestream.spark;

import io.tracestream.spark.read.AggregatePlan;
import io.tracestream.spark.read.EventColumns;
import io.tracestream.spark.read.SplitPlanner;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.expressions.aggregate.Aggregation;
import org.apache.spark.sql.connector.read.SupportsPushDownAggregates;
import org.apache.spark.sql.connector.read.SupportsPushDownFilters;
import org.apache.spark.sql.connector.read.SupportsPushDownRequiredColumns;
import org.apache.spark.sql.sources.And;
import org.apache.spark.sql.sources.EqualNullSafe;
import org.apache.spark.sql.sources.EqualTo;
import org.apache.spark.sql.sources.Filter;
import org.apache.spark.sql.sources.GreaterThan;
import org.apache.spark.sql.sources.GreaterThanOrEqual;
import org.apache.spark.sql.sources.In;
import org.apache.spark.sql.sources.IsNotNull;
import org.apache.spark.sql.sources.LessThan;
import org.apache.spark.sql.sources.LessThanOrEqual;
import org.apache.spark.sql.types.StructType;

/**
 * Pushdown: filters on {@code ts}/{@code time} (time range: packets skipped by their timestamp bounds), {@code cpu},
 * {@code stream_id}, {@code stream_file}, {@code trace}, {@code host} (streams skipped), {@code name} (streams
 * without such classes skipped, other events not decoded); required columns (nested fields too: unneeded fields are
 * not materialised); aggregates ({@link AggregatePlan}: computed per split without rows, merged by Spark). The
 * readers apply the {@code ts}, {@code time} and {@code name} comparisons exactly, so Spark does not evaluate those
 * again; every other filter is also evaluated by Spark after the scan.
 */
final class CtfScanBuilder implements ScanBuilder, SupportsPushDownFilters, SupportsPushDownRequiredColumns,
        SupportsPushDownAggregates {
    private final CtfTable table;
    private StructType required;
    private Filter[] pushed = new Filter[0];
    private long tsLow = Long.MIN_VALUE;
    private long tsHigh = Long.MAX_VALUE;
    private Set<Long> cpus;
    private Set<Long> streamIds;
    private Set<String> streamFiles;
    private Set<String> traces;
    private Set<String> hosts;
    private Set<String> events;
    private AggregatePlan aggregate;
    private boolean completeAggregate;

    CtfScanBuilder(CtfTable table) {
        this.table = table;
        this.required = table.schema();
    }

    @Override
    public Filter[] pushFilters(Filter[] filters) {
        List<Filter> used = new ArrayList<>();
        boolean[] usedAt = new boolean[filters.length];
        for (int i = 0; i < filters.length; i++) {
            usedAt[i] = use(filters[i]);
            if (usedAt[i]) {
                used.add(filters[i]);
            }
        }
        List<Filter> after = new ArrayList<>();
        for (int i = 0; i < filters.length; i++) {
            Filter f = filters[i];
            boolean timeNotNull = f instanceof IsNotNull n && (tsLow != Long.MIN_VALUE || tsHigh != Long.MAX_VALUE)
                    && (n.attribute().equalsIgnoreCase(EventColumns.TS)
                    || n.attribute().equalsIgnoreCase(EventColumns.TIME));
            boolean nameNotNull = f instanceof IsNotNull n && n.attribute().equalsIgnoreCase(EventColumns.NAME);
            if (!(usedAt[i] && exact(f)) && !timeNotNull && !nameNotNull) {
                after.add(f);
            }
        }
        pushed = used.toArray(new Filter[0]);
        return after.toArray(new Filter[0]);
    }

    /**
     * True for a used filter that the readers apply exactly: one comparison of {@code ts}, {@code time} (the
     * readers drop events outside the time range, and those without time) or {@code name} (other classes are not
     * produced). {@code IS NOT NULL} of {@code name}, and of {@code ts}/{@code time} with a time range, hold too.
     */
    private static boolean exact(Filter f) {
        if (f instanceof And) {
            return false;
        }
        String[] refs = f.references();
        if (refs.length != 1) {
            return false;
        }
        String a = refs[0].toLowerCase(java.util.Locale.ROOT);
        return a.equals(EventColumns.TS) || a.equals(EventColumns.TIME) || a.equals(EventColumns.NAME);
    }

    @Override
    public boolean supportCompletePushDown(Aggregation aggregation) {
        // one split computes the final result; otherwise Spark merges the splits' partial results
        return table.options().pushDownAggregates() && AggregatePlan.of(aggregation) != null
                && SplitPlanner.plan(table.traces(), pruning(), table.options().maxSplitBytes()).splits().size() == 1;
    }

    @Override
    public boolean pushAggregation(Aggregation aggregation) {
        if (!table.options().pushDownAggregates()) {
            return false;
        }
        AggregatePlan a = AggregatePlan.of(aggregation);
        if (a == null) {
            return false;
        }
        aggregate = a;
        completeAggregate = supportCompletePushDown(aggregation);
        return true;
    }

    @Override
    public Filter[] pushedFilters() {
        return pushed;
    }

    @Override
    public void pruneColumns(StructType requiredSchema) {
        this.required = requiredSchema;
    }

    @Override
    public Scan build() {
        return new CtfScan(table, aggregate == null ? required : aggregate.schema(), pruning(), pushed, aggregate,
                completeAggregate);
    }

    private SplitPlanner.Pruning pruning() {
        return new SplitPlanner.Pruning(tsLow, tsHigh, cpus, streamIds, streamFiles, traces, hosts, events);
    }

    /** Records what a filter allows; true when it narrows the read. */
    private boolean use(Filter f) {
        if (f instanceof And a) {
            boolean l = use(a.left());
            boolean r = use(a.right());
            return l || r;
        }
        String attr;
        Object v;
        Object[] in = null;
        int op; // 0 =, 1 >, 2 >=, 3 <, 4 <=, 5 in
        if (f instanceof EqualTo e) {
            attr = e.attribute();
            v = e.value();
            op = 0;
        } else if (f instanceof EqualNullSafe e) {
            attr = e.attribute();
            v = e.value();
            op = 0;
        } else if (f instanceof GreaterThan g) {
            attr = g.attribute();
            v = g.value();
            op = 1;
        } else if (f instanceof GreaterThanOrEqual g) {
            attr = g.attribute();
            v = g.value();
            op = 2;
        } else if (f instanceof LessThan l) {
            attr = l.attribute();
            v = l.value();
            op = 3;
        } else if (f instanceof LessThanOrEqual l) {
            attr = l.attribute();
            v = l.value();
            op = 4;
        } else if (f instanceof In i) {
            attr = i.attribute();
            v = null;
            in = i.values();
            op = 5;
        } else {
            return false;
        }
        if (v == null && op != 5) {
            return false;
        }
        switch (attr.toLowerCase(java.util.Locale.ROOT)) {
            case EventColumns.TS -> {
                if (op == 5) {
                    return timeIn(in, false);
                }
                return time(op, ((Number) v).longValue(), 1);
            }
            case EventColumns.TIME -> {
                if (op == 5) {
                    return timeIn(in, true);
                }
                Long us = micros(v);
                return us != null && timeMicros(op, us);
            }
            case EventColumns.CPU -> {
                Set<Long> s = longs(op, v, in);
                if (s == null) {
                    return false;
                }
                cpus = intersect(cpus, s);
                return true;
            }
            case EventColumns.STREAM_ID -> {
                Set<Long> s = longs(op, v, in);
                if (s == null) {
                    return false;
                }
                streamIds = intersect(streamIds, s);
                return true;
            }
            case EventColumns.STREAM_FILE -> {
                Set<String> s = strings(op, v, in);
                if (s == null) {
                    return false;
                }
                streamFiles = intersect(streamFiles, s);
                return true;
            }
            case EventColumns.TRACE -> {
                Set<String> s = strings(op, v, in);
                if (s == null) {
                    return false;
                }
                traces = intersect(traces, s);
                return true;
            }
            case EventColumns.HOST -> {
                Set<String> s = strings(op, v, in);
                if (s == null) {
                    return false;
                }
                hosts = intersect(hosts, s);
                return true;
            }
            case EventColumns.NAME -> {
                Set<String> s = strings(op, v, in);
                if (s == null) {
                    return false;
                }
                events = intersect(events, s);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /** Narrows the ns range by a comparison with {@code n} (a value in units of {@code unit} ns). */
    private boolean time(int op, long n, long unit) {
        switch (op) {
            case 0 -> {
                tsLow = Math.max(tsLow, n);
                tsHigh = Math.min(tsHigh, n);
            }
            case 1 -> tsLow = Math.max(tsLow, n == Long.MAX_VALUE ? n : n + 1);
            case 2 -> tsLow = Math.max(tsLow, n);
            case 3 -> tsHigh = Math.min(tsHigh, n == Long.MIN_VALUE ? n : n - 1);
            case 4 -> tsHigh = Math.min(tsHigh, n);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** The {@code time} column holds floor(ts / 1000) microseconds. */
    private boolean timeMicros(int op, long us) {
        if (Math.abs(us) > Long.MAX_VALUE / 1000 - 1) {
            return false;
        }
        long lo = us * 1000; // first ns of the microsecond
        long hi = lo + 999; // last ns of us
        return switch (op) {
            case 0 -> time(2, lo, 1) & time(4, hi, 1);
            case 1 -> time(1, hi, 1);
            case 2 -> time(2, lo, 1);
            case 3 -> time(3, lo, 1);
            case 4 -> time(4, hi, 1);
            default -> false;
        };
    }

    private boolean timeIn(Object[] values, boolean micros) {
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (Object o : values) {
            if (o == null) {
                continue;
            }
            long a;
            long b;
            if (micros) {
                Long us = micros(o);
                if (us == null || Math.abs(us) > Long.MAX_VALUE / 1000 - 1) {
                    return false;
                }
                a = us * 1000;
                b = a + 999;
            } else {
                a = ((Number) o).longValue();
                b = a;
            }
            lo = Math.min(lo, a);
            hi = Math.max(hi, b);
        }
        if (lo > hi) {
            return false;
        }
        time(2, lo, 1);
        time(4, hi, 1);
        return true;
    }

    private static Long micros(Object v) {
        if (v instanceof Timestamp t) {
            return Math.addExact(Math.multiplyExact(Math.floorDiv(t.getTime(), 1000L), 1_000_000L),
                    t.getNanos() / 1000);
        }
        if (v instanceof Instant i) {
            return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
        }
        if (v instanceof LocalDateTime l) {
            return micros(l.toInstant(ZoneOffset.UTC));
        }
        return null;
    }

    private static Set<Long> longs(int op, Object v, Object[] in) {
        Set<Long> s = new HashSet<>();
        if (op == 0 && v instanceof Number n) {
            s.add(n.longValue());
            return s;
        }
        if (op == 5) {
            for (Object o : in) {
                if (o instanceof Number n) {
                    s.add(n.longValue());
                }
            }
            return s;
        }
        return null;
    }

    private static Set<String> strings(int op, Object v, Object[] in) {
        Set<String> s = new LinkedHashSet<>();
        if (op == 0 && v != null) {
            s.add(v.toString());
            return s;
        }
        if (op == 5) {
            for (Object o : in) {
                if (o != null) {
                    s.add(o.toString());
                }
            }
            return s;
        }
        return null;
    }

    private static <T> Set<T> intersect(Set<T> a, Set<T> b) {
        if (a == null) {
            return b;
        }
        Set<T> s = new LinkedHashSet<>(a);
        s.retainAll(b);
        return s;
    }
}
