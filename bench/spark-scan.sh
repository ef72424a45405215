#!/usr/bin/env bash
# spark-scan.sh [N] [T]: the `ctf` Spark data source on an LTTng UST trace of T threads x N events (default
# 10000000 x 2 = 20 M events, recorded once with lttng into bench/work/ust-NxT), query
# `SELECT name, count(*) FROM events GROUP BY name`, three read modes: aggregate pushdown (the default: counts
# computed per split in the scan), and with `pushDownAggregates=false` the plain scan, in column batches (default) and
# in rows (`columnar=false`).
#   1. warm session (one JVM, Spark start-up excluded; io.tracestream.spark.ScanBench): job seconds, events/s and
#      events/s per core for each mode on local[1] (pinned to 1 core) and local[2] (2 cores); 1 -> 2 core scaling
#   2. whole process (JVM + Spark start-up included, `tracestream sql`): 1 core and 2 cores, pushdown on and off,
#      and `babeltrace2 -c sink.utils.counter` on the same trace: scaling and the ratio against babeltrace2
#   3. pushdown: a query over 1% of the trace's time range, the bytes the scan reads (EXPLAIN's bytes=READ/TOTAL)
# Whole-process lines: LABEL SECONDS PEAK_RSS_KB CPU_SECONDS (fastest of RUNS runs, default 2; babeltrace2 RUNS_BT
# runs, default 1). About 6 minutes on an idle 2-core machine once the trace is recorded (about 2 minutes more).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$root/bench/lib.sh"
bench_setup
export RUNS=${RUNS:-2}
n=${1:-10000000}
t=${2:-2}
out=${TS_OUT:-target}
trace=$(bench_trace "$n" "$t")
events=$(bench_events "$trace")
log=$(mktemp)
(cd "$root" && mvn -B -q -o -Dstyle.color=never -Dts.out="$out" -DskipTests -pl spark -am package) >"$log" 2>&1 \
  || { cat "$log" >&2; rm -f "$log"; bench_die "cannot build the spark module"; }
rm -f "$log"
export TRACESTREAM_PLUGINS=$root/spark/$out
spark_opts=$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' "$root/pom.xml" | head -1)
spark_opts=${spark_opts//--add-modules=jdk.incubator.vector/}
q="SELECT name, count(*) FROM events GROUP BY name"
if [ "$out" = target ]; then
  # the launcher itself, as users run it (its JIT choice and class-data-sharing archive); one untimed run first
  # rebuilds what is stale and writes the archive of `sql`, so no build or archive dump lands inside a measurement
  ts=("$root/tracestream")
  "${ts[@]}" sql "$root/testdata/sample-ust" "$q" >/dev/null
else
  # shellcheck disable=SC2206
  ts=(java -XX:-UsePerfData $spark_opts -jar "$root/cli/$out/tracestream.jar")
fi
echo "trace: $trace ($events events, $(du -sh "$trace" | cut -f1))"

echo "== warm session (job time, start-up excluded; fastest of $RUNS)"
cp="$root/spark/$out/test-classes:$root/spark/$out/classes:$(cat "$root/spark/$out/tracestream-classpath.txt")"
warm() { # CORES CPUS -> lines "MODE SECONDS CPU_SECONDS EVENTS"
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 taskset -c "$2" java $spark_opts -Xmx2g -cp "$cp" io.tracestream.spark.ScanBench \
    "$trace" "local[$1]" "$RUNS" 2>/dev/null
}
w1=$(warm 1 0)
w2=$(warm 2 0,1)
for mode in pushdown columnar rows; do
  read -r _ s1 c1 e1 < <(grep "^$mode " <<<"$w1")
  read -r _ s2 c2 e2 < <(grep "^$mode " <<<"$w2")
  [ "$e1" = "$events" ] && [ "$e2" = "$events" ] || bench_die "$mode counted $e1/$e2 events, babeltrace2 $events"
  awk -v m="$mode" -v e="$events" -v a="$s1" -v b="$s2" -v ca="$c1" -v cb="$c2" 'BEGIN {
    printf "%-8s 1 core %6.2f s (%.0f events/s, cpu %.1f s); 2 cores %6.2f s (%.0f events/s = %.0f /core, cpu %.1f s);"\
      " scaling %.2fx\n", m, a, e / a, ca, b, e / b, e / b / 2, cb, a / b }'
done

echo "== whole process (tracestream sql, Spark start-up included; fastest of $RUNS)"
p1=$(CORE=0 bench_run_cpu spark-1core "${ts[@]}" sql --master 'local[1]' "$trace" "$q")
echo "pushdown, 1 core:  $p1"
p2=$(CORE=0,1 bench_run_cpu spark-2cores "${ts[@]}" sql --master 'local[2]' "$trace" "$q")
echo "pushdown, 2 cores: $p2"
noagg=(-o pushDownAggregates=false)
s1=$(CORE=0 bench_run_cpu spark-scan-1core "${ts[@]}" sql --master 'local[1]' "${noagg[@]}" "$trace" "$q")
echo "scan (no aggregate pushdown), 1 core:  $s1"
s2=$(CORE=0,1 bench_run_cpu spark-scan-2cores "${ts[@]}" sql --master 'local[2]' "${noagg[@]}" "$trace" "$q")
echo "scan (no aggregate pushdown), 2 cores: $s2"
tiny=$(CORE=0,1 bench_run_cpu spark-tiny "${ts[@]}" sql "$root/testdata/sample-ust" "$q")
echo "fixed cost: the same query on testdata/sample-ust, 2 cores: $tiny"
rb=$(CORE=0 RUNS=${RUNS_BT:-1} bench_run_cpu babeltrace2 babeltrace2 -c sink.utils.counter "$trace")
echo "babeltrace2 counter, 1 core: $rb"
awk -v e="$events" -v a="${p1%% *}" -v b="${p2%% *}" -v c="${s1%% *}" -v d="${s2%% *}" -v r="${rb%% *}" 'BEGIN {
  printf "pushdown: %.0f events/s on 1 core, %.0f on 2; scaling %.2fx; 2 cores vs babeltrace2 %.2fx\n",
    e / a, e / b, a / b, r / b
  printf "scan:     %.0f events/s on 1 core, %.0f on 2; scaling %.2fx; 2 cores vs babeltrace2 %.2fx\n",
    e / c, e / d, c / d, r / d }'

echo "== pushdown of a 1% time range"
read -r lo hi < <("${ts[@]}" sql --format csv "$trace" "SELECT min(ts), max(ts) FROM events" | tail -1 | tr , ' ')
b=$(( lo + (hi - lo) / 2 ))
e=$(( b + (hi - lo) / 100 ))
pq="SELECT count(*) FROM events WHERE ts BETWEEN $b AND $e"
scan=$("${ts[@]}" sql --format csv "$trace" "EXPLAIN $pq" | grep -o 'bytes=[0-9]*/[0-9]*' | head -1)
pct=$(echo "${scan#bytes=}" | awk -F/ '{printf "%.2f%%", 100 * $1 / $2}')
echo "1% of the time range: $scan ($pct of the bytes read)"
rp=$(CORE=0,1 bench_run_cpu spark-pushdown "${ts[@]}" sql --master 'local[2]' "$trace" "$pq")
echo "spark sql 1% time range, 2 cores: $rp"
