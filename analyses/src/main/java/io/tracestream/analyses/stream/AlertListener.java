package io.tracestream.analyses.stream;

/** Receives the alerts an {@link AlertEvaluator} fires and resolves, in window order. */
@FunctionalInterface
public interface AlertListener {
    void onAlert(AlertEvent event);
}
