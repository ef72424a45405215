package io.tracestream.spark.read;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

/**
 * What to produce from each event, shipped to the executors with the reader factory: the (pruned) row schema, the
 * names of context and payload columns, and the pushed event-name and time filters.
 *
 * @param typed          typed table (context and payload fields as columns) instead of the generic {@code events}
 * @param schema         the row schema to produce (after column pruning)
 * @param columnNames    typed: column of each context/payload member; generic: field of the {@code context} struct
 *                       of each context member. Keys from {@link #key}; members without a key are not produced
 * @param events         event names to produce, or null for all
 * @param tsLow          smallest {@code ts} to produce (ns), {@link Long#MIN_VALUE} for no bound
 * @param tsHigh         largest {@code ts} to produce (ns), {@link Long#MAX_VALUE} for no bound
 * @param lenient        skip broken packets (counted in the {@code corruptPackets} metric) instead of failing
 */
public record ReadPlan(boolean typed, StructType schema, Map<String, String> columnNames, Set<String> events,
                       long tsLow, long tsHigh, boolean lenient) implements Serializable {

    /** The key of a member of scope {@code scope} ('c' common context, 's' specific context, 'p' payload). */
    public static String key(char scope, String member, DataType type) {
        char s = scope == 'p' ? 'p' : 'c';
        return s + member + '\0' + type.json();
    }

    boolean timeFiltered() {
        return tsLow != Long.MIN_VALUE || tsHigh != Long.MAX_VALUE;
    }
}
