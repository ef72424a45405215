/**
 * {@code iolatencystats}, {@code iolatencytop}, {@code iousagetop}: system call and block I/O latencies and I/O usage
 * per process, file, disk and network interface (lttng-iolatencystats, lttng-iolatencytop, lttng-iousagetop).
 */
package io.tracestream.analyses.io;
