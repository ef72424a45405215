#!/usr/bin/env bash
# spark-scan.sh [N] [T]: the `ctf` Spark data source, whole process (JVM + Spark start-up included), through
# `tracestream sql`, on an LTTng UST trace of T threads x N events (default 10000000 x 2 = 20 M events):
#   1. scan + GROUP BY name count on 1 core (local[1], pinned) and on 2 cores (local[2]): events/s and speed-up
#   2. the same count with `babeltrace2 -c sink.utils.counter` (one core) on the same trace: the ratio
#   3. pushdown: a query over 1% of the trace's time range, the bytes the scan reads (EXPLAIN's bytes=READ/TOTAL)
# Prints one line per measurement: LABEL SECONDS PEAK_RSS_KB CPU_SECONDS. RUNS (default 3) runs, fastest kept.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$root/bench/lib.sh"
bench_setup
n=${1:-10000000}
t=${2:-2}
trace=$(bench_trace "$n" "$t")
events=$(bench_events "$trace")
"$root/tracestream" sql "$trace" "SELECT 1" >/dev/null   # builds the Spark modules once (not measured)
# measured runs call java directly, as ./tracestream does, so that no rebuild lands inside a measurement
export TRACESTREAM_PLUGINS=$root/spark/target
spark_opts=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$root/pom.xml" | head -1)
spark_opts=${spark_opts//--add-modules=jdk.incubator.vector/}
# shellcheck disable=SC2206
ts=(java -XX:-UsePerfData $spark_opts -jar "$root/cli/target/tracestream.jar")
q="SELECT name, count(*) FROM events GROUP BY name"

echo "trace: $trace ($events events, $(du -sh "$trace" | cut -f1))"
r1=$(CORE=0 bench_run_cpu spark-1core "${ts[@]}" sql --master 'local[1]' "$trace" "$q")
echo "spark sql group-by, 1 core:  $r1"
r2=$(CORE=0,1 bench_run_cpu spark-2cores "${ts[@]}" sql --master 'local[2]' "$trace" "$q")
echo "spark sql group-by, 2 cores: $r2"
rb=$(CORE=0 bench_run_cpu babeltrace2 babeltrace2 -c sink.utils.counter "$trace")
echo "babeltrace2 counter, 1 core: $rb"
awk -v e="$events" -v a="${r1%% *}" -v b="${r2%% *}" -v c="${rb%% *}" 'BEGIN {
  printf "events/s: 1 core %.0f, 2 cores %.0f; speed-up 1->2 cores %.2fx; 2 cores vs babeltrace2 %.2fx\n",
    e / a, e / b, a / b, c / b }'

# pushdown: 1% of the time range in the middle of the trace
read -r lo hi < <("${ts[@]}" sql --format csv "$trace" "SELECT min(ts), max(ts) FROM events" | tail -1 | tr , ' ')
b=$(( lo + (hi - lo) / 2 ))
e=$(( b + (hi - lo) / 100 ))
pq="SELECT count(*) FROM events WHERE ts BETWEEN $b AND $e"
scan=$("${ts[@]}" sql --format csv "$trace" "EXPLAIN $pq" | grep -o 'bytes=[0-9]*/[0-9]*' | head -1)
pct=$(echo "${scan#bytes=}" | awk -F/ '{printf "%.2f%%", 100 * $1 / $2}')
echo "pushdown, 1% of the time range: $scan ($pct of the bytes read)"
rp=$(CORE=0,1 bench_run_cpu spark-pushdown "${ts[@]}" sql --master 'local[2]' "$trace" "$pq")
echo "spark sql 1% time range, 2 cores: $rp"
