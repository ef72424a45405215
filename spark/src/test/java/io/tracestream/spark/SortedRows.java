package io.tracestream.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Rows of a DataFrame as sorted strings, for comparing what a streaming query wrote with a batch read of the same
 * trace (the DataFrames select {@code name} first).
 */
public final class SortedRows {
    private SortedRows() {
    }

    /** Every row's {@code toString()}, sorted. */
    public static List<String> of(Dataset<Row> df) {
        List<String> l = new ArrayList<>();
        for (Row r : df.collectAsList()) {
            l.add(r.toString());
        }
        Collections.sort(l);
        return l;
    }

    /** Rows per event name (the first column). */
    public static Map<String, Long> countsByName(List<String> rows) {
        Map<String, Long> m = new TreeMap<>();
        for (String r : rows) {
            m.merge(r.substring(1, r.indexOf(',')), 1L, Long::sum);
        }
        return m;
    }

    /** Per-event-name counts babeltrace2 reads from a trace. */
    public static Map<String, Long> babeltraceCounts(java.nio.file.Path trace) {
        return BabeltraceCounts.of(trace).events();
    }

    /** The same rows in the same order; the message names the first row that differs. */
    public static void assertSame(String expectedLabel, List<String> expected, String actualLabel,
                                  List<String> actual) {
        int n = Math.min(expected.size(), actual.size());
        for (int i = 0; i < n; i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                throw new AssertionError("row " + i + " differs (" + expectedLabel + " " + expected.size() + " rows, "
                        + actualLabel + " " + actual.size() + "):\n " + expectedLabel + ": " + expected.get(i)
                        + "\n " + actualLabel + ": " + actual.get(i));
            }
        }
        assertEquals(expected.size(), actual.size(), "rows: " + expectedLabel + " / " + actualLabel);
    }
}
