package io.tracestream.analyses;

import java.io.Serializable;

/**
 * A column of a result table: a key (stable identifier, used as CSV header), a human title, the LAMI class of its
 * values and an optional unit (null when none), as in LAMI 1.0's {@code column-descriptions}.
 */
public record Column(String key, String title, String lamiClass, String unit) implements Serializable {
    public static Column of(String key, String title, String lamiClass) {
        return new Column(key, title, lamiClass, null);
    }

    public static Column of(String key, String title, String lamiClass, String unit) {
        return new Column(key, title, lamiClass, unit);
    }
}
