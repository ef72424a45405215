package io.tracestream.analyses;

import java.io.Serializable;
import java.util.List;

/** The type of a result table: a LAMI table class name (e.g. {@code per-process}), a title and its columns. */
public record TableClass(String name, String title, List<Column> columns) implements Serializable {
    public TableClass {
        columns = List.copyOf(columns);
    }

    public static TableClass of(String name, String title, Column... columns) {
        return new TableClass(name, title, List.of(columns));
    }

    /** The index of the column with that key, or -1. */
    public int indexOf(String key) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).key().equals(key)) {
                return i;
            }
        }
        return -1;
    }
}
