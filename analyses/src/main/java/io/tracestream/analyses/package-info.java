/**
 * Kernel trace analyses (the lttng-analyses suite) defined once over the core's event stream, with an in-process engine.
 */
package io.tracestream.analyses;
