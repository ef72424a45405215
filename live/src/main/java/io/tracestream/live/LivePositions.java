package io.tracestream.live;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How far a {@link LiveSession} has delivered each stream: a checkpoint to resume from
 * ({@link LiveOptions#resumeFrom}) without loss or duplicates while the relay still holds the data. Positions are at
 * packet granularity: a packet counts as delivered once its PACKET_END message has been returned.
 *
 * <p>Serialized as small versioned JSON: <pre>{@code
 * {"version":1,"streams":[{"stream":"host/s-20260101-101010/ust/uid/0/64-bit/chan0_0","packets":12,
 *   "begin":1234,"end":5678,"offset":49152}]}
 * }</pre>
 */
public final class LivePositions {
    /**
     * The last packet delivered from one stream.
     *
     * @param stream  the stream's identity: the relay's path of its trace and the stream (channel and CPU) name
     * @param packets how many packets of the stream were delivered
     * @param begin   the last packet's {@code timestamp_begin} (cycles)
     * @param end     its {@code timestamp_end} (cycles)
     * @param offset  its byte offset in the relay's stream file
     */
    public record Stream(String stream, long packets, long begin, long end, long offset) {
        /** True when a packet with these index values comes at or before this position. */
        boolean covers(long pBegin, long pEnd, long pOffset) {
            int c = Long.compareUnsigned(pBegin, begin);
            if (c == 0) {
                c = Long.compareUnsigned(pEnd, end);
            }
            if (c == 0) {
                c = Long.compare(pOffset, offset);
            }
            return c <= 0;
        }
    }

    private static final Pattern ENTRY = Pattern.compile("\\{\\s*\"stream\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"\\s*,"
            + "\\s*\"packets\"\\s*:\\s*(\\d+)\\s*,\\s*\"begin\"\\s*:\\s*(\\d+)\\s*,\\s*\"end\"\\s*:\\s*(\\d+)\\s*,"
            + "\\s*\"offset\"\\s*:\\s*(\\d+)\\s*}");
    private static final Pattern HEAD = Pattern.compile("^\\s*\\{\\s*\"version\"\\s*:\\s*1\\s*,\\s*\"streams\"\\s*:\\s*\\[");

    private final Map<String, Stream> streams;

    private LivePositions(Map<String, Stream> streams) {
        this.streams = Collections.unmodifiableMap(streams);
    }

    /** No position: everything is new. */
    public static LivePositions empty() {
        return new LivePositions(new LinkedHashMap<>());
    }

    /** The positions of the given streams. */
    public static LivePositions of(List<Stream> list) {
        Map<String, Stream> m = new LinkedHashMap<>();
        for (Stream s : list) {
            m.put(s.stream(), s);
        }
        return new LivePositions(m);
    }

    public List<Stream> streams() {
        return new ArrayList<>(streams.values());
    }

    /** The position of a stream, or null. */
    public Stream get(String stream) {
        return streams.get(stream);
    }

    /** This checkpoint as JSON (see the class comment). */
    public String toJson() {
        StringBuilder b = new StringBuilder("{\"version\":1,\"streams\":[");
        boolean first = true;
        for (Stream s : streams.values()) {
            if (!first) {
                b.append(',');
            }
            first = false;
            b.append("{\"stream\":\"").append(escape(s.stream())).append("\",\"packets\":")
                    .append(Long.toUnsignedString(s.packets())).append(",\"begin\":")
                    .append(Long.toUnsignedString(s.begin())).append(",\"end\":")
                    .append(Long.toUnsignedString(s.end())).append(",\"offset\":")
                    .append(Long.toUnsignedString(s.offset())).append('}');
        }
        return b.append("]}").toString();
    }

    /**
     * Parses {@link #toJson()} output.
     *
     * @throws IllegalArgumentException when the text is not a version-1 checkpoint
     */
    public static LivePositions fromJson(String json) {
        Matcher h = HEAD.matcher(json);
        if (!h.find()) {
            throw new IllegalArgumentException("not a version 1 live position checkpoint: "
                    + json.substring(0, Math.min(60, json.length())));
        }
        Map<String, Stream> m = new LinkedHashMap<>();
        int pos = h.end();
        Matcher e = ENTRY.matcher(json);
        while (true) {
            while (pos < json.length() && (Character.isWhitespace(json.charAt(pos)) || json.charAt(pos) == ',')) {
                pos++;
            }
            if (pos < json.length() && json.charAt(pos) == ']') {
                break;
            }
            if (!e.find(pos) || e.start() != pos) {
                throw new IllegalArgumentException("bad live position checkpoint at character " + pos);
            }
            try {
                Stream s = new Stream(unescape(e.group(1)), Long.parseUnsignedLong(e.group(2)),
                        Long.parseUnsignedLong(e.group(3)), Long.parseUnsignedLong(e.group(4)),
                        Long.parseUnsignedLong(e.group(5)));
                m.put(s.stream(), s);
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("bad number in live position checkpoint at character " + pos);
            }
            pos = e.end();
        }
        return new LivePositions(m);
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == 'u' && i + 4 < s.length()) {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    b.append(n);
                }
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return toJson();
    }
}
