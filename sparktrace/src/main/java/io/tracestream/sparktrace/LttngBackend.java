package io.tracestream.sparktrace;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Optional second output: every event also goes to the LTTng-UST Java agent (JUL domain), so it lands in the LTTng
 * session that traces the rest of the system. The agent ({@code org.lttng.ust.agent.jul.LttngLogHandler}) is loaded
 * reflectively, from the application's class path or from {@link TraceConfig#lttngJars()}, so the plugin has no
 * dependency on it. Each event is one {@code lttng_jul:event} whose {@code logger_name} is the event name (for
 * instance {@code spark:task_end}, so {@code lttng enable-event -j 'spark:*'} selects them) and whose {@code msg} is
 * {@code name=value} pairs; it is published by the thread that emitted the event, at that moment.
 */
final class LttngBackend {
    private static final Logger LOG = Logger.getLogger(LttngBackend.class.getName());
    static final String HANDLER_CLASS = "org.lttng.ust.agent.jul.LttngLogHandler";

    /** The agent's handler class, loaded once per JVM (its JNI library can be loaded by one class loader only). */
    private static Class<?> handlerClass;
    private final Handler handler;

    private LttngBackend(Handler handler) {
        this.handler = handler;
    }

    /** The backend the configuration asks for, or null (off, or auto without a session daemon or agent). */
    static LttngBackend start(TraceConfig config) {
        String mode = config.lttng();
        if (mode.equals("false")) {
            return null;
        }
        boolean required = mode.equals("true");
        if (!required && !sessionDaemonRunning()) {
            return null;
        }
        try {
            Class<?> c = handlerClass(config.lttngJars());
            if (c == null) {
                if (required) {
                    LOG.warning("tracestream: spark.tracestream.lttng=true but " + HANDLER_CLASS
                            + " is neither on the class path nor in " + config.lttngJars());
                }
                return null;
            }
            return new LttngBackend((Handler) c.getConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException && e.getCause() != null
                    ? e.getCause() : e;
            LOG.warning("tracestream: cannot start the LTTng JUL agent: " + cause);
            return null;
        }
    }

    /** Whether an LTTng session daemon listens for agents (root's or this user's). */
    static boolean sessionDaemonRunning() {
        List<Path> candidates = new ArrayList<>();
        String lttngHome = System.getenv("LTTNG_HOME");
        if (lttngHome != null) {
            candidates.add(Path.of(lttngHome, ".lttng"));
        }
        candidates.add(Path.of("/var/run/lttng"));
        candidates.add(Path.of(System.getProperty("user.home"), ".lttng"));
        for (Path dir : candidates) {
            // The session daemon writes the port agents connect to into agent.port.
            if (Files.isRegularFile(dir.resolve("agent.port"))) {
                return true;
            }
        }
        return false;
    }

    private static synchronized Class<?> handlerClass(String jars) throws ClassNotFoundException {
        if (handlerClass == null) {
            handlerClass = loadHandlerClass(jars);
        }
        return handlerClass;
    }

    private static Class<?> loadHandlerClass(String jars) throws ClassNotFoundException {
        try {
            return Class.forName(HANDLER_CLASS, true, LttngBackend.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            // try the configured jars
        }
        List<URL> urls = new ArrayList<>();
        for (String j : jars.split(File.pathSeparator)) {
            Path p = Path.of(j.trim());
            if (!j.isBlank() && Files.isRegularFile(p)) {
                try {
                    urls.add(p.toUri().toURL());
                } catch (java.net.MalformedURLException e) {
                    throw new IllegalArgumentException(p + ": " + e.getMessage(), e);
                }
            }
        }
        if (urls.isEmpty()) {
            return null;
        }
        ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), LttngBackend.class.getClassLoader());
        return Class.forName(HANDLER_CLASS, true, cl);
    }

    /** Publishes one encoded record. */
    void publish(EventType type, byte[] record, int length) {
        StringBuilder msg = new StringBuilder(128);
        RecordDecoder.decode(record, length, type, new TextSink(msg));
        LogRecord r = new LogRecord(Level.INFO, msg.toString());
        r.setLoggerName(type.name);
        r.setSourceClassName("io.tracestream.sparktrace");
        r.setSourceMethodName(type.name.substring(type.name.indexOf(':') + 1));
        handler.publish(r);
    }

    /** Closes the agent on a background thread (its close takes seconds). */
    void close() {
        Thread t = new Thread(() -> {
            try {
                handler.close();
            } catch (RuntimeException e) {
                LOG.fine("tracestream: closing the LTTng agent: " + e);
            }
        }, "tracestream-lttng-close");
        t.setDaemon(true);
        t.start();
    }

    /** {@code name=value} text of a record. */
    static final class TextSink implements RecordDecoder.Sink {
        private final StringBuilder out;
        private int depth;

        TextSink(StringBuilder out) {
            this.out = out;
        }

        private StringBuilder name(String n) {
            if (out.length() > 0 && out.charAt(out.length() - 1) != '[') {
                out.append(depth > 0 ? ", " : " ");
            }
            if (n != null) {
                out.append(n).append('=');
            }
            return out;
        }

        @Override
        public void i32(String name, int v) {
            name(name).append(v);
        }

        @Override
        public void i64(String name, long v) {
            name(name).append(v);
        }

        @Override
        public void bool(String name, boolean v) {
            name(name).append(v);
        }

        @Override
        public void f64(String name, double v) {
            name(name).append(v);
        }

        @Override
        public void str(String name, String v) {
            name(name).append('"').append(v.replace("\"", "\\\"")).append('"');
        }

        @Override
        public void locality(String name, int v) {
            name(name).append(v < SparkEvents.LOCALITIES.size() ? SparkEvents.LOCALITIES.get(v) : "UNKNOWN");
        }

        @Override
        public void beginSequence(String name, int n) {
            name(name).append('[');
            depth++;
        }

        @Override
        public void endSequence(String name) {
            depth--;
            out.append(']');
        }
    }
}
