package io.tracestream.spark.analyses;

import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.io.DefaultBackend;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Executor-side cache of opened traces (metadata parsed, packet indexes read), one entry per set of trace paths
 * (LRU, 16 entries), shared by the tasks of the JVM. An entry whose streams or packet counts differ from what the
 * driver planned (the trace grew or was replaced) is reopened; if it still differs, the task fails with a message
 * naming the trace.
 */
final class ExecutorTraces {
    private static final int MAX = 16;
    private static final Map<String, Entry> CACHE = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Entry> e) {
            return size() > MAX;
        }
    };

    private ExecutorTraces() {
    }

    /** An opened set of traces and the backend that decodes their packets (thread-safe for openStream). */
    record Entry(List<Trace> traces, DefaultBackend backend) {
    }

    static Entry open(TraceRef ref) {
        String key = ref.key();
        synchronized (CACHE) {
            Entry e = CACHE.get(key);
            if (e != null && ref.matches(e.traces())) {
                return e;
            }
        }
        List<Path> paths = new ArrayList<>();
        for (String p : ref.paths()) {
            paths.add(Path.of(p));
        }
        // the set is kept open for the cached traces; no cursor is opened through it
        TraceSet set = TraceSet.open(ReadOptions.defaults().streamIntersection(false), paths);
        Entry e = new Entry(set.traces(), new DefaultBackend());
        if (!ref.matches(e.traces())) {
            throw new CtfException("trace " + String.join(", ", ref.paths()) + ": this executor sees other streams or "
                    + "packets than the driver planned (the trace changed, or is not the same file on this host)");
        }
        synchronized (CACHE) {
            CACHE.put(key, e);
        }
        return e;
    }
}
