package io.tracestream.spark.analyses;

import io.tracestream.analyses.Analyses;
import io.tracestream.analyses.Analysis;
import io.tracestream.analyses.AnalysisConfig;
import io.tracestream.analyses.AnalysisResult;
import io.tracestream.analyses.AnalysisTask;
import io.tracestream.analyses.Partials;
import io.tracestream.ctf.ClockValue;
import io.tracestream.ctf.CtfException;
import io.tracestream.ctf.DataStream;
import io.tracestream.ctf.ReadOptions;
import io.tracestream.ctf.Trace;
import io.tracestream.ctf.TraceSet;
import io.tracestream.ctf.decode.PacketIndexEntry;
import io.tracestream.ctf.io.FsDataStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs the kernel analyses ({@link Analysis}, defined once in module {@code analyses}) as Spark jobs, with the same
 * {@link AnalysisConfig} and the same {@link AnalysisResult}s as the in-process
 * {@link io.tracestream.analyses.LocalEngine}: identical tables, text and LAMI.
 *
 * <p>How the work is cut:
 * <ul>
 *   <li>A <em>chain</em> is one partition of the analysis in the sense of {@link Analysis.Partitioning}: all streams
 *       of all traces in time order for the {@code TIME_ORDERED} analyses (which share one chain, one decode and one
 *       state model, as in the local engine), the streams of one CPU for the {@code PER_STREAM} ones (one chain per
 *       CPU; the CPU comes from the packet context, found by a first, cheap Spark job that also finds where windows
 *       start).</li>
 *   <li>Each chain is cut in time <em>slices</em> of about {@link #maxSplitBytes} bytes of packets. Slice k of a chain
 *       resumes from the serialized {@link AnalysisTask} (model and pass state) at the end of slice k-1, so the
 *       state crossing a slice boundary (current threads, open intervals, pending wakeups) is exact. Slices run as
 *       waves of Spark jobs: wave k runs slice k of every chain, one task per chain, side by side. A small trace is
 *       one slice per chain: one wave.</li>
 *   <li>A slice decodes, on the executor, the packets of its streams that may hold its time range (plus the packet
 *       before, so that the losses reported at a packet beginning are exact, and the packet after), with the core's
 *       decoder and muxer ({@link io.tracestream.ctf.io.MessageMuxer}, the same stream trimmers as
 *       {@link TraceSet}), and keeps the messages of its range: every message of the whole run goes to exactly one
 *       slice, in the same order. Executors open each trace once per JVM (metadata, packet index) and check it is
 *       the version the driver planned.</li>
 *   <li>The per-CPU chains' partials are reduced by a Spark job in chain order (contiguous ranges merged on the
 *       executors, then the range results on the driver), so keys come out in the order the local engine gives
 *       them; then {@link Partials#fixBounds} and {@link Partials#result}. Discarded events and lost packets are
 *       carried into the results as in the local engine.</li>
 * </ul>
 *
 * <p>Analyses are shipped to executors by name when registered in {@link Analyses} (else the instance itself, which
 * must then be {@link Serializable}). Task state travels as Java-serialized bytes, whatever {@code spark.serializer}
 * is. The traces must be readable at the same path on every executor (a shared file system).
 */
public final class SparkEngine {
    /** Default slice size: 128 MiB of packets (as Spark's {@code spark.sql.files.maxPartitionBytes}). */
    public static final long DEFAULT_MAX_SPLIT_BYTES = 128L << 20;

    private final SparkSession spark;
    private long maxSplitBytes = DEFAULT_MAX_SPLIT_BYTES;
    private LongConsumer progress;
    private int lastWaves;

    /** An engine running on that session's cluster. */
    public SparkEngine(SparkSession spark) {
        this.spark = spark;
    }

    /** Slice size in bytes of packets (at least one packet per slice). */
    public SparkEngine maxSplitBytes(long bytes) {
        if (bytes < 1) {
            throw new IllegalArgumentException("maxSplitBytes must be at least 1");
        }
        this.maxSplitBytes = bytes;
        return this;
    }

    /** Called after each wave of slices with the time (ns) all chains have reached. */
    public SparkEngine progress(LongConsumer p) {
        this.progress = p;
        return this;
    }

    /** How many waves (sequential Spark jobs of slices) the last {@link #run} took. */
    public int lastWaves() {
        return lastWaves;
    }

    /** Runs the analyses over the traces under {@code paths}; results in the order of {@code analyses}. */
    public List<AnalysisResult> run(List<Path> paths, List<Analysis> analyses, AnalysisConfig config) {
        ReadOptions ro = ReadOptions.defaults().streamIntersection(config.intersection());
        if (config.end() != Long.MAX_VALUE) {
            ro = ro.end(config.end());
        }
        List<Path> absolute = new ArrayList<>();
        for (Path p : paths) {
            absolute.add(p.toAbsolutePath().normalize());
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        try (TraceSet set = TraceSet.open(ro, absolute)) {
            TraceRef ref = TraceRef.of(absolute, set.traces());
            boolean prioOffset = AnalysisTask.wakeupPrioOffset(set.traces());
            List<Analysis> ordered = new ArrayList<>();
            List<Analysis> perStream = new ArrayList<>();
            for (Analysis a : analyses) {
                (a.partitioning() == Analysis.Partitioning.PER_STREAM ? perStream : ordered).add(a);
            }
            List<Chain> chains = new ArrayList<>();
            Chain timeOrdered = null;
            if (!ordered.isEmpty() || perStream.isEmpty()) {
                timeOrdered = timeOrderedChain(set.traces(), ordered, config, prioOffset);
                chains.add(timeOrdered);
            }
            List<Chain> perCpu = perStream.isEmpty() ? List.of()
                    : perCpuChains(jsc, ref, set.traces(), perStream, config, prioOffset);
            chains.addAll(perCpu);
            byte[][] finals = runChains(jsc, ref, chains);

            Map<Analysis, Partials> reduced = new HashMap<>();
            List<AnalysisResult.Loss> losses = new ArrayList<>();
            if (timeOrdered != null) {
                AnalysisTask t = (AnalysisTask) JavaSer.read(finals[0]);
                losses.addAll(t.losses());
                for (int i = 0; i < ordered.size(); i++) {
                    reduced.put(ordered.get(i), t.partials(i));
                }
            }
            if (!perCpu.isEmpty()) {
                Reduced r = reduce(jsc, Arrays.asList(finals).subList(timeOrdered != null ? 1 : 0, finals.length),
                        perStream.size());
                for (int i = 0; i < perStream.size(); i++) {
                    r.partials[i].fixBounds(r.first, r.last, config.window());
                    reduced.put(perStream.get(i), r.partials[i]);
                }
                if (ordered.isEmpty()) {
                    losses.addAll(r.losses);
                }
            }
            List<AnalysisResult> results = new ArrayList<>();
            for (Analysis a : analyses) {
                results.add(reduced.get(a).result(a, config, losses));
            }
            return results;
        } catch (Exception e) { // Spark throws its checked SparkException undeclared
            throw translate(e);
        }
    }

    /**
     * Each result table of {@code results} as a DataFrame (columns typed after the LAMI column classes, plus
     * {@code period_begin}/{@code period_end} in ns), registered as a temporary view named after its LAMI table
     * class ({@code per-tid-usage} becomes {@code per_tid_usage}; prefixed with the analysis name,
     * {@code schedtop_...}, when two analyses have a table class of the same name). Keys: the view names.
     */
    public static Map<String, Dataset<Row>> tables(SparkSession spark, List<AnalysisResult> results) {
        return ResultFrames.tables(spark, results);
    }

    /** Runs the analyses and returns their tables as DataFrames (see {@link #tables(SparkSession, List)}). */
    public Map<String, Dataset<Row>> tables(List<Path> paths, List<Analysis> analyses, AnalysisConfig config) {
        return tables(spark, run(paths, analyses, config));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Planning

    /** The time-ordered chain: every stream of every trace, trimmed as TraceSet.messages() trims them. */
    private Chain timeOrderedChain(List<Trace> traces, List<Analysis> analyses, AnalysisConfig config,
            boolean prioOffset) {
        List<ChainStream> streams = new ArrayList<>();
        for (int t = 0; t < traces.size(); t++) {
            Trace trace = traces.get(t);
            long ib = Long.MIN_VALUE;
            long ie = Long.MAX_VALUE;
            if (config.intersection()) {
                long[] r = intersection(trace);
                ib = r[0];
                ie = r[1];
                if (ib > ie) {
                    throw new CtfException("trace '" + trace.name() + "' at " + trace.path()
                            + ": no stream intersection: its streams do not overlap in time (latest beginning " + ib
                            + " ns > earliest end " + ie + " ns)");
                }
            }
            for (int s = 0; s < trace.streams().size(); s++) {
                FsDataStream ds = (FsDataStream) trace.streams().get(s);
                int first = ib == Long.MIN_VALUE ? 0 : firstPacketFor(ds, ib);
                streams.add(new ChainStream(t, s, ds, first, ib, ie));
            }
        }
        return new Chain(AnalysisRef.of(analyses), config, prioOffset, ClockValue.NONE, config.end(), streams,
                maxSplitBytes, true);
    }

    /** One chain per CPU (streams grouped by trace and packet-context cpu_id), after a probe job. */
    private List<Chain> perCpuChains(JavaSparkContext jsc, TraceRef ref, List<Trace> traces, List<Analysis> analyses,
            AnalysisConfig config, boolean prioOffset) {
        List<Probe> probes = new ArrayList<>();
        List<long[]> bounds = new ArrayList<>();
        for (int t = 0; t < traces.size(); t++) {
            Trace trace = traces.get(t);
            long[] ib = config.intersection() ? intersection(trace) : new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
            if (ib[0] > ib[1]) {
                throw new CtfException("trace '" + trace.name() + "' at " + trace.path()
                        + ": no stream intersection: its streams do not overlap in time (latest beginning " + ib[0]
                        + " ns > earliest end " + ib[1] + " ns); analyse it without stream intersection");
            }
            for (int s = 0; s < trace.streams().size(); s++) {
                long[] bd = {ib[0], Math.min(ib[1], config.end())};
                bounds.add(bd);
                probes.add(new Probe(ref, t, s, Math.max(bd[0], config.begin()), bd[0], bd[1]));
            }
        }
        List<Object> found = jsc.parallelize(probes, Math.max(1, probes.size())).map(Probe::run).collect();
        for (Object o : found) {
            if (o instanceof String error) {
                throw new CtfException(error); // the first stream's error, as the local engine's sequential probe
            }
        }
        long origin = Long.MAX_VALUE;
        Map<String, List<ChainStream>> groups = new LinkedHashMap<>();
        for (int k = 0; k < probes.size(); k++) {
            Probe p = probes.get(k);
            long[] r = (long[]) found.get(k);
            origin = Math.min(origin, r[0]);
            FsDataStream ds = (FsDataStream) traces.get(p.trace()).streams().get(p.stream());
            groups.computeIfAbsent(p.trace() + "/" + r[1], x -> new ArrayList<>())
                    .add(new ChainStream(p.trace(), p.stream(), ds, 0, bounds.get(k)[0], bounds.get(k)[1]));
        }
        long periodOrigin = origin == Long.MAX_VALUE ? ClockValue.NONE : origin;
        List<AnalysisRef> refs = AnalysisRef.of(analyses);
        List<Chain> chains = new ArrayList<>();
        for (List<ChainStream> g : groups.values()) {
            chains.add(new Chain(refs, config, prioOffset, periodOrigin, Long.MAX_VALUE, g, maxSplitBytes, false));
        }
        return chains;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Running

    /** Runs the chains in waves; returns the final serialized task of each chain. */
    private byte[][] runChains(JavaSparkContext jsc, TraceRef ref, List<Chain> chains) {
        byte[][] state = new byte[chains.size()][];
        String[] errors = new String[chains.size()];
        int waves = 0;
        for (Chain c : chains) {
            waves = Math.max(waves, c.slices.size());
        }
        String group = "tracestream-analyses-" + System.nanoTime();
        for (int w = 0; w < waves; w++) {
            List<SliceWork> work = new ArrayList<>();
            long reached = Long.MAX_VALUE;
            for (int c = 0; c < chains.size(); c++) {
                Chain chain = chains.get(c);
                if (w < chain.slices.size() && errors[c] == null) {
                    boolean last = w == chain.slices.size() - 1;
                    work.add(new SliceWork(c, ref, chain.start, state[c], chain.slices.get(w), last));
                    if (!last) {
                        reached = Math.min(reached, chain.slices.get(w).hi());
                    }
                }
            }
            if (work.isEmpty()) {
                break;
            }
            jsc.setJobGroup(group, "tracestream analyses: wave " + (w + 1) + " of " + waves, false);
            List<SliceResult> out = jsc.parallelize(work, work.size()).map(SliceWork::run).collect();
            for (SliceResult r : out) {
                state[r.chain()] = r.task();
                errors[r.chain()] = r.error();
            }
            if (errors[0] != null) {
                break; // the time-ordered chain (or the first CPU) failed: nothing before it can fail
            }
            if (progress != null && reached != Long.MAX_VALUE) {
                progress.accept(reached);
            }
        }
        jsc.clearJobGroup();
        lastWaves = waves;
        for (String e : errors) {
            if (e != null) {
                throw new CtfException(e); // the first failing chain's error, as the local engine reports it
            }
        }
        return state;
    }

    /** Ordered tree reduction of the per-CPU partials: contiguous ranges on executors, range results in order. */
    private static Reduced reduce(JavaSparkContext jsc, List<byte[]> tasks, int analyses) {
        int chunks = Math.max(1, Math.min(tasks.size(), jsc.defaultParallelism()));
        List<byte[]> merged = jsc.parallelize(tasks, chunks)
                .mapPartitions(it -> {
                    Reduced r = new Reduced(analyses);
                    while (it.hasNext()) {
                        r.add((AnalysisTask) JavaSer.read(it.next()));
                    }
                    return List.of(JavaSer.write(r)).iterator();
                }).collect();
        Reduced all = new Reduced(analyses);
        for (byte[] b : merged) {
            all.merge((Reduced) JavaSer.read(b));
        }
        return all;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers shared with the executors

    /** babeltrace2's stream intersection of a trace (as TraceSet): [latest stream beginning, earliest stream end]. */
    static long[] intersection(Trace t) {
        long b = Long.MIN_VALUE;
        long e = Long.MAX_VALUE;
        for (DataStream ds : t.streams()) {
            FsDataStream s = (FsDataStream) ds;
            int n = s.packets().size();
            if (n == 0) {
                continue;
            }
            b = Math.max(b, s.packetBeginNs(0));
            e = Math.min(e, s.packetEndNs(n - 1));
        }
        return new long[] {b, e};
    }

    /**
     * The first packet to read for messages at or after {@code time}: one before the first packet ending at or after
     * it (the lead-in, so that losses reported at that packet's beginning are exact), as TraceSet's seek does.
     */
    static int firstPacketFor(FsDataStream s, long time) {
        int n = s.packets().size();
        if (time == Long.MIN_VALUE || n == 0 || s.packetEndNs(0) == ClockValue.NONE) {
            return 0;
        }
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            long e = s.packetEndNs(mid);
            if (e != ClockValue.NONE && e < time) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        while (lo > 0 && s.packetEndNs(lo - 1) != ClockValue.NONE && s.packetEndNs(lo - 1) >= time) {
            lo--;
        }
        return Math.max(0, lo - 1);
    }

    /** The packets to read for messages before {@code time}: those beginning before it, plus one (lead-out). */
    static int endPacketFor(FsDataStream s, long time) {
        int n = s.packets().size();
        if (time == Long.MAX_VALUE) {
            return n;
        }
        int k = 0;
        while (k < n && (s.packetBeginNs(k) == ClockValue.NONE || s.packetBeginNs(k) < time)) {
            k++;
        }
        return Math.min(n, k + 1);
    }

    private static RuntimeException translate(Exception e) {
        CtfException c = ctfCause(e);
        if (c != null) {
            return c;
        }
        if (e instanceof RuntimeException re && !(e instanceof org.apache.spark.SparkRuntimeException)) {
            return re;
        }
        // Spark reports a task's exception inside its message ("...: io.tracestream.ctf.CtfException: MSG\n...")
        String m = e.getMessage();
        String marker = CtfException.class.getName() + ": ";
        int at = m == null ? -1 : m.indexOf(marker);
        if (at >= 0) {
            return new CtfException(firstLine(m.substring(at + marker.length())));
        }
        // Spark wraps a task failure's message ("Job aborted due to stage failure: ...: java.lang.X: msg")
        return new CtfException("Spark analysis failed: " + firstLine(e.getMessage()));
    }

    static CtfException ctfCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CtfException c) {
                return c;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int i = s.indexOf('\n');
        return i < 0 ? s : s.substring(0, i);
    }

    /** The reduced per-CPU partials (in chain order), first/last analysed event and losses. */
    static final class Reduced implements Serializable {
        private static final long serialVersionUID = 1L;
        final Partials[] partials;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        final List<AnalysisResult.Loss> losses = new ArrayList<>();

        Reduced(int analyses) {
            partials = new Partials[analyses];
            for (int i = 0; i < analyses; i++) {
                partials[i] = new Partials();
            }
        }

        void add(AnalysisTask t) {
            if (t.firstAnalysed() != ClockValue.NONE) {
                first = Math.min(first, t.firstAnalysed());
                last = Math.max(last, t.lastEvent());
            }
            losses.addAll(t.losses());
            for (int i = 0; i < partials.length; i++) {
                partials[i].merge(t.partials(i));
            }
        }

        void merge(Reduced o) {
            first = Math.min(first, o.first);
            last = Math.max(last, o.last);
            losses.addAll(o.losses);
            for (int i = 0; i < partials.length; i++) {
                partials[i].merge(o.partials[i]);
            }
        }
    }

    /** An analysis as shipped to executors: its registered name, or the (serializable) instance. */
    record AnalysisRef(String name, Analysis instance) implements Serializable {
        static List<AnalysisRef> of(List<Analysis> analyses) {
            List<AnalysisRef> out = new ArrayList<>();
            for (Analysis a : analyses) {
                if (Analyses.byName(a.name()) == a) {
                    out.add(new AnalysisRef(a.name(), null));
                } else if (a instanceof Serializable) {
                    out.add(new AnalysisRef(null, a));
                } else {
                    throw new IllegalArgumentException("analysis '" + a.name() + "' is neither registered in "
                            + "Analyses nor Serializable: the Spark engine cannot ship it to executors");
                }
            }
            return out;
        }

        Analysis resolve() {
            if (instance != null) {
                return instance;
            }
            Analysis a = Analyses.byName(name);
            if (a == null) {
                throw new IllegalStateException("analysis '" + name + "' is not registered on this executor");
            }
            return a;
        }
    }

    /** A stream of a chain: trace/stream index, first packet to read and per-stream trim bounds. */
    record ChainStream(int trace, int stream, FsDataStream ds, int firstPacket, long trimLo, long trimHi) {
    }

    /** What a chain's first slice builds its task from. */
    record ChainStart(List<AnalysisRef> analyses, AnalysisConfig config, boolean prioOffset, long origin)
            implements Serializable {
        AnalysisTask newTask() {
            List<Analysis> a = new ArrayList<>();
            for (AnalysisRef r : analyses) {
                a.add(r.resolve());
            }
            return new AnalysisTask(a, config, prioOffset, origin);
        }
    }

    /** One partition of the analysis, cut in time slices of about maxSplitBytes. */
    static final class Chain {
        final ChainStart start;
        final List<Slice> slices = new ArrayList<>();

        Chain(List<AnalysisRef> analyses, AnalysisConfig config, boolean prioOffset, long origin, long globalEnd,
                List<ChainStream> streams, long maxSplitBytes, boolean timeOrdered) {
            this.start = new ChainStart(analyses, config, prioOffset, origin);
            // cut times: packet beginnings where the bytes since the last cut reach maxSplitBytes
            List<long[]> packets = new ArrayList<>(); // begin ns, bytes
            boolean timed = true;
            for (ChainStream cs : streams) {
                List<PacketIndexEntry> p = cs.ds.packets();
                for (int i = cs.firstPacket; i < p.size(); i++) {
                    long b = cs.ds.packetBeginNs(i);
                    timed &= b != ClockValue.NONE;
                    packets.add(new long[] {b, p.get(i).totalSizeBits() / 8});
                }
            }
            List<Long> cuts = new ArrayList<>();
            if (timed) {
                packets.sort((x, y) -> Long.compare(x[0], y[0]));
                long acc = 0;
                long lastCut = Long.MIN_VALUE;
                for (long[] p : packets) {
                    if (acc >= maxSplitBytes && p[0] > lastCut) {
                        cuts.add(p[0]);
                        lastCut = p[0];
                        acc = 0;
                    }
                    acc += p[1];
                }
            }
            long lo = Long.MIN_VALUE;
            for (int k = 0; k <= cuts.size(); k++) {
                long hi = k < cuts.size() ? cuts.get(k) : Long.MAX_VALUE;
                List<Slice.Part> parts = new ArrayList<>();
                for (ChainStream cs : streams) {
                    int from = Math.max(cs.firstPacket, firstPacketFor(cs.ds, lo));
                    int to = endPacketFor(cs.ds, hi);
                    if (from < to) {
                        parts.add(new Slice.Part(cs.trace, cs.stream, from, to, cs.trimLo, cs.trimHi));
                    }
                }
                slices.add(new Slice(parts, globalEnd, lo, hi, timeOrdered));
                lo = hi;
            }
        }
    }
}
