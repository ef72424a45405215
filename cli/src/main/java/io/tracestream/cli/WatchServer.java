package io.tracestream.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tracestream.analyses.stream.AlertEvent;
import io.tracestream.analyses.stream.Metric;
import io.tracestream.analyses.stream.WindowMetrics;
import io.tracestream.analyses.stream.WindowResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The web page of {@code tracestream watch --serve}: a JDK {@link HttpServer} on a local address serving one
 * self-contained page ({@code /}: inline data, script and SVG charts, nothing from elsewhere), the same data as JSON
 * ({@code /data.json}) and its updates as Server-Sent Events ({@code /events}: {@code window}, {@code alert} and
 * {@code end} events). Keeps the last {@value #HISTORY} windows and {@value #ALERTS} alerts.
 */
final class WatchServer {
    static final int HISTORY = 600;
    static final int ALERTS = 200;
    /** Closes a client's event stream (compared by identity). */
    @SuppressWarnings("StringOperationCanBeSimplified")
    private static final String END = new String("end");
    private final HttpServer http;
    private final ExecutorService pool;
    private final String meta;
    private final DateTimeFormatter clock;
    private final int top;
    private final ArrayDeque<String> windows = new ArrayDeque<>();
    private final ArrayDeque<String> alerts = new ArrayDeque<>();
    private final List<BlockingQueue<String>> clients = new CopyOnWriteArrayList<>();
    private boolean ended;
    private long alertSeq;

    private WatchServer(HttpServer http, String name, long window, int top, ZoneId zone) {
        this.http = http;
        this.top = top;
        this.clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(zone);
        StringBuilder m = new StringBuilder("{\"name\":");
        WindowMetrics.jsonString(m, name);
        m.append(",\"window\":");
        WindowMetrics.jsonString(m, Metric.formatDuration(window));
        m.append(",\"units\":{");
        boolean first = true;
        for (Metric x : Metric.values()) {
            m.append(first ? "" : ",");
            WindowMetrics.jsonString(m, x.key());
            m.append(':');
            WindowMetrics.jsonString(m, x.unit().name());
            first = false;
        }
        this.meta = m.append("}}").toString();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "tracestream-watch-http");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(pool);
        http.createContext("/", this::page);
        http.createContext("/data.json", x -> send(x, 200, "application/json", data()));
        http.createContext("/events", this::events);
    }

    /** Starts serving on {@code host:port} (port 0: a free port). */
    static WatchServer start(String host, int port, String name, long window, int top, ZoneId zone)
            throws IOException {
        HttpServer http;
        try {
            http = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 0);
        } catch (IOException e) {
            throw new IOException("--serve " + host + ":" + port + ": cannot listen there: " + e.getMessage(), e);
        }
        WatchServer s = new WatchServer(http, name, window, top, zone);
        http.start();
        return s;
    }

    /** The page's address. */
    String url() {
        InetSocketAddress a = http.getAddress();
        String host = a.getAddress().getHostAddress();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort() + "/";
    }

    /** A closed window and the alerts it fired or resolved. */
    void publish(WindowResult w, List<AlertEvent> fired) {
        StringBuilder b = new StringBuilder("{\"time\":");
        WindowMetrics.jsonString(b, clock.format(Instant.ofEpochSecond(0, w.begin())));
        b.append(",\"partial\":").append(w.partial()).append(",\"events\":").append(w.events())
                .append(",\"m\":").append(w.metrics().toJson(top)).append('}');
        String json = b.toString();
        List<String> out = new ArrayList<>();
        synchronized (this) {
            windows.addLast(json);
            while (windows.size() > HISTORY) {
                windows.removeFirst();
            }
            out.add("event: window\ndata: " + json + "\n\n");
            for (AlertEvent e : fired) {
                StringBuilder a = new StringBuilder("{\"seq\":").append(alertSeq++).append(",\"kind\":\"")
                        .append(e.kind()).append("\",\"rule\":");
                WindowMetrics.jsonString(a, e.rule().text());
                a.append(",\"time\":");
                WindowMetrics.jsonString(a, clock.format(Instant.ofEpochSecond(0, e.windowEnd())));
                a.append(",\"value\":");
                WindowMetrics.jsonString(a, e.rule().metric().format(e.value()));
                a.append(",\"windows\":").append(e.windows()).append('}');
                alerts.addLast(a.toString());
                while (alerts.size() > ALERTS) {
                    alerts.removeFirst();
                }
                out.add("event: alert\ndata: " + a + "\n\n");
            }
        }
        for (BlockingQueue<String> c : clients) {
            c.addAll(out);
        }
    }

    /** The stream ended: clients are told, and their event streams close. */
    void end() {
        synchronized (this) {
            ended = true;
        }
        for (BlockingQueue<String> c : clients) {
            c.add("event: end\ndata: {}\n\n");
            c.add(END);
        }
    }

    void stop() {
        for (BlockingQueue<String> c : clients) {
            c.add(END);
        }
        http.stop(1); // lets the event streams write their end
        pool.shutdownNow();
    }

    private synchronized String data() {
        return "{\"meta\":" + meta + ",\"ended\":" + ended + ",\"windows\":[" + String.join(",", windows)
                + "],\"alerts\":[" + String.join(",", alerts) + "]}";
    }

    private void page(HttpExchange x) throws IOException {
        if (!x.getRequestURI().getPath().equals("/")) {
            send(x, 404, "text/plain", "not found\n");
            return;
        }
        send(x, 200, "text/html", WatchPage.html(data()));
    }

    private void events(HttpExchange x) throws IOException {
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        synchronized (this) {
            for (String w : windows) {
                q.add("event: window\ndata: " + w + "\n\n");
            }
            for (String a : alerts) {
                q.add("event: alert\ndata: " + a + "\n\n");
            }
            if (ended) {
                q.add("event: end\ndata: {}\n\n");
                q.add(END);
            }
            clients.add(q);
        }
        x.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(200, 0);
        try (OutputStream out = x.getResponseBody()) {
            out.write("retry: 2000\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            while (true) {
                String s = q.poll(15, TimeUnit.SECONDS);
                if (s == null) {
                    s = ": keep-alive\n\n";
                } else if (s == END) {
                    break;
                }
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // the client went away, or the server stops
        } finally {
            clients.remove(q);
        }
    }

    private static void send(HttpExchange x, int code, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.sendResponseHeaders(code, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }
}
