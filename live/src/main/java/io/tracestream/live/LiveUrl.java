package io.tracestream.live;

/**
 * An LTTng live URL, as babeltrace2 takes it: {@code net://HOST[:PORT]} (a relay daemon) or
 * {@code net://HOST[:PORT]/host/HOSTNAME/SESSION} (one tracing session of the traced host {@code HOSTNAME}).
 * {@code net4://} is accepted too; an IPv6 address goes in brackets. The default port is 5344, lttng-relayd's live
 * port.
 *
 * @param host        the relay daemon's address
 * @param port        its live port
 * @param hostname    the traced host's name, or null for a relay URL
 * @param sessionName the tracing session's name, or null for a relay URL
 */
public record LiveUrl(String host, int port, String hostname, String sessionName) {
    /** lttng-relayd's default live port. */
    public static final int DEFAULT_PORT = 5344;

    /**
     * Parses {@code url}.
     *
     * @throws LiveException when it is not an LTTng live URL (the message says what is wrong)
     */
    public static LiveUrl parse(String url) {
        String rest;
        if (url.startsWith("net://")) {
            rest = url.substring(6);
        } else if (url.startsWith("net4://")) {
            rest = url.substring(7);
        } else {
            throw bad(url, "it must start with net://");
        }
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash);
        String host;
        int port = DEFAULT_PORT;
        String portText = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw bad(url, "unclosed '[' in the host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw bad(url, "unexpected text after the host");
                }
                portText = after.substring(1);
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            portText = colon < 0 ? null : authority.substring(colon + 1);
        }
        if (host.isEmpty()) {
            throw bad(url, "no host");
        }
        if (portText != null) {
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                port = -1;
            }
            if (port < 1 || port > 65535) {
                throw bad(url, "invalid port '" + portText + "'");
            }
        }
        if (path.isEmpty() || path.equals("/")) {
            return new LiveUrl(host, port, null, null);
        }
        String[] parts = path.substring(1).split("/", -1);
        if (parts.length != 3 || !parts[0].equals("host") || parts[1].isEmpty() || parts[2].isEmpty()) {
            throw bad(url, "the path must be /host/HOSTNAME/SESSION");
        }
        return new LiveUrl(host, port, parts[1], parts[2]);
    }

    private static LiveException bad(String url, String why) {
        return new LiveException("invalid LTTng live URL '" + url + "': " + why
                + " (expected net://HOST[:PORT][/host/HOSTNAME/SESSION])");
    }

    /** True when the URL names a session. */
    public boolean hasSession() {
        return sessionName != null;
    }

    /** The relay part, {@code net://HOST:PORT}. */
    public String relay() {
        return "net://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** This URL for another session of the same relay. */
    public LiveUrl withSession(String targetHostname, String session) {
        return new LiveUrl(host, port, targetHostname, session);
    }

    @Override
    public String toString() {
        return hasSession() ? relay() + "/host/" + hostname + "/" + sessionName : relay();
    }
}
