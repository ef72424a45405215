#!/usr/bin/env bash
# jmh.sh [JMH-ARGS...]
#   Builds the JMH benchmarks jar (mvn -pl bench -am package) and runs the micro-benchmarks of the CTF core:
#     DecodeBenchmark       decode every field of every event (decodeTrace: the `print -o dummy` path; walkTrace:
#                           also deliver every field to a visitor): events/s, and B/event (decodeEvent + gc
#                           profiler; the numeric mix must allocate ~0 B/op)
#     PrettyPrintBenchmark  babeltrace2 text output into a null stream: events/s
#     TsdlParseBenchmark    parse a large TSDL metadata (an LTTng kernel trace's, 180 K characters): us/parse
#   Default JMH settings are short but sane: 1 fork, 3 warm-up iterations of 3 s, 5 measured iterations of 5 s,
#   with the GC profiler (-prof gc) for allocation figures. Any arguments replace the defaults and are passed to
#   JMH as is, e.g.  bench/jmh.sh -f 1 -wi 2 -i 3 -p events=200000 DecodeBenchmark.decodeTrace
#   Environment: EVENTS   size of the generated traces (default 1000000)
#                TS_OUT   Maven output folder name (default target)
#   Writes the result table to bench/results/jmh.txt and JMH's full log to bench/results/jmh.log.
#   Takes about 5 minutes with the defaults; run it on an otherwise idle machine.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${TS_OUT:-target}
events=${EVENTS:-1000000}
export TRACESTREAM_SHARED=${TRACESTREAM_SHARED:-$root/../shared}   # TsdlParseBenchmark's kernel metadata

echo "building the benchmarks jar..." >&2
log=$(mktemp)
if ! (cd "$root" && mvn -B -q -Dstyle.color=never -Dts.out="$out" -DskipTests -pl bench -am package) >"$log" 2>&1; then
  cat "$log" >&2; rm -f "$log"; echo "jmh.sh: the build failed (Maven output above)" >&2; exit 1
fi
rm -f "$log"
jar=$root/bench/$out/benchmarks.jar

if [ $# -eq 0 ]; then
  set -- -f 1 -wi 3 -w 3s -i 5 -r 5s -prof gc -p events="$events"
fi
results=$root/bench/results; mkdir -p "$results"
table=$(mktemp)
load=$(cut -d' ' -f1-3 /proc/loadavg)
echo "running JMH (java -jar $jar $*)..." >&2
(cd "$root" && java -jar "$jar" "$@" -rf text -rff "$table") | tee "$results/jmh.log"
{
  echo "# $(date -u '+%F %T') UTC, $(java -version 2>&1 | head -1), $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')), load average before the run: $load"
  echo "# jmh args: $*"
  echo "# :events rows are events per second (decodeTrace, walkTrace, printTrace); gc.alloc.rate.norm of decodeEvent is bytes per event"
  cat "$table"
} > "$results/jmh.txt"
rm -f "$table"
echo "results: $results/jmh.txt" >&2
