/** {@code memtop}: pages allocated and freed per thread (lttng-memtop). */
package io.tracestream.analyses.memory;
