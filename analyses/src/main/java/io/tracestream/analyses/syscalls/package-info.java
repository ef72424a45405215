/** {@code syscallstats}: per-thread system call counts, durations and return values (lttng-syscallstats). */
package io.tracestream.analyses.syscalls;
