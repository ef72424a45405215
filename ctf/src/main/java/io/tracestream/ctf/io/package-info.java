/**
 * Traces on disk and the merged message sequence, as babeltrace2 2.0's {@code src.ctf.fs} and
 * {@code flt.utils.muxer} build them. Applications use {@link io.tracestream.ctf.TraceSet}; these classes are its
 * parts, public for the CLI and adapters.
 *
 * <ul>
 * <li>{@link io.tracestream.ctf.io.TraceFinder}: finds traces below paths, merges chunks with the same UUID,
 * groups stream files into streams, names traces.</li>
 * <li>{@link io.tracestream.ctf.io.LttngIndex}: reads and validates LTTng {@code index/*.idx} packet indexes.</li>
 * <li>{@link io.tracestream.ctf.io.FsTrace}, {@link io.tracestream.ctf.io.FsDataStream}: the assembled traces and
 * streams with their packet indexes.</li>
 * <li>{@link io.tracestream.ctf.io.MessageMuxer}: the time-ordered merge with babeltrace2's tie-breaking and clock
 * correlation rules.</li>
 * <li>{@link io.tracestream.ctf.io.ForwardingMessageCursor}: the accessors of a cursor that passes on the current
 * message of one of its inputs (the muxer, the live and directory-following sources).</li>
 * <li>{@link io.tracestream.ctf.io.MergedTrimmer}: time bounds (begin/end, seek, and per stream for stream intersection).</li>
 * <li>{@link io.tracestream.ctf.io.TraceBackend}, {@link io.tracestream.ctf.io.DefaultBackend}: the metadata
 * parser and decoder behind them.</li>
 * </ul>
 */
package io.tracestream.ctf.io;
