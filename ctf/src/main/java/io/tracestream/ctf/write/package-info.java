/**
 * Writes CTF traces: CTF 1.8 TSDL or CTF 2 JSON metadata, packetized data streams and LTTng packet index files,
 * readable by babeltrace2 and by this project's reader.
 *
 * <p>Start with a {@link io.tracestream.ctf.meta.TraceClass}: a new one from {@link
 * io.tracestream.ctf.write.TraceSchema} (LTTng-like packet header/context, simple, compact or large event
 * headers), or one read from another trace (its layout is kept). Then:
 * <pre>{@code
 * try (CtfWriter w = CtfWriter.create(dir, traceClass)) {
 *     StreamWriter cpu0 = w.openStream(streamClass, 0);                     // file channel0_0, index/channel0_0.idx
 *     cpu0.beginEvent(schedSwitch, ts).string("bash").i32(42).end();        // typed, zero-allocation
 *     cpu0.beginEvent(irq, ts2).visitor();                                  // or values from a FieldVisitor
 * }
 * }</pre>
 *
 * <p>How it works: for each stream class, {@code StreamPlan} compiles every event class once into a flat program of
 * instructions (integer/float/string leaves with their alignment, size and byte order; array loops; variant jump
 * tables; optional skips) and lengths/selectors into numbered value slots, and computes the event header encodings
 * (for LTTng's compact header: the compact form when the id and the timestamp delta fit, else the extended one).
 * {@link io.tracestream.ctf.write.EventBuilder} runs that program as values arrive, writing straight into the
 * packet buffer ({@code BitBuffer}: any bit size and alignment, both byte orders; byte-aligned 8/16/32/64-bit
 * fields in one store, other fields in one 64-bit read-modify-write). When an event does not fit in the packet,
 * it is rolled back, the packet is closed, and the event's logged values are replayed into a new packet; event
 * classes whose size is bounded skip the log while the packet has room for the bound.
 *
 * <p>Thread safety: {@link io.tracestream.ctf.write.CtfWriter} may be shared; each
 * {@link io.tracestream.ctf.write.StreamWriter} (and its builder) belongs to one thread at a time.
 */
package io.tracestream.ctf.write;
