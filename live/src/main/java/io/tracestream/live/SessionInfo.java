package io.tracestream.live;

/**
 * A tracing session a relay daemon offers for live reading, as its session list shows it. The relay has one entry
 * per tracing domain and bitness of a session (kernel, 32- and 64-bit user space); {@link LiveSession#list} merges
 * the entries of one session and sums their stream and client counts, as babeltrace2 does.
 *
 * @param url             the URL to read it with
 * @param hostname        the traced host
 * @param name            the session name
 * @param liveTimerMicros the session's live timer period in µs (0: not a live session)
 * @param streams         the number of streams
 * @param clients         the number of viewers attached
 */
public record SessionInfo(LiveUrl url, String hostname, String name, long liveTimerMicros, long streams,
                          long clients) {
}
