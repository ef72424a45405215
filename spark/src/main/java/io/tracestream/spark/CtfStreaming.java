package io.tracestream.spark;

import io.tracestream.ctf.CtfException;
import io.tracestream.spark.read.ReadPlan;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;

/**
 * The hook through which {@code spark.readStream.format("ctf")} reaches the streaming source (package
 * {@code io.tracestream.spark.stream}) without the batch classes depending on it: the implementation is found with
 * {@link ServiceLoader} ({@code META-INF/services/io.tracestream.spark.CtfStreaming}).
 */
public interface CtfStreaming {
    /** Option names (lower case) the streaming source adds to the batch ones, e.g. {@code maxpacketspertrigger}. */
    Set<String> optionNames();

    /**
     * The micro-batch stream over the table's paths.
     *
     * @param table              the table (options, traces found when the query started, layout)
     * @param plan               what the readers decode (schema, event names, time range)
     * @param checkpointLocation the query's checkpoint folder for this source
     */
    MicroBatchStream toMicroBatchStream(CtfTable table, ReadPlan plan, String checkpointLocation);

    /** The streaming source, or null when it is not on the class path. */
    static CtfStreaming find() {
        Iterator<CtfStreaming> it = ServiceLoader.load(CtfStreaming.class, CtfStreaming.class.getClassLoader())
                .iterator();
        return it.hasNext() ? it.next() : null;
    }

    /** The streaming source; fails with a clear message when it is not on the class path. */
    static CtfStreaming require() {
        CtfStreaming s = find();
        if (s == null) {
            throw new CtfException("ctf: streaming reads need io.tracestream.spark.stream on the class path");
        }
        return s;
    }
}
