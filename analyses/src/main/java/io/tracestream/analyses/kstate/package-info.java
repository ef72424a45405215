/**
 * The Linux kernel state model of lttng-analyses 0.6.1 ({@code linuxautomaton}) for the system call, I/O and memory
 * analyses: threads, system calls in progress (both naming schemes), file descriptors, I/O requests, block requests,
 * network packets and pages ({@link io.tracestream.analyses.kstate.KernelState}), the pass base class that feeds it
 * ({@link io.tracestream.analyses.kstate.LttngPass}; all the passes of a partition share one model). The CPython-exact
 * formatting they print with is {@link io.tracestream.analyses.Py} and {@link io.tracestream.analyses.BarGraph}.
 */
package io.tracestream.analyses.kstate;
