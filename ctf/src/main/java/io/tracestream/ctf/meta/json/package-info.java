/**
 * The CTF 2 metadata parser: {@link io.tracestream.ctf.meta.json.Ctf2MetadataParser} reads a CTF2-SPEC-2.0 metadata
 * stream (a JSON text sequence) into the trace-type model of {@code io.tracestream.ctf.meta}, with a small strict
 * JSON reader of its own and errors that name the metadata line and column.
 */
package io.tracestream.ctf.meta.json;
