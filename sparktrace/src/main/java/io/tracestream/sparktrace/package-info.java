/**
 * A Spark plugin that records Spark's own execution as CTF traces, and the analyses over those traces.
 */
package io.tracestream.sparktrace;
