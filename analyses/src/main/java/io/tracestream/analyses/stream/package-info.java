/**
 * Streaming (windowed) analyses over endless, time-ordered message streams, JDK only: {@link
 * io.tracestream.analyses.stream.WindowedRunner} feeds the batch analyses' definitions window by window as event time
 * advances, {@link io.tracestream.analyses.stream.WindowMetrics} derives the windowed metrics (latency percentiles, CPU
 * usage, IRQ rates, I/O) and {@link io.tracestream.analyses.stream.AlertEvaluator} evaluates {@link
 * io.tracestream.analyses.stream.AlertRule}s on them, whatever the engine.
 */
package io.tracestream.analyses.stream;
