/**
 * {@code spark.readStream.format("ctf")}: a micro-batch source over trace folders that are still being written (an
 * LTTng session recording to local disk, rotating or not), built on the core's
 * {@link io.tracestream.ctf.follow.TraceFollower} and decoding with the batch source's
 * {@link io.tracestream.spark.read.PacketRangeReader}. Offsets are per-stream packet positions
 * ({@link io.tracestream.spark.stream.StreamOffset}); a restart from a checkpoint re-reads exactly the packets of the
 * batch that was not committed.
 */
package io.tracestream.spark.stream;
