/**
 * The Spark-backed {@code tracestream} commands of this module, {@code demo} and {@code record}, loaded by the CLI's
 * plugin class loader (declared in {@code META-INF/tracestream/commands.properties}); not in the plugin jar.
 */
package io.tracestream.sparktrace.cli;
