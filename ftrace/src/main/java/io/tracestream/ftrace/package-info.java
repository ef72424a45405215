/**
 * Records Linux kernel events through ftrace (tracefs binary per-CPU buffers) into CTF traces with LTTng's kernel event and field names.
 */
package io.tracestream.ftrace;
