/**
 * A pure-Java client of the LTTng live viewer protocol spoken by lttng-relayd.
 */
package io.tracestream.live;
