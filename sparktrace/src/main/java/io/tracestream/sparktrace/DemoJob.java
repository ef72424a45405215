package io.tracestream.sparktrace;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The bundled demo application ({@code tracestream demo spark}): three jobs, each with a deliberate problem, recorded
 * with the plugin.
 * <ol>
 *   <li><b>straggler</b>: 8 CPU-bound tasks of the same input size; task of partition 5 computes 8 times longer;</li>
 *   <li><b>skew</b>: a shuffle where 80% of the records share one key, so one reduce task gets most of the data;</li>
 *   <li><b>io</b>: 4 tasks that write files in 1 MiB chunks, each made durable with {@code fsync}: their time is
 *       spent blocked on I/O, not on the CPU.</li>
 * </ol>
 * Runs in local mode ({@code local[2]}) unless {@code --master} says otherwise.
 */
public final class DemoJob {
    /** Partition of the straggler task in the first job. */
    public static final int STRAGGLER_PARTITION = 5;
    /** The usage line. */
    public static final String USAGE = "usage: demo spark --output DIR [--master URL] [--scale N]";

    private DemoJob() {
    }

    /** Command-line entry point (exit status as {@link #run}). */
    public static void main(String[] args) {
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Runs the demo; 0 on success, 2 on a usage error, 1 on failure (a one-line message on {@code err}). */
    public static int run(List<String> args, PrintStream out, PrintStream err) {
        Path output = null;
        String master = "local[2]";
        int scale = 1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                return 0;
            }
            if (!a.equals("--output") && !a.equals("-o") && !a.equals("--master") && !a.equals("--scale")) {
                err.println("demo spark: unknown option '" + a + "'\n" + USAGE);
                return 2;
            }
            if (i + 1 >= args.size()) {
                err.println("demo spark: " + a + " needs a value\n" + USAGE);
                return 2;
            }
            String v = args.get(++i);
            switch (a) {
                case "--master" -> master = v;
                case "--scale" -> {
                    try {
                        scale = Integer.parseInt(v);
                    } catch (NumberFormatException e) {
                        scale = -1;
                    }
                    if (scale < 1 || scale > 1000) {
                        err.println("demo spark: --scale must be an integer from 1 to 1000, got '" + v + "'");
                        return 2;
                    }
                }
                default -> output = Path.of(v);
            }
        }
        if (output == null) {
            err.println("demo spark: --output DIR is required\n" + USAGE);
            return 2;
        }
        try {
            Path traces = record(output, master, scale);
            out.println("recorded " + TraceDirs.list(traces).size() + " trace(s) in " + traces);
            for (Path p : TraceDirs.list(traces)) {
                out.println("  " + p);
            }
            return 0;
        } catch (RuntimeException e) {
            err.println("demo spark: " + e.getMessage());
            return 1;
        }
    }

    /** Runs the three jobs with the plugin recording into {@code output}; returns the application's directory. */
    public static Path record(Path output, String master, int scale) {
        return record(output, master, scale, null);
    }

    /**
     * As {@link #record(Path, String, int)}; {@code pluginJar} is the jar shipped to a cluster's executors (the
     * plugin and the demo's code; null: found as {@code record} finds it).
     */
    public static Path record(Path output, String master, int scale, Path pluginJar) {
        if (System.getProperty("log4j2.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "io/tracestream/sparktrace/log4j2-demo.properties");
        }
        SparkSession.Builder b = SparkSession.builder().master(master).appName("tracestream-demo")
                .config("spark.plugins", TracePlugin.class.getName())
                .config("spark.tracestream.output", output.toAbsolutePath().toString())
                .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "8");
        if (master.startsWith("local")) {
            if (System.getenv("SPARK_LOCAL_IP") == null) {
                b.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
            }
        } else {
            // executors of a cluster load the plugin and the demo's tasks from the plugin jar
            Path jar = pluginJar != null ? pluginJar : RecordCommand.findPluginJar();
            if (jar == null) {
                throw new IllegalStateException("--master " + master + " needs " + RecordCommand.JAR_NAME
                        + " for the executors: build it with 'mvn -pl sparktrace -am package -DskipTests' or set "
                        + RecordCommand.JAR_ENV);
            }
            b.config("spark.jars", jar.toString());
        }
        SparkSession spark = b.getOrCreate();
        String appId = spark.sparkContext().applicationId();
        try {
            run(JavaSparkContext.fromSparkContext(spark.sparkContext()), scale);
        } finally {
            spark.stop();
        }
        return output.toAbsolutePath().resolve(Recorder.sanitize(appId));
    }

    static void run(JavaSparkContext sc, int scale) {
        sc.setJobDescription("straggler: partition " + STRAGGLER_PARTITION + " computes 8x longer");
        long baseCpuMs = 150L * scale;
        sc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).map(p ->
                burnCpu(p == STRAGGLER_PARTITION ? 8 * baseCpuMs : baseCpuMs)).count();

        sc.setJobDescription("skew: 80% of the records have key 0");
        int n = 400_000 * scale;
        sc.parallelize(IntStream.range(0, 8).boxed().toList(), 8).flatMapToPair(p -> {
            List<Tuple2<Integer, Long>> l = new ArrayList<>(n / 8);
            for (int i = p; i < n; i += 8) {
                l.add(new Tuple2<>(i % 10 < 8 ? 0 : 1 + i % 63, (long) i));
            }
            return l.iterator();
        }).groupByKey(8).mapValues(vs -> {
            long h = 0;
            for (long v : vs) {
                h = h * 31 + Long.hashCode(v * 0x9E3779B97F4A7C15L);
            }
            return h;
        }).count();

        sc.setJobDescription("io: 4 tasks write with fsync after every MiB");
        String scratch = System.getProperty("java.io.tmpdir");
        int mib = 24 * scale;
        sc.parallelize(IntStream.range(0, 4).boxed().toList(), 4).map(p -> writeDurably(scratch, p, mib)).count();
        sc.setJobDescription(null);
    }

    /** Spins until the calling thread has used {@code ms} of CPU time. */
    static long burnCpu(long ms) {
        ThreadMXBean t = ManagementFactory.getThreadMXBean();
        long end = t.getCurrentThreadCpuTime() + ms * 1_000_000L;
        long x = 1;
        while (t.getCurrentThreadCpuTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x = x * 6364136223846793005L + 1442695040888963407L;
            }
        }
        return x;
    }

    /** Writes {@code mib} MiB to a scratch file, syncing after each MiB; deletes it; returns bytes written. */
    static long writeDurably(String dir, int partition, int mib) {
        Path f = null;
        try {
            f = Files.createTempFile(Path.of(dir), "tracestream-demo-io-" + partition + "-", ".bin");
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
            long written = 0;
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
                for (int i = 0; i < mib; i++) {
                    chunk.clear();
                    while (chunk.hasRemaining()) {
                        written += ch.write(chunk);
                    }
                    ch.force(false);
                }
            }
            return written;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (f != null) {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    // best effort
                }
            }
        }
    }
}
