/**
 * Compiled CTF decoding.
 *
 * <p>{@link io.tracestream.ctf.decode.TraceDecoder#compile} turns each scope root structure of a trace class (packet
 * header; per stream class packet context, event header, common context; per event class specific context and
 * payload) into a flat program of fixed-width int instructions, specialised at compile time by size, alignment and
 * byte order (byte-aligned 8/16/32/64-bit reads, bit-packed reads of any length, LEB128, strings, arrays,
 * variants, optionals). Alignment instructions are emitted only where the position is not statically known to be
 * aligned; lengths and selectors are kept in value slots assigned at compile time. A {@code Machine} runs the
 * programs over memory-mapped packet bytes and appends decoded values to a reused {@code long[]} log (strings as
 * byte ranges, turned into {@code String}s only when asked): nothing is allocated per event. Event bodies made of
 * byte-aligned fixed-size fields are only bounds-checked and skipped, and decoded on first access.
 *
 * <p>{@link io.tracestream.ctf.decode.TraceDecoder#openStream} gives a per-stream
 * {@link io.tracestream.ctf.MessageCursor} with babeltrace2's message sequence (discarded events and packets,
 * packet clock snapshots, truncated timestamp reconstruction, tracer quirks);
 * {@link io.tracestream.ctf.decode.TraceDecoder#scanPackets} indexes a stream file without an index file.
 * Corrupt data raises {@link io.tracestream.ctf.CtfException} naming the file and offset; lenient
 * {@link io.tracestream.ctf.decode.DecodeOptions} skip broken packets and report them to a
 * {@link io.tracestream.ctf.decode.SkipListener}.
 */
package io.tracestream.ctf.decode;
