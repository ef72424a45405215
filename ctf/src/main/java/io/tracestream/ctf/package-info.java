/**
 * TraceStream's CTF core: read and write Common Trace Format (1.8 and 2) traces with no dependency beyond the JDK.
 *
 * <p>Packages follow the data's way: {@code meta} (the trace-type model, parsed from TSDL or CTF 2 JSON) →
 * {@code decode} (per-event-class decoding plans compiled from the model) → {@code io} (stream files, packet
 * indexes, the muxer) → {@code text} (babeltrace2-compatible text and details output); {@code write} is the
 * writer.
 */
package io.tracestream.ctf;
