/**
 * Analyses and views of traced Spark applications: the application model read from the plugin's traces
 * ({@link io.tracestream.sparktrace.report.SparkApp}), the analyses ({@link io.tracestream.sparktrace.report.AppAnalysis}),
 * the kernel time of each task ({@link io.tracestream.sparktrace.report.KernelBreakdown}), "why was this task slow"
 * ({@link io.tracestream.sparktrace.report.TaskExplainer}), and the text, LAMI, Perfetto and HTML reports behind
 * {@code tracestream spark-report} and {@code tracestream explain-task}.
 */
package io.tracestream.sparktrace.report;
