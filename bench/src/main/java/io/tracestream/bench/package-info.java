/**
 * JMH micro-benchmarks of the CTF core: {@link io.tracestream.bench.DecodeBenchmark} (decoding every field,
 * events/s and allocation per event), {@link io.tracestream.bench.PrettyPrintBenchmark} (babeltrace2 text output
 * to a null stream) and {@link io.tracestream.bench.TsdlParseBenchmark} (parsing a large TSDL metadata), over traces
 * written by {@link io.tracestream.bench.BenchTraces}. Run them with {@code bench/jmh.sh}.
 */
package io.tracestream.bench;
