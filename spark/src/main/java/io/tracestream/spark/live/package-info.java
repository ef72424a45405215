/**
 * {@code spark.readStream.format("lttng-live")}: a Spark Structured Streaming source reading an LTTng session live
 * from {@code lttng-relayd} (module {@code live}), with the rows of the {@code ctf} source.
 */
package io.tracestream.spark.live;
