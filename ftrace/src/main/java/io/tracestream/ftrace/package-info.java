/**
 * Records Linux kernel events through ftrace into CTF traces that read like LTTng kernel traces, for machines where
 * LTTng's kernel tracer cannot load: {@link io.tracestream.ftrace.KernelRecorder} (used by
 * {@code tracestream record-kernel}).
 *
 * <p>Inside: {@code Tracefs} (mounting, the private instance, control files), {@code CpuReader} (copies each CPU's
 * {@code trace_pipe_raw} pages to disk while recording), {@code Statedump} ({@code /proc} at the start),
 * {@code EventFormat} and {@code HeaderPage} (the record layouts tracefs publishes), {@code RingBufferReader} (decodes
 * the pages: record headers, time extends and stamps, padding, lost-event flags), {@code LttngNames} and
 * {@code EventMapping} (ftrace events to LTTng's kernel event and field names) and {@code CtfConverter} (merges the
 * CPUs in time order and writes the CTF trace with {@code io.tracestream.ctf.write}). JDK only.
 */
package io.tracestream.ftrace;
