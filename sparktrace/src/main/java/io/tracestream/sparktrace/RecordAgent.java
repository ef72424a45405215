package io.tracestream.sparktrace;

import java.lang.instrument.Instrumentation;
import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * A Java agent that turns tracing on in any JVM that starts a SparkContext, without touching its command line
 * beyond {@code -javaagent:tracestream-sparktrace-plugin.jar=output=DIR} (which {@code tracestream record} passes
 * through {@code JDK_JAVA_OPTIONS}). The agent jar is already on the system class path; the agent only sets system
 * properties, which SparkConf reads: it adds {@link TracePlugin} to {@code spark.plugins}, the jar to
 * {@code spark.jars} (so executors of a cluster load the plugin too) and sets {@code spark.tracestream.output}.
 * Other {@code key=value} arguments, separated by commas, set {@code spark.tracestream.KEY}.
 */
public final class RecordAgent {
    private RecordAgent() {
    }

    /** Agent entry point. */
    public static void premain(String args, Instrumentation inst) {
        configure(args, System.getProperties());
    }

    static void configure(String args, java.util.Properties props) {
        if (args != null && !args.isBlank()) {
            for (String kv : args.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalArgumentException("tracestream agent: expected KEY=VALUE, got '" + kv + "'");
                }
                props.setProperty(TraceConfig.PREFIX + kv.substring(0, eq).trim(), kv.substring(eq + 1).trim());
            }
        }
        append(props, "spark.plugins", TracePlugin.class.getName());
        Path jar = ownJar();
        if (jar != null) {
            append(props, "spark.jars", jar.toString());
        }
    }

    private static void append(java.util.Properties props, String key, String value) {
        String old = props.getProperty(key, "").trim();
        for (String s : old.split(",")) {
            if (s.trim().equals(value)) {
                return;
            }
        }
        props.setProperty(key, old.isEmpty() ? value : old + "," + value);
    }

    private static Path ownJar() {
        try {
            var src = RecordAgent.class.getProtectionDomain().getCodeSource();
            if (src == null) {
                return null;
            }
            Path p = Path.of(src.getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
