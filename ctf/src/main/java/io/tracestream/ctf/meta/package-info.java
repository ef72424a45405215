/**
 * The trace-type model: an immutable description of a trace's layout (trace, clocks, stream classes, event
 * classes and field classes), built from CTF 1.8 TSDL metadata ({@code tsdl}) or CTF 2 JSON metadata
 * ({@code json}), and compiled by {@code io.tracestream.ctf.decode} into decoding plans.
 */
package io.tracestream.ctf.meta;
