/**
 * Following traces that are still being written: {@link io.tracestream.ctf.follow.TraceFollower} watches a folder
 * where LTTng (a local-disk session, possibly rotating) or any CTF writer records, and reports on each
 * {@link io.tracestream.ctf.follow.TraceFollower#poll() poll} the new traces and session-rotation chunks, the new
 * streams, the new complete packets of each stream and the metadata that grew. Positions are packet ordinals per
 * stream, keyed by names that stay the same when LTTng moves a chunk into {@code archives/}, so a consumer can
 * checkpoint them and resume exactly where it stopped.
 */
package io.tracestream.ctf.follow;
