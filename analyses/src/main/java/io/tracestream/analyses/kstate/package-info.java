/**
 * The Linux kernel state model of lttng-analyses 0.6.1 ({@code linuxautomaton}) for the system call, I/O and memory
 * analyses: threads, system calls in progress (both naming schemes), file descriptors, I/O requests, block requests,
 * network packets and pages ({@link io.tracestream.analyses.kstate.KernelState}), the pass base class that feeds it
 * ({@link io.tracestream.analyses.kstate.LttngPass}), and the CPython-exact formatting of lttng-analyses' output
 * ({@link io.tracestream.analyses.kstate.Py}, {@link io.tracestream.analyses.kstate.BarGraph}).
 */
package io.tracestream.analyses.kstate;
