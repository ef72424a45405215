package io.tracestream.spark.stream;

import io.tracestream.spark.CtfStreaming;
import io.tracestream.spark.CtfTable;
import io.tracestream.spark.read.ReadPlan;
import java.util.Set;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;

/** The {@link CtfStreaming} implementation found by {@code ServiceLoader}: creates {@link CtfMicroBatchStream}s. */
public final class CtfStreamingSource implements CtfStreaming {
    @Override
    public Set<String> optionNames() {
        return StreamOptions.NAMES;
    }

    @Override
    public MicroBatchStream toMicroBatchStream(CtfTable table, ReadPlan plan, String checkpointLocation) {
        return new CtfMicroBatchStream(table.options().paths(), plan, StreamOptions.parse(table.properties()),
                table.options().maxSplitBytes());
    }
}
