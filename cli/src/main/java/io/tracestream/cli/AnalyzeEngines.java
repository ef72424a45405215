package io.tracestream.cli;

import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code analyze --engine local|spark|auto [--master URL]}: which engine runs the analyses. {@code auto} (the
 * default) takes Spark when {@code --master} is given, or when the traces are larger than
 * {@link #AUTO_SPARK_BYTES} and the Spark plugin can run in this JVM; otherwise the in-process engine.
 */
final class AnalyzeEngines {
    /** Above this many bytes of trace files, {@code --engine auto} uses Spark (when available): 4 GiB. */
    static final long AUTO_SPARK_BYTES = Long.getLong("tracestream.analyze.sparkBytes", 4L << 30);
    static final String PLUGIN = "analyze.spark";

    private AnalyzeEngines() {
    }

    /** "local" or "spark", from --engine/--master and the trace size. */
    static String choose(Arguments args, List<Path> paths) {
        String e = args.value("engine", "auto").toLowerCase(Locale.ROOT);
        switch (e) {
            case "local" -> {
                if (args.has("master")) {
                    throw new UsageException("--master needs --engine spark (or auto)");
                }
                return "local";
            }
            case "spark" -> {
                return "spark";
            }
            case "auto" -> {
                if (args.has("master")) {
                    return "spark";
                }
                // the JVM check first: without the Spark options (most runs) the traces need no walk
                return sparkCanRun() && size(paths) > AUTO_SPARK_BYTES ? "spark" : "local";
            }
            default -> throw new UsageException("unknown --engine '" + e + "' (local, spark or auto)");
        }
    }

    /** Runs the analyses with the Spark plugin. */
    static List<AnalysisResult> spark(List<Path> paths, List<Analysis> analyses, AnalysisConfig config,
            String master, Terminal terminal) {
        Command c = Plugins.find(PLUGIN);
        if (!(c instanceof AnalysisEnginePlugin engine)) {
            throw new UsageException("--engine spark needs the Spark module: run it through ./tracestream (which "
                    + "builds it) or set " + Plugins.ENV);
        }
        Thread t = Thread.currentThread();
        ClassLoader saved = t.getContextClassLoader();
        t.setContextClassLoader(c.getClass().getClassLoader());
        try {
            return engine.run(paths, analyses, config, master, terminal);
        } finally {
            t.setContextClassLoader(saved);
        }
    }

    /** The plugin is there and the JVM opens java.base to Spark (the launcher's Spark options). */
    private static boolean sparkCanRun() {
        try {
            return Object.class.getModule().isOpen("sun.nio.ch", AnalyzeEngines.class.getModule())
                    && Plugins.find(PLUGIN) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Bytes of the regular files under the paths (not descending into linked folders); 0 when unreadable. */
    private static long size(List<Path> paths) {
        long n = 0;
        for (Path p : paths) {
            File f = p.toFile();
            if (f.isFile()) {
                n += f.length();
            } else if (f.isDirectory()) {
                long s = folderSize(f, 0);
                if (s < 0) {
                    return 0; // the engine reports unreadable paths
                }
                n += s;
            }
        }
        return n;
    }

    private static long folderSize(File folder, int depth) {
        File[] entries = folder.listFiles();
        if (entries == null || depth > 64) {
            return -1;
        }
        long n = 0;
        for (File e : entries) {
            if (e.isFile()) {
                n += e.length();
            } else if (e.isDirectory() && !Files.isSymbolicLink(e.toPath())) {
                long s = folderSize(e, depth + 1);
                if (s < 0) {
                    return -1;
                }
                n += s;
            }
        }
        return n;
    }
}
