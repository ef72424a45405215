#!/usr/bin/env bash
# spark-plugin-overhead.sh: slowdown of Spark jobs recorded by the tracing plugin (io.tracestream.sparktrace).
#   bench/spark-plugin-overhead.sh [ITERATIONS=3] [RUNS=4]
# Environment: TARGET_MS=6000 (job length the sizes are calibrated to), CPU_ROWS / SHUFFLE_ROWS (fixed sizes: no
# calibration), WORKLOADS="cpu shuffle", TS_OUT=target-bench (Maven output folder).
#
# Workloads (io.tracestream.sparktrace.OverheadJob, local[2]): cpu = 400 short CPU-bound tasks hashing ROWS numbers;
# shuffle = a 40-partition group-by of ROWS rows over 20 map tasks. For each workload: one calibration JVM (no
# plugin) times a job of the default size and scales ROWS so that a job takes about TARGET_MS; then RUNS rounds,
# each one fresh JVM without the plugin and one with it (ABBA order: neither always runs first; keep RUNS even),
# each JVM doing one warm-up job and ITERATIONS timed jobs. Reports per configuration the median job time and its spread (min-max), and the
# slowdown: median of traced/plain over all jobs, and the range of the per-round slowdowns (round median traced /
# round median plain). Writes bench/results/spark-plugin-overhead.md. Target: <= 3%.
# Duration on an idle 2-core machine with the defaults: about 2 x (15 s + 4 x 2 x (5 s + 4 x 6 s)) ~ 8 min.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
iterations=${1:-3}; runs=${2:-${RUNS:-4}}
target_ms=${TARGET_MS:-6000}
workloads=${WORKLOADS:-cpu shuffle}
out=${TS_OUT:-target-bench}
( cd "$root" && mvn -q -o -Dts.out="$out" -pl sparktrace -am package -DskipTests >/dev/null ) \
  || { echo "cannot build the sparktrace module" >&2; exit 1; }
cpfile=$root/sparktrace/$out/tracestream-classpath.txt   # written by the package phase (compile + provided)
jar=$root/sparktrace/$out/tracestream-sparktrace-plugin.jar
[ -f "$cpfile" ] && [ -f "$jar" ] || { echo "missing $cpfile or $jar" >&2; exit 1; }
mkdir -p "$root/bench/work" "$root/bench/results"
cp="$jar:$(cat "$cpfile")"
opts=$(sed -n 's|.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*|\1|p' "$root/pom.xml")
traces=$root/bench/work/plugin-overhead-traces
log4j=$root/bench/work/log4j2-warn.properties
printf 'rootLogger.level = warn\nrootLogger.appenderRef.e.ref = e\nappender.e.type = Console\nappender.e.name = e\n' \
  > "$log4j"

# prints the timed iterations' job times (ms), one per line
run() { # WORKLOAD traced|plain ITERATIONS ROWS
  local plugin=()
  if [ "$2" = traced ]; then
    plugin=(-Dspark.plugins=io.tracestream.sparktrace.TracePlugin -Dspark.tracestream.output="$traces"
            -Dspark.tracestream.lttng=false)
  fi
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 java $opts -Xmx2g -Dlog4j2.configurationFile="$log4j" "${plugin[@]}" -cp "$cp" \
    io.tracestream.sparktrace.OverheadJob "$1" "$3" "$4" 2>/dev/null | sed -n 's/^iteration_ms //p'
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
minmax() { sort -n | awk 'NR==1 {lo=$1} {hi=$1} END {print lo "-" hi}'; }
pct() { awk -v p="$1" -v t="$2" 'BEGIN {printf "%+.1f%%", (t - p) * 100 / p}'; }

report=$root/bench/results/spark-plugin-overhead.md
{
  echo "# Spark plugin overhead ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) at start)"
  echo
  echo "$runs rounds x $iterations timed jobs per configuration, fresh JVMs alternating without/with the plugin, local[2]."
  echo
  echo "| workload | rows | without plugin: median ms/job (min-max) | with plugin | slowdown (median) | per-round slowdowns | events/job |"
  echo "| --- | --- | --- | --- | --- | --- | --- |"
} > "$report"
t_start=$(date +%s)
for w in $workloads; do
  if [ "$w" = cpu ]; then base=120000000; fixed=${CPU_ROWS:-}; else base=20000000; fixed=${SHUFFLE_ROWS:-}; fi
  if [ -n "$fixed" ]; then
    rows=$fixed
  else
    cal=$(run "$w" plain 1 "$base" | tail -1)
    [ -n "$cal" ] || { echo "$w: the calibration run failed" >&2; exit 1; }
    rows=$(awk -v b="$base" -v m="$cal" -v t="$target_ms" 'BEGIN {r = b * t / m; r = int(r / 1000000) * 1000000;
      if (r < 1000000) r = 1000000; print r}')
    echo "$w: a job of $base rows took $cal ms: $rows rows for ~$target_ms ms" >&2
  fi
  plain=(); traced=(); rounds=()
  rm -rf "$traces"
  for ((r = 0; r < runs; r++)); do
    if (( r % 2 == 0 )); then  # ABBA order: neither configuration always runs first
      mapfile -t p < <(run "$w" plain "$iterations" "$rows")
      mapfile -t t < <(run "$w" traced "$iterations" "$rows")
    else
      mapfile -t t < <(run "$w" traced "$iterations" "$rows")
      mapfile -t p < <(run "$w" plain "$iterations" "$rows")
    fi
    [ "${#p[@]}" -gt 0 ] && [ "${#t[@]}" -gt 0 ] || { echo "$w: a run failed" >&2; exit 1; }
    plain+=("${p[@]}"); traced+=("${t[@]}")
    rp=$(printf '%s\n' "${p[@]}" | median); rt=$(printf '%s\n' "${t[@]}" | median)
    rounds+=("$(awk -v p="$rp" -v t="$rt" 'BEGIN {printf "%.2f", (t - p) * 100 / p}')")
    echo "$w round $((r + 1)): without ${p[*]} ms, with ${t[*]} ms ($(pct "$rp" "$rt"))" >&2
  done
  p=$(printf '%s\n' "${plain[@]}" | median); t=$(printf '%s\n' "${traced[@]}" | median)
  pr=$(printf '%s\n' "${plain[@]}" | minmax); tr=$(printf '%s\n' "${traced[@]}" | minmax)
  rr=$(printf '%s\n' "${rounds[@]}" | sort -g | awk 'NR==1 {lo=$1} {hi=$1} END {printf "%+.1f%% to %+.1f%%", lo, hi}')
  events=$(babeltrace2 -c sink.utils.counter "$traces" 2>/dev/null | awk '/Event messages/ {n = $1} END {print n}')  # the last (final) count
  per_job=$(awk -v e="${events:-0}" -v n=$((runs * (iterations + 1))) 'BEGIN {printf "%d", e / n}')
  slow=$(pct "$p" "$t")
  echo "| $w | $rows | $p ($pr) | $t ($tr) | $slow | $rr | $per_job |" >> "$report"
  echo "$w: without $p ms ($pr), with $t ms ($tr): $slow (rounds: $rr), ~$per_job events/job"
done
echo >> "$report"
echo "Took $(( $(date +%s) - t_start )) s; load at the end $(cut -d' ' -f1 /proc/loadavg)." >> "$report"
echo "table: $report"
