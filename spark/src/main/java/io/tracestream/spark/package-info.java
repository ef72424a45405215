/**
 * Apache Spark data sources over CTF traces: batch and streaming {@code ctf}, and {@code lttng-live}.
 */
package io.tracestream.spark;
