package io.tracestream.spark.analyses;

import io.tracestream.analyses.AnalysisTask;
import io.tracestream.ctf.CtfException;
import java.io.Serializable;

/**
 * A Spark task: slice {@code slice} of chain {@code chain}, resuming from {@code state} (the serialized task at the
 * end of the previous slice; null for the first slice, built from {@code start}).
 */
record SliceWork(int chain, TraceRef traces, SparkEngine.ChainStart start, byte[] state, Slice slice, boolean last)
        implements Serializable {

    SliceResult run() {
        try {
            ExecutorTraces.Entry e = ExecutorTraces.open(traces);
            AnalysisTask task = state == null ? start.newTask() : (AnalysisTask) JavaSer.read(state);
            slice.feed(e.traces(), e, task);
            if (last) {
                task.finish();
            }
            return new SliceResult(chain, JavaSer.write(task), null);
        } catch (CtfException e) {
            return new SliceResult(chain, null, e.getMessage());
        }
    }
}
