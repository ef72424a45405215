package io.tracestream.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Commands that live outside the shaded CLI jar because they need large libraries (Apache Spark): they are loaded
 * on demand through a class loader over a module's build output and its dependencies, so that {@code tracestream
 * print} never pays for them.
 *
 * <p>A plugin module (e.g. {@code spark}, {@code sparktrace}) declares its commands in
 * {@code src/main/resources/META-INF/tracestream/commands.properties} ({@code NAME=fully.qualified.CommandClass};
 * names containing a dot are internal: not listed, used by built-in commands such as {@code convert --to parquet})
 * and writes {@code target/tracestream-classpath.txt} ({@code dependency:build-classpath}, compile scope so that
 * provided Spark is included) when packaged. The environment variable {@code TRACESTREAM_PLUGINS} lists the plugin
 * modules' build folders ({@code :}-separated, each holding {@code classes/} and {@code tracestream-classpath.txt});
 * the {@code ./tracestream} launcher sets it and builds the modules when a plugin command is used.
 */
public final class Plugins {
    /** The environment variable listing the plugin build folders. */
    public static final String ENV = "TRACESTREAM_PLUGINS";
    static final String COMMANDS = "META-INF/tracestream/commands.properties";
    static final String CLASSPATH_FILE = "tracestream-classpath.txt";

    /**
     * Modules the CLI jar already holds (shaded): left out of the plugin class path so that each of their classes
     * exists once in the JVM (a second copy in the plugin loader breaks sealed hierarchies and instanceof checks).
     */
    private static final class InCliJar {
        // in a holder: every command asks isPlugin(), only plugin loading needs the pattern
        static final java.util.regex.Pattern PATTERN = java.util.regex.Pattern.compile(
                "(tracestream-(ctf|cli|analyses|live|ftrace)-[^/]*\\.jar$)"
                        + "|(/(ctf|cli|analyses|live|ftrace)/[^/]+/classes/?$)");
    }

    private static ClassLoader loader;
    private static Map<String, String> names;

    private Plugins() {
    }

    /** The plugin command of that name, or null (also when no plugin folder is configured). */
    public static Command find(String name) {
        Map<String, String> n = names();
        String cls = n.get(name);
        if (cls == null) {
            return null;
        }
        try {
            Class<?> c = Class.forName(cls, true, loader);
            return (Command) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the command '" + name + "' (" + cls + ") from "
                    + System.getenv(ENV) + ": " + e, e);
        }
    }

    /** The plugin commands to list in the help (not the internal ones). */
    static List<Command> listed() {
        List<Command> out = new ArrayList<>();
        for (String n : names().keySet()) {
            if (!n.contains(".")) {
                try {
                    Command c = find(n);
                    if (c != null) {
                        out.add(c);
                    }
                } catch (RuntimeException e) {
                    // a broken plugin must not break --help
                }
            }
        }
        return out;
    }

    /**
     * Runs a plugin command with the plugin class loader as the thread's context class loader (Spark and
     * ServiceLoader-based libraries look classes up there).
     */
    public static int run(Command command, Arguments args, Terminal terminal) throws IOException {
        Thread t = Thread.currentThread();
        ClassLoader saved = t.getContextClassLoader();
        t.setContextClassLoader(command.getClass().getClassLoader());
        try {
            return command.run(args, terminal);
        } finally {
            t.setContextClassLoader(saved);
        }
    }

    /** True when {@code c} was loaded as a plugin. */
    static boolean isPlugin(Command c) {
        return loader != null && c.getClass().getClassLoader() == loader;
    }

    private static synchronized Map<String, String> names() {
        if (names != null) {
            return names;
        }
        names = new LinkedHashMap<>();
        String env = System.getenv(ENV);
        if (env == null || env.isBlank()) {
            return names;
        }
        Set<URL> urls = new LinkedHashSet<>();
        for (String dir : env.split(":")) {
            if (dir.isBlank()) {
                continue;
            }
            Path d = Path.of(dir);
            Path cp = d.resolve(CLASSPATH_FILE);
            if (!Files.isRegularFile(cp)) {
                continue;
            }
            try {
                urls.add(d.resolve("classes").toUri().toURL());
                String text = Files.readString(cp, StandardCharsets.UTF_8).trim();
                for (String e : text.split(java.io.File.pathSeparator)) {
                    if (!e.isBlank() && !InCliJar.PATTERN.matcher(e.trim()).find()) {
                        urls.add(Path.of(e.trim()).toUri().toURL());
                    }
                }
            } catch (MalformedURLException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(cp + ": " + e.getMessage(), e);
            }
        }
        if (urls.isEmpty()) {
            return names;
        }
        // Parent first: the CLI's own classes (Command, Terminal, the ctf core...) come from the CLI jar, so that a
        // plugin command is a Command of this class loader; Spark and the plugin module's classes from the folders.
        loader = new URLClassLoader("tracestream-plugins", urls.toArray(new URL[0]), Plugins.class.getClassLoader());
        try {
            Enumeration<URL> res = loader.getResources(COMMANDS);
            while (res.hasMoreElements()) {
                Properties p = new Properties();
                try (InputStream in = res.nextElement().openStream()) {
                    p.load(in);
                }
                for (String k : p.stringPropertyNames()) {
                    names.putIfAbsent(k.trim(), p.getProperty(k).trim());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
