#!/usr/bin/env bash
# spark-stream.sh: events/s through spark.readStream.format("ctf") (Trigger.AvailableNow into the noop sink) over
# a finished UST trace, with and without a per-trigger packet limit (packets are 4 MiB), and the batch read of the
# same trace into the same sink for comparison.
#   bench/spark-stream.sh [EVENTS_PER_THREAD [THREADS [MAX_PACKETS]]]   (defaults 1000000 2 4)
# "seconds" runs from the query start to its end (SparkSession start-up excluded; one JVM per run).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
n=${1:-1000000}; t=${2:-2}; maxp=${3:-4}
out=${TS_OUT:-target-bench}
bench_setup
trace=$(bench_ust_trace "$n" "$t")
events=$(bench_events "$trace")
echo "trace: $trace ($events events, $(du -sh "$trace" | cut -f1))"
( cd "$root" && mvn -q -o -Dts.out="$out" -pl spark -am test-compile >/dev/null ) || bench_die "cannot build the spark module"
cpfile=$root/bench/work/spark-stream.classpath
( cd "$root" && mvn -q -o -Dts.out="$out" -pl spark dependency:build-classpath -Dmdep.includeScope=test \
    -Dmdep.outputFile="$cpfile" >/dev/null ) || bench_die "cannot resolve the spark module's class path"
cp="$root/spark/$out/test-classes:$root/spark/$out/classes:$root/ctf/$out/classes:$root/analyses/$out/classes"
cp="$cp:$root/live/$out/classes:$(cat "$cpfile")"
opts=$(sed -n 's|.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*|\1|p' "$root/pom.xml")
run() {
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 java $opts -Xmx2g -cp "$cp" io.tracestream.spark.stream.StreamBench "$trace" "$@" \
    2>/dev/null | tail -1
}
echo "stream, all available per trigger: $(run 0)"
echo "stream, maxPacketsPerTrigger=$maxp:   $(run "$maxp")"
echo "batch read (for comparison):        $(run batch)"
