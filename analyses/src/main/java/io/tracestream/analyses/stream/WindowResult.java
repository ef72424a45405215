package io.tracestream.analyses.stream;

import io.tracestream.analyses.AnalysisResult;
import java.util.List;

/**
 * The results of one closed window.
 *
 * @param index   the window number (0 for the first; windows are aligned on the first analysed event)
 * @param begin   its beginning (ns from the clock origin)
 * @param end     its end: {@code begin + window}, or the last event's time for the last, partial window
 * @param partial true for the last window of a stream that ended before the window's end
 * @param events  the events in the window
 * @param results one result per analysis, in the runner's order, each with exactly this window as its one period
 *                (the same tables as {@code tracestream analyze --window} gives for it)
 * @param metrics the metrics derived from them
 */
public record WindowResult(long index, long begin, long end, boolean partial, long events,
        List<AnalysisResult> results, WindowMetrics metrics) {
}
