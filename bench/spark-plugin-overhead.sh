#!/usr/bin/env bash
# spark-plugin-overhead.sh: slowdown of Spark jobs recorded by the tracing plugin (io.tracestream.sparktrace).
#   bench/spark-plugin-overhead.sh [ITERATIONS=5] [RUNS=3]
# For each workload (cpu: 400 short CPU-bound tasks; shuffle: 200-partition group-by of 20 M rows; see
# io.tracestream.sparktrace.OverheadJob) runs RUNS JVMs without and RUNS JVMs with the plugin, alternating, each
# doing one warm-up and ITERATIONS timed jobs in local[2]; reports the median job time of each configuration and
# the slowdown. Writes bench/results/spark-plugin-overhead.md. Target: <= 3%.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
iterations=${1:-5}; runs=${2:-${RUNS:-3}}
out=${TS_OUT:-target-bench}
( cd "$root" && mvn -q -o -Dts.out="$out" -pl sparktrace -am package -DskipTests >/dev/null ) \
  || { echo "cannot build the sparktrace module" >&2; exit 1; }
cpfile=$root/bench/work/sparktrace.classpath
mkdir -p "$root/bench/work" "$root/bench/results"
( cd "$root" && mvn -q -o -Dts.out="$out" -pl sparktrace dependency:build-classpath -Dmdep.includeScope=provided \
    -Dmdep.outputFile="$cpfile" >/dev/null ) || { echo "cannot resolve the class path" >&2; exit 1; }
jar=$root/sparktrace/$out/tracestream-sparktrace-plugin.jar
cp="$jar:$(cat "$cpfile")"
opts=$(sed -n 's|.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*|\1|p' "$root/pom.xml")
traces=$root/bench/work/plugin-overhead-traces
log4j=$root/bench/work/log4j2-warn.properties
printf 'rootLogger.level = warn\nrootLogger.appenderRef.e.ref = e\nappender.e.type = Console\nappender.e.name = e\n' \
  > "$log4j"

# prints the timed iterations' job times (ms), one per line
run() { # WORKLOAD traced|plain
  local plugin=()
  if [ "$2" = traced ]; then
    plugin=(-Dspark.plugins=io.tracestream.sparktrace.TracePlugin -Dspark.tracestream.output="$traces"
            -Dspark.tracestream.lttng=false)
  fi
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 java $opts -Xmx2g -Dlog4j2.configurationFile="$log4j" "${plugin[@]}" -cp "$cp" \
    io.tracestream.sparktrace.OverheadJob "$1" "$iterations" 2>/dev/null | sed -n 's/^iteration_ms //p'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

report=$root/bench/results/spark-plugin-overhead.md
{
  echo "# Spark plugin overhead ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg))"
  echo
  echo "| workload | without plugin (median ms/job) | with plugin | slowdown | events recorded per job |"
  echo "| --- | --- | --- | --- | --- |"
} > "$report"
for w in cpu shuffle; do
  plain=(); traced=()
  rm -rf "$traces"
  for ((r = 0; r < runs; r++)); do
    mapfile -t -O "${#plain[@]}" plain < <(run "$w" plain)
    mapfile -t -O "${#traced[@]}" traced < <(run "$w" traced)
  done
  p=$(printf '%s\n' "${plain[@]}" | median); t=$(printf '%s\n' "${traced[@]}" | median)
  events=$(babeltrace2 -c sink.utils.counter "$traces" 2>/dev/null | awk '/Event messages/ {print $1}')
  per_job=$(awk -v e="$events" -v n=$((runs * (iterations + 1))) 'BEGIN {printf "%d", e / n}')
  slow=$(awk -v p="$p" -v t="$t" 'BEGIN {printf "%+.1f%%", (t - p) * 100 / p}')
  echo "| $w | $p | $t | $slow | $per_job |" >> "$report"
  echo "$w: without $p ms, with $t ms ($slow), ~$per_job events/job"
done
echo "table: $report"
