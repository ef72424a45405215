package io.tracestream.spark.analyses;

import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.io.FsDataStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The traces of a run as the driver planned them: their paths (absolute; every executor reads them at the same path)
 * and, per trace and stream, the packet count, so that an executor can tell its opened copy is the same version.
 */
record TraceRef(List<String> paths, List<int[]> packetCounts) implements Serializable {

    static TraceRef of(List<Path> paths, List<Trace> traces) {
        List<String> p = new ArrayList<>();
        for (Path x : paths) {
            p.add(x.toString());
        }
        return new TraceRef(p, counts(traces));
    }

    static List<int[]> counts(List<Trace> traces) {
        List<int[]> c = new ArrayList<>();
        for (Trace t : traces) {
            int[] n = new int[t.streams().size()];
            int i = 0;
            for (DataStream ds : t.streams()) {
                n[i++] = ((FsDataStream) ds).packets().size();
            }
            c.add(n);
        }
        return c;
    }

    /** True when {@code traces} (opened on an executor) have the planned streams and packets. */
    boolean matches(List<Trace> traces) {
        List<int[]> mine = counts(traces);
        if (mine.size() != packetCounts.size()) {
            return false;
        }
        for (int i = 0; i < mine.size(); i++) {
            if (!java.util.Arrays.equals(mine.get(i), packetCounts.get(i))) {
                return false;
            }
        }
        return true;
    }

    String key() {
        return String.join("\u0000", paths);
    }
}
