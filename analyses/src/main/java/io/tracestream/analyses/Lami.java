package io.tracestream.analyses;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * LAMI 1.0 JSON output (the "Linux Analysis Machine Interface" of lttng-analyses' {@code lttng-NAME-mi} commands, which
 * Trace Compass imports): the results document and the metadata document, formatted as Python's {@code json.dumps}
 * formats them so that the output is byte-comparable with lttng-analyses'.
 */
public final class Lami {
    /** The version reported in metadata documents. */
    static final int[] VERSION = {0, 1, 0};

    private Lami() {
    }

    /** {@code {"results": [...]}} with every table of every period of the results, in order. */
    public static String results(List<AnalysisResult> results) {
        StringBuilder sb = new StringBuilder("{\"results\": [");
        boolean first = true;
        for (AnalysisResult r : results) {
            for (AnalysisResult.Period p : r.periods()) {
                for (ResultTable t : p.tables()) {
                    if (t.rows().isEmpty()) {
                        continue; // as lttng-analyses' MI output: tables without rows are left out
                    }
                    if (!first) {
                        sb.append(", ");
                    }
                    first = false;
                    table(sb, t);
                }
            }
        }
        sb.append("]");
        long lostEvents = 0;
        long lostPackets = 0;
        for (AnalysisResult r : results) {
            lostEvents = Math.max(lostEvents, r.discardedEvents());
            lostPackets = Math.max(lostPackets, r.discardedPackets());
        }
        if (lostEvents > 0 || lostPackets > 0) {
            // an extension: LAMI readers ignore unknown members
            sb.append(", \"discarded-events\": ").append(lostEvents);
            sb.append(", \"discarded-packets\": ").append(lostPackets);
        }
        return sb.append("}").toString();
    }

    /** The metadata document ({@code lttng-NAME-mi --metadata}) of one analysis. */
    public static String metadata(Analysis a) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("mi-version", map("major", 1L, "minor", 0L));
        doc.put("version", map("major", (long) VERSION[0], "minor", (long) VERSION[1], "patch", (long) VERSION[2],
                "extra", ""));
        doc.put("title", a.title());
        doc.put("description", a.description());
        doc.put("authors", List.of("TraceStream"));
        List<String> tags = new ArrayList<>(List.of("linux-kernel", "tracestream"));
        tags.addAll(a.tags());
        doc.put("tags", tags);
        Map<String, Object> classes = new LinkedHashMap<>();
        for (TableClass tc : a.tableClasses()) {
            List<Object> cols = new ArrayList<>();
            for (Column c : tc.columns()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("title", c.title());
                m.put("class", c.lamiClass());
                if (c.unit() != null) {
                    m.put("unit", c.unit());
                }
                cols.add(m);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("title", tc.title());
            m.put("column-descriptions", cols);
            classes.put(tc.name(), m);
        }
        doc.put("table-classes", classes);
        StringBuilder sb = new StringBuilder();
        json(sb, doc);
        return sb.toString();
    }

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    static void table(StringBuilder sb, ResultTable t) {
        sb.append("{\"class\": ");
        if (t.subtitle() == null) {
            string(sb, t.tableClass().name());
        } else {
            sb.append("{\"inherit\": ");
            string(sb, t.tableClass().name());
            sb.append(", \"title\": ");
            string(sb, t.fullTitle());
            sb.append("}");
        }
        sb.append(", \"time-range\": ");
        value(sb, new Value.TimeRange(t.begin(), t.end()));
        sb.append(", \"data\": [");
        boolean firstRow = true;
        for (List<Value> row : t.rows()) {
            if (!firstRow) {
                sb.append(", ");
            }
            firstRow = false;
            sb.append("[");
            for (int i = 0; i < row.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                value(sb, row.get(i));
            }
            sb.append("]");
        }
        sb.append("]}");
    }

    static void value(StringBuilder sb, Value v) {
        if (v instanceof Value.Empty) {
            sb.append("null");
            return;
        }
        sb.append("{\"class\": ");
        string(sb, v.lamiClass());
        if (v instanceof Value.Num n) {
            sb.append(", \"value\": ").append(n.text());
        } else if (v instanceof Value.Str s) {
            sb.append(", \"value\": ");
            string(sb, s.value());
        } else if (v instanceof Value.Bool b) {
            sb.append(", \"value\": ").append(b.value() ? "true" : "false");
        } else if (v instanceof Value.Process p) {
            if (p.name() != null) {
                sb.append(", \"name\": ");
                string(sb, p.name());
            }
            if (p.pid() >= 0) {
                sb.append(", \"pid\": ").append(p.pid());
            }
            if (p.tid() >= 0) {
                sb.append(", \"tid\": ").append(p.tid());
            }
        } else if (v instanceof Value.Cpu c) {
            sb.append(", \"id\": ").append(c.id());
        } else if (v instanceof Value.Irq i) {
            sb.append(", \"hard\": ").append(i.hard() ? "true" : "false").append(", \"nr\": ").append(i.nr());
            if (i.name() != null) {
                sb.append(", \"name\": ");
                string(sb, i.name());
            }
        } else if (v instanceof Value.Named n) {
            sb.append(", \"name\": ");
            string(sb, n.name());
        } else if (v instanceof Value.FilePath p) {
            sb.append(", \"path\": ");
            string(sb, p.path());
        } else if (v instanceof Value.Fd f) {
            sb.append(", \"fd\": ").append(f.fd());
        } else if (v instanceof Value.TimeRange r) {
            sb.append(", \"begin\": ");
            value(sb, Value.timestamp(r.begin()));
            sb.append(", \"end\": ");
            value(sb, Value.timestamp(r.end()));
        }
        sb.append("}");
    }

    @SuppressWarnings("unchecked")
    static void json(StringBuilder sb, Object o) {
        if (o == null) {
            sb.append("null");
        } else if (o instanceof String s) {
            string(sb, s);
        } else if (o instanceof Long || o instanceof Integer) {
            sb.append(o);
        } else if (o instanceof Double d) {
            sb.append(Floats.repr(d));
        } else if (o instanceof Boolean b) {
            sb.append(b ? "true" : "false");
        } else if (o instanceof Map<?, ?> m) {
            sb.append("{");
            boolean first = true;
            for (Map.Entry<String, Object> e : ((Map<String, Object>) m).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                string(sb, e.getKey());
                sb.append(": ");
                json(sb, e.getValue());
            }
            sb.append("}");
        } else if (o instanceof List<?> l) {
            sb.append("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(", ");
                }
                json(sb, l.get(i));
            }
            sb.append("]");
        } else {
            throw new IllegalArgumentException("not JSON: " + o.getClass());
        }
    }

    /** A JSON string as Python's json.dumps writes it (ensure_ascii: non-ASCII as \\uXXXX). */
    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
