package io.tracestream.spark.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tracestream.ctf.CtfException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.connector.read.streaming.Offset;

/**
 * A position of the stream: for each input path (in option order), the number of packets read from each stream,
 * by the stream's {@link io.tracestream.ctf.follow.FollowedStream#key() key}; streams not listed are at 0. Its JSON
 * (what Spark writes in the checkpoint's {@code offsets/} log) is small and versioned:
 *
 * <pre>{"v":1,"paths":[{"ust/uid/0/64-bit/chan0_0":12,"#1/ust/uid/0/64-bit/chan0_0":3}]}</pre>
 */
public final class StreamOffset extends Offset {
    /** The JSON format version this class writes and reads. */
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<Map<String, Long>> paths;

    StreamOffset(List<Map<String, Long>> paths) {
        List<Map<String, Long>> copy = new ArrayList<>();
        for (Map<String, Long> m : paths) {
            Map<String, Long> t = new TreeMap<>();
            m.forEach((k, v) -> {
                if (v > 0) {
                    t.put(k, v);
                }
            });
            copy.add(Collections.unmodifiableMap(t));
        }
        this.paths = Collections.unmodifiableList(copy);
    }

    /** The start: nothing read from any of {@code pathCount} paths. */
    static StreamOffset empty(int pathCount) {
        List<Map<String, Long>> l = new ArrayList<>();
        for (int i = 0; i < pathCount; i++) {
            l.add(Map.of());
        }
        return new StreamOffset(l);
    }

    /** Packets read from the stream {@code key} of path number {@code path}. */
    public long position(int path, String key) {
        return path < paths.size() ? paths.get(path).getOrDefault(key, 0L) : 0L;
    }

    /** Positions of the streams of path number {@code path} (streams at 0 left out). */
    public Map<String, Long> positions(int path) {
        return path < paths.size() ? paths.get(path) : Map.of();
    }

    /** Number of paths. */
    public int pathCount() {
        return paths.size();
    }

    /** Total packets read over all streams. */
    public long totalPackets() {
        long n = 0;
        for (Map<String, Long> m : paths) {
            for (long v : m.values()) {
                n += v;
            }
        }
        return n;
    }

    @Override
    public String json() {
        ObjectNode root = JSON.createObjectNode();
        root.put("v", VERSION);
        ArrayNode arr = root.putArray("paths");
        for (Map<String, Long> m : paths) {
            ObjectNode o = arr.addObject();
            m.forEach(o::put);
        }
        return root.toString();
    }

    /**
     * Parses an offset's JSON.
     *
     * @throws CtfException when it is not an offset of this format (naming what is wrong)
     */
    public static StreamOffset parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (Exception e) {
            throw new CtfException("ctf stream: offset is not JSON: " + abbreviate(json));
        }
        if (root == null || !root.isObject() || !root.path("v").isInt()) {
            throw new CtfException("ctf stream: offset has no version field 'v': " + abbreviate(json));
        }
        int v = root.get("v").asInt();
        if (v != VERSION) {
            throw new CtfException("ctf stream: offset version " + v + " is not supported (this reader knows "
                    + VERSION + "): " + abbreviate(json));
        }
        JsonNode arr = root.path("paths");
        if (!arr.isArray()) {
            throw new CtfException("ctf stream: offset has no 'paths' array: " + abbreviate(json));
        }
        List<Map<String, Long>> paths = new ArrayList<>();
        for (JsonNode o : arr) {
            if (!o.isObject()) {
                throw new CtfException("ctf stream: offset 'paths' holds a non-object: " + abbreviate(json));
            }
            Map<String, Long> m = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().canConvertToLong() || !e.getValue().isIntegralNumber() || e.getValue().asLong() < 0) {
                    throw new CtfException("ctf stream: offset position of stream '" + e.getKey()
                            + "' is not a packet count: " + e.getValue());
                }
                m.put(e.getKey(), e.getValue().asLong());
            }
            paths.add(m);
        }
        return new StreamOffset(paths);
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamOffset so && so.paths.equals(paths);
    }

    @Override
    public int hashCode() {
        return paths.hashCode();
    }
}
