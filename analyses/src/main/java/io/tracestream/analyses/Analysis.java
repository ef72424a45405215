package io.tracestream.analyses;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * One analysis, defined once and run by any engine (in-process {@link LocalEngine}, Spark later):
 * <ul>
 *   <li>a per-partition pass ({@link #newPass}) fed with events in time order and the {@link KernelState}
 *       notifications, emitting keyed {@link Mergeable} partials per period;</li>
 *   <li>a per-key reduction (the engine merges partials of equal keys from all partitions and splits);</li>
 *   <li>{@link #tables}: the reduced partials of one period become LAMI result tables;</li>
 *   <li>{@link #printText}: lttng-analyses' text layout for those tables.</li>
 * </ul>
 * Register an instance in {@link Analyses}.
 */
public interface Analysis {

    /** How the events of a trace may be split among passes. */
    enum Partitioning {
        /**
         * One pass sees all events of all streams in time order (needed when state crosses CPUs, e.g. a wakeup on one
         * CPU and the switch-in on another). A distributed engine splits it in time and carries the serialized
         * pass and model state across slices.
         */
        TIME_ORDERED,
        /**
         * One pass per stream (one CPU for LTTng kernel traces), in parallel; the model only sees that stream's
         * events, so the pass may only use per-CPU state. Splits of a stream carry the serialized state in order.
         */
        PER_STREAM
    }

    /** The name used on the command line ({@code cputop}). */
    String name();

    /** The LAMI title ({@code Top CPU usage}). */
    String title();

    /** One-line description (LAMI {@code description}). */
    String description();

    /** LAMI tags ({@code cpu}, {@code top}, ...). */
    List<String> tags();

    /** Every table class the analysis can produce (LAMI metadata), in output order. */
    List<TableClass> tableClasses();

    Partitioning partitioning();

    /** A fresh pass for one partition. */
    AnalysisPass newPass(AnalysisConfig config);

    /**
     * The result tables of one period from its reduced partials (key to merged partial).
     *
     * @param begin  period beginning (ns)
     * @param end    period end (ns)
     */
    List<ResultTable> tables(long begin, long end, Map<Object, Object> partials, AnalysisConfig config);

    /** Prints one period's tables in lttng-analyses' text layout. */
    void printText(List<ResultTable> tables, long begin, long end, AnalysisConfig config, TextStyle style,
            PrintStream out);
}
