package io.tracestream.analyses;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One table of results over a time range: rows of {@link Value}s in the order of the table class's columns. A
 * subtitle (e.g. {@code "0: <HI_SOFTIRQ>"}) distinguishes several tables of one class, as LAMI does.
 */
public final class ResultTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private final TableClass tableClass;
    private final long begin;
    private final long end;
    private final String subtitle;
    private final List<List<Value>> rows = new ArrayList<>();

    public ResultTable(TableClass tableClass, long begin, long end, String subtitle) {
        this.tableClass = tableClass;
        this.begin = begin;
        this.end = end;
        this.subtitle = subtitle;
    }

    public ResultTable(TableClass tableClass, long begin, long end) {
        this(tableClass, begin, end, null);
    }

    /** Appends a row; it must have one value per column. */
    public ResultTable add(Value... row) {
        if (row.length != tableClass.columns().size()) {
            throw new IllegalArgumentException("table " + tableClass.name() + ": row of " + row.length
                    + " values for " + tableClass.columns().size() + " columns");
        }
        rows.add(List.of(row));
        return this;
    }

    public TableClass tableClass() {
        return tableClass;
    }

    /** Beginning of the table's time range (ns from the clock origin). */
    public long begin() {
        return begin;
    }

    /** End of the table's time range (ns from the clock origin). */
    public long end() {
        return end;
    }

    /** The subtitle, or null. */
    public String subtitle() {
        return subtitle;
    }

    /** The title, with the subtitle in brackets when there is one (as LAMI shows it). */
    public String fullTitle() {
        return subtitle == null ? tableClass.title() : tableClass.title() + " [" + subtitle + "]";
    }

    public List<List<Value>> rows() {
        return Collections.unmodifiableList(rows);
    }

    /** A value by row index and column key. */
    public Value get(int row, String columnKey) {
        int c = tableClass.indexOf(columnKey);
        if (c < 0) {
            throw new IllegalArgumentException("table " + tableClass.name() + " has no column " + columnKey);
        }
        return rows.get(row).get(c);
    }
}
