#!/usr/bin/env bash
# spark-plugin-overhead.sh: slowdown of Spark jobs recorded by the tracing plugin (io.tracestream.sparktrace).
#   bench/spark-plugin-overhead.sh [ITERATIONS=3] [RUNS=6]
# Environment:
#   WORKLOADS="cpu shuffle"   which workloads
#   CPU_ROWS=250000000 SHUFFLE_ROWS=25000000   fixed job sizes (~3 s per job on an idle 2-core machine)
#   TARGET_MS=                set (e.g. 3000): calibrate the sizes instead (one plain JVM per workload scales ROWS
#                             so that a job takes about TARGET_MS); the explicit *_ROWS still win
#   MODE=jvm                  jvm: fresh JVM pairs (primary); context: one JVM per round running four Spark contexts
#                             (ABBA) without/with the plugin (in-JVM A/B); both: jvm then context
#   WARMUP=2                  untimed warm-up jobs per Spark context (JIT still compiling after one)
#   MAX_WARMUP=4              then more warm-up jobs, up to MAX_WARMUP in all, while the JIT compiler threads used
#                             more than JIT_QUIET (0.03) of the previous job's CPU time (Spark plans and generates
#                             code for every job: its cold paths keep C1/C2 busy for several jobs)
#   MODE_GAP=0.10             per-JVM CPU times split into two modes where sorted JVM medians jump by more than this
#   HEAP=2g                   -Xms = -Xmx for every JVM; JVM_OPTS (default -XX:+UseG1GC) is added to both arms
#   SCRATCH=/dev/shm          tmpfs under which the run's spark.local.dir, java.io.tmpdir and traces live
#   BOOTSTRAP=2000            resamples for the 95% interval of the median per-round slowdown
#   TS_OUT=target-bench       Maven output folder of the build the script runs
#   ACCOUNTING=1              1: both arms run with -Dtracestream.plugin.accounting=true (PluginAccounting): the traced
#                             JVMs measure the plugin's own CPU time and allocation on every thread it runs on (the
#                             A/B then includes the accounting's clock reads, about 2 per plugin call); 0: off
#
# Workloads (io.tracestream.sparktrace.OverheadJob, local[2]): cpu = 400 short CPU-bound tasks hashing ROWS numbers;
# shuffle = a 40-partition group-by of ROWS rows over 20 map tasks. Noise removed: shuffle and spill files, Spark's
# temporary files and the traces are on tmpfs (a fresh folder under SCRATCH, removed at exit), the heap is fixed
# (-Xms = -Xmx, same GC options in both arms) and large enough that nothing spills (checked: the run fails if a job
# spilled), a full GC runs before every job (outside the timing), the sizes are fixed, the jars are read once before
# the first JVM (page cache warm). Each round is one JVM without the plugin and one with it, ABBA order (round 1
# plain then traced, round 2 traced then plain, ...; keep RUNS even); each JVM runs WARMUP to MAX_WARMUP warm-up jobs
# then ITERATIONS timed jobs and reports per job the wall time, the JVM's CPU time (all threads, getrusage), the CPU
# time of the plugin's flusher thread (its cost off the task threads, measured directly) and that of the JIT compiler
# threads (/proc schedstat). Per round, the slowdown = round median traced / round median plain - 1, for wall time,
# CPU time and CPU time without the JIT's; reported: the median of the per-round slowdowns, its 95% bootstrap interval
# (rounds resampled) and the per-round min-max, the JIT CPU per job of each arm, and the per-JVM CPU modes (how many
# JVMs of each arm are in the slow mode when the JVMs' CPU times split in two, and the slowdown within each mode).
# CPU time is the steadier figure on a shared machine (waiting for a core that others hold stretches wall time, not
# CPU time); without the JIT's it no longer moves with how far C2 has got through Spark's cold paths.
# Direct cost accounting (ACCOUNTING=1): the A/B compares whole JVMs, whose speed varies by several percent from one
# JVM to the next, so its interval stays wide; the plugin's own CPU time per job is measured directly instead, on
# every thread it runs on: its listener callbacks on the listener-bus thread, its executor hooks on the task threads,
# its init/shutdown, the flusher thread, and for GC events the JVM's notification thread (which builds GC
# notifications only because the plugin listens, and runs its handler). Reported: that sum per job and as a share of
# the job's CPU time (min / median / max over the traced jobs), its parts, the plugin's heap allocation per job, and
# per arm the GC time, the shared listener-bus thread's and the notification thread's CPU per job. The sum is the
# plugin's direct cost (including ~1 clock read per call of the accounting itself, shown as "probe"); indirect costs
# (Spark's dispatch to the listener and hooks, cache/TLB pollution, GC caused by the plugin's allocation) are not in
# it: the listener-bus and GC columns of both arms bound those the A/B cannot resolve.
# Writes bench/results/spark-plugin-overhead.md. Target: <= 3%.
# Duration on an idle 2-core machine with the defaults: 2 workloads x 6 rounds x 2 JVMs x (~5 s start + up to 7 jobs
# of ~3 s) ~ 16-20 min (MODE=both ~ 30 min).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
iterations=${1:-3}; runs=${2:-${RUNS:-6}}
workloads=${WORKLOADS:-cpu shuffle}
mode=${MODE:-jvm}
heap=${HEAP:-2g}
jvm_opts=${JVM_OPTS:--XX:+UseG1GC}
accounting=${ACCOUNTING:-1}
warmup=${WARMUP:-2}
max_warmup=${MAX_WARMUP:-4}
jit_quiet=${JIT_QUIET:-0.03}
mode_gap=${MODE_GAP:-0.10}
boot=${BOOTSTRAP:-2000}
out=${TS_OUT:-target-bench}
case $mode in jvm | context | both) ;; *) echo "MODE must be jvm, context or both, not '$mode'" >&2; exit 2 ;; esac
[[ $iterations =~ ^[1-9][0-9]*$ && $runs =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [ITERATIONS] [RUNS]" >&2; exit 2; }
[[ $accounting =~ ^[01]$ ]] || { echo "ACCOUNTING must be 0 or 1, not '$accounting'" >&2; exit 2; }
[[ $warmup =~ ^[0-9]+$ ]] || { echo "WARMUP must be a number, not '$warmup'" >&2; exit 2; }
[[ $max_warmup =~ ^[0-9]+$ ]] || { echo "MAX_WARMUP must be a number, not '$max_warmup'" >&2; exit 2; }
(( max_warmup >= warmup )) || max_warmup=$warmup
( cd "$root" && mvn -q -o -Dts.out="$out" -pl sparktrace -am package -DskipTests >/dev/null ) \
  || { echo "cannot build the sparktrace module" >&2; exit 1; }
cpfile=$root/sparktrace/$out/tracestream-classpath.txt   # written by the package phase (compile + provided)
jar=$root/sparktrace/$out/tracestream-sparktrace-plugin.jar
[ -f "$cpfile" ] && [ -f "$jar" ] || { echo "missing $cpfile or $jar" >&2; exit 1; }
mkdir -p "$root/bench/work" "$root/bench/results"
cp="$jar:$(cat "$cpfile")"
opts=$(sed -n 's|.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*|\1|p' "$root/pom.xml")
scratch=$(mktemp -d "${SCRATCH:-/dev/shm}/tracestream-overhead.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
traces=$scratch/traces
log=$root/bench/work/spark-plugin-overhead.log   # the JVMs' stderr, for diagnosis
: > "$log"
log4j=$scratch/log4j2-warn.properties
printf 'rootLogger.level = warn\nrootLogger.appenderRef.e.ref = e\nappender.e.type = Console\nappender.e.name = e\n' \
  > "$log4j"
tr ':' '\n' <<< "$cp" | while read -r f; do if [ -f "$f" ]; then cat "$f" > /dev/null; fi; done   # page cache warm

# One JVM. ARMS = plain | traced (one Spark context, configured by system properties) or p/t letters (in-JVM A/B:
# one context per letter). Prints "ARM WALL_MS CPU_MS GC_MS FLUSHER_CPU_MS JIT_CPU_MS WARMUPS PLUGIN_CPU_MS
# PLUGIN_ALLOC_KB BUS_CPU_MS NOTIFICATION_CPU_MS LISTENER_MS TASK_HOOKS_MS GC_EVENTS_MS LIFECYCLE_MS PROBE_MS
# LISTENER_ALLOC_KB TASK_HOOKS_ALLOC_KB FLUSHER_ALLOC_KB" per timed job (-1: not measured); fails if a job spilled.
run() { # WORKLOAD ARMS ITERATIONS ROWS
  local plugin=() arms=()
  mkdir -p "$scratch/local" "$scratch/tmp"
  case $2 in
    traced) plugin=(-Dspark.plugins=io.tracestream.sparktrace.TracePlugin) ;;
    plain) ;;
    *) arms=("$2") ;;
  esac
  local res acc=()
  [ "$accounting" = 1 ] && acc=(-Dtracestream.plugin.accounting=true)
  # shellcheck disable=SC2086
  res=$(SPARK_LOCAL_IP=127.0.0.1 java $opts -Xms"$heap" -Xmx"$heap" $jvm_opts -Dlog4j2.configurationFile="$log4j" \
    -Djava.io.tmpdir="$scratch/tmp" -Dspark.local.dir="$scratch/local" -Dspark.tracestream.output="$traces" \
    -Dspark.tracestream.lttng=false -Dtracestream.overhead.warmups="$warmup" \
    -Dtracestream.overhead.maxWarmups="$max_warmup" -Dtracestream.overhead.jitQuiet="$jit_quiet" "${acc[@]}" "${plugin[@]}" \
    -cp "$cp" \
    io.tracestream.sparktrace.OverheadJob "$1" "$3" "$4" "${arms[@]}" 2>>"$log") || { echo "$1: a JVM failed (see $log)" >&2; return 1; }
  rm -rf "$scratch/local" "$scratch/tmp"
  awk '$1 == "spilled_bytes" && $3 != 0 {print "a job spilled " $3 " bytes (" $2 "): raise HEAP" > "/dev/stderr"; bad = 1}
       $1 == "warmup" {nw++}
       $1 == "accounting" {for (i = 2; i <= NF; i++) {split($i, kv, "="); if (kv[1] == "probe_ns") probe = kv[2]}}
       function f(k) { return (k in v) ? v[k] : -1 }
       $1 == "iteration" {split("", v); for (i = 2; i <= NF; i++) {split($i, kv, "="); v[kv[1]] = kv[2]}
                          pr = ("plugin_calls" in v) ? v["plugin_calls"] * probe / 1e6 : -1
                          print v["arm"], v["wall_ms"], v["cpu_ms"], v["gc_ms"], v["flusher_cpu_ms"], v["jit_cpu_ms"], nw,
                            f("plugin_cpu_ms"), f("plugin_alloc_kb"), f("bus_cpu_ms"), f("notification_cpu_ms"),
                            f("plugin_listener_ms"), f("plugin_tasks_ms"), f("plugin_gc_ms"), f("plugin_lifecycle_ms"), pr,
                            f("plugin_listener_alloc_kb"), f("plugin_tasks_alloc_kb"), f("plugin_flusher_alloc_kb")}
       $1 == "spilled_bytes" {nw = 0}
       END {exit bad}' <<< "$res"
}
load() { cut -d' ' -f1 /proc/loadavg; }

# Statistics over the lines "ROUND ARM WALL CPU GC FLUSHER JIT WARMUPS PLUGIN_CPU PLUGIN_ALLOC BUS NOTIFICATION
# LISTENER TASK_HOOKS GC_EVENTS LIFECYCLE PROBE LISTENER_ALLOC TASK_HOOKS_ALLOC FLUSHER_ALLOC LOAD" of one workload: prints the table row's cells (without plugin |
# with plugin | wall slowdown | CPU slowdown | CPU slowdown without the JIT's | JIT CPU | flusher CPU | the plugin's own
# CPU | its parts | its allocation | GC time | listener-bus CPU | per-JVM modes | warm-up jobs | load range) and, on
# stderr, one line per round.
stats() { # FILE
  awk -v B="$boot" -v G="$mode_gap" '
    function sortn(a, n,   i, j, x) { for (i = 2; i <= n; i++) { x = a[i]; for (j = i - 1; j >= 1 && a[j] > x; j--) a[j + 1] = a[j]; a[j + 1] = x } }
    function median(a, n,   b, i) { for (i = 1; i <= n; i++) b[i] = a[i]; sortn(b, n); return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2 }
    function range(a, n, f,   b, i) { for (i = 1; i <= n; i++) b[i] = a[i]; sortn(b, n); return sprintf(f "-" f, b[1], b[n]) }
    function pct(x) { return sprintf("%+.1f%%", x * 100) }
    # the median of the per-round slowdowns, its bootstrap 95% interval (rounds resampled) and the per-round range
    function summary(s, n,   k, i, bs, pick, r) {
      srand(12345)
      for (k = 1; k <= B; k++) { for (i = 1; i <= n; i++) pick[i] = s[int(rand() * n) + 1]; bs[k] = median(pick, n) }
      sortn(bs, B)
      for (i = 1; i <= n; i++) r[i] = s[i]; sortn(r, n)
      return sprintf("**%s** [%s, %s] (%s to %s)", pct(median(s, n)), pct(bs[int(B * 0.025) + 1]), pct(bs[int(B * 0.975)]), pct(r[1]), pct(r[n]))
    }
    { if (!($1 in seen)) { seen[$1] = 1; order[++nr] = $1; ld[nr] = $NF }
      k = $1 SUBSEP $2; c = ++cnt[k]; W[k, c] = $3; C[k, c] = $4; X[k, c] = $7 >= 0 ? $4 - $7 : $4
      c = ++n[$2]; AW[$2, c] = $3; AC[$2, c] = $4; AF[$2, c] = $6; AJ[$2, c] = $7; AN[$2, c] = $8
      AG[$2, c] = $5; AB[$2, c] = $11; AO[$2, c] = $12
      for (q = 6; q <= 20; q++) AP[$2, c, q] = $q
      AR[$2, c] = $9 >= 0 ? $9 / $4 : -1 }
    END {
      nj = 0
      for (i = 1; i <= nr; i++) {
        for (a = 0; a < 2; a++) {
          arm = a ? "traced" : "plain"; k = order[i] SUBSEP arm
          for (c = 1; c <= cnt[k]; c++) { w[c] = W[k, c]; x[c] = C[k, c]; y[c] = X[k, c] }
          mw[arm] = median(w, cnt[k]); mc[arm] = median(x, cnt[k]); mx[arm] = median(y, cnt[k])
          jv[++nj] = mc[arm]; ja[nj] = arm   # one value per JVM (per round and arm)
        }
        sw[i] = mw["traced"] / mw["plain"] - 1; sc[i] = mc["traced"] / mc["plain"] - 1; sx[i] = mx["traced"] / mx["plain"] - 1
        printf "  round %s: wall %.0f / %.0f ms (%s), cpu %.0f / %.0f ms (%s), cpu without JIT %.0f / %.0f ms (%s), load %s\n", order[i], mw["plain"], mw["traced"], pct(sw[i]), mc["plain"], mc["traced"], pct(sc[i]), mx["plain"], mx["traced"], pct(sx[i]), ld[i] > "/dev/stderr"
      }
      for (a = 0; a < 2; a++) {
        arm = a ? "traced" : "plain"
        for (c = 1; c <= n[arm]; c++) { w[c] = AW[arm, c]; x[c] = AC[arm, c]; y[c] = AJ[arm, c]; z[c] = AN[arm, c] }
        cell[arm] = sprintf("%.0f (%s) / %.0f (%s)", median(w, n[arm]), range(w, n[arm], "%.0f"), median(x, n[arm]), range(x, n[arm], "%.0f"))
        jit[arm] = median(y, n[arm]); warm[arm] = range(z, n[arm], "%d")
      }
      for (c = 1; c <= n["traced"]; c++) { f[c] = AF["traced", c]; x[c] = AC["traced", c] }
      fl = sprintf("%.1f ms (%.2f%%)", median(f, n["traced"]), median(f, n["traced"]) * 100 / median(x, n["traced"]))
      # the direct accounting (traced jobs; -1 when off)
      nt = n["traced"]
      if (nt > 0 && AP["traced", 1, 9] >= 0) {
        for (c = 1; c <= nt; c++) { f[c] = AP["traced", c, 9]; y[c] = AR["traced", c] * 100 }
        own = sprintf("**%.1f ms** (%s); **%.2f%%** of the job CPU (%s)", median(f, nt), range(f, nt, "%.1f"), median(y, nt), range(y, nt, "%.2f%%"))
        parts = ""
        split("13 14 15 16 6 17", cols, " ")   # listener, task hooks, GC events, init+shutdown, flusher, probe
        for (qi = 1; qi <= 6; qi++) { q = cols[qi]; for (c = 1; c <= nt; c++) z[c] = AP["traced", c, q]; parts = parts sprintf("%s%.1f", qi == 1 ? "" : " / ", median(z, nt)) }
        for (c = 1; c <= nt; c++) z[c] = AP["traced", c, 10]
        alloc = sprintf("%.0f KiB (%s)", median(z, nt), range(z, nt, "%.0f"))
        for (qi = 18; qi <= 20; qi++) { for (c = 1; c <= nt; c++) z[c] = AP["traced", c, qi]; am[qi] = median(z, nt) }
        alloc = alloc sprintf(": listener %.0f, task hooks %.1f, flusher %.0f", am[18], am[19], am[20])
      } else { own = "n/a"; parts = "n/a"; alloc = "n/a" }
      for (a = 0; a < 2; a++) {
        arm = a ? "traced" : "plain"
        for (c = 1; c <= n[arm]; c++) { z[c] = AG[arm, c]; y[c] = AB[arm, c]; x[c] = AO[arm, c] }
        gcm[arm] = median(z, n[arm]); bus[arm] = median(y, n[arm]); ntf[arm] = median(x, n[arm])
      }
      gct = sprintf("%.0f / %.0f ms", gcm["plain"], gcm["traced"])
      bt = sprintf("%.1f / %.1f ms", bus["plain"], bus["traced"])
      nft = ntf["plain"] < 0 ? "n/a" : sprintf("%.2f / %.2f ms", ntf["plain"], ntf["traced"])
      jc = jit["plain"] < 0 ? "n/a" : sprintf("%.0f / %.0f ms", jit["plain"], jit["traced"])
      # Per-JVM modes: sort the JVMs median CPU per job; the largest relative step between neighbours splits them
      # into a fast and a slow mode when it exceeds G. Reported: how many JVMs of each arm are slow, and the
      # slowdown within each mode (traced median / plain median - 1 over the JVMs of that mode).
      for (i = 1; i <= nj; i++) sv[i] = jv[i]
      sortn(sv, nj); gap = 0; cut = 0
      for (i = 1; i < nj; i++) if (sv[i + 1] / sv[i] - 1 > gap) { gap = sv[i + 1] / sv[i] - 1; cut = (sv[i] + sv[i + 1]) / 2 }
      if (gap > G) {
        split("", cntm); split("", nm)
        for (i = 1; i <= nj; i++) { m = jv[i] > cut ? "slow" : "fast"; cntm[m, ja[i]]++; vm[m, ja[i], ++nm[m, ja[i]]] = jv[i] }
        within = ""
        for (mi = 0; mi < 2; mi++) {
          m = mi ? "slow" : "fast"
          if (nm[m, "plain"] > 0 && nm[m, "traced"] > 0) {
            for (c = 1; c <= nm[m, "plain"]; c++) p1[c] = vm[m, "plain", c]
            for (c = 1; c <= nm[m, "traced"]; c++) t1[c] = vm[m, "traced", c]
            within = within sprintf(", %s %s", m, pct(median(t1, nm[m, "traced"]) / median(p1, nm[m, "plain"]) - 1))
          }
        }
        modes = sprintf("2 modes (split at %.0f ms, step %s): slow JVMs without %d/%d, with %d/%d; within a mode%s", cut, pct(gap), cntm["slow", "plain"], nr, cntm["slow", "traced"], nr, within == "" ? ": -" : within)
      } else {
        modes = sprintf("1 mode (largest step %s)", pct(gap))
      }
      printf "%s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | without %s, with %s | %s\n", cell["plain"], cell["traced"], summary(sw, nr), summary(sc, nr), summary(sx, nr), jc, fl, own, parts, alloc, gct, bt, nft, modes, warm["plain"], warm["traced"], range(ld, nr, "%.2f")
    }' "$1"
}

report=$root/bench/results/spark-plugin-overhead.md
{
  echo "# Spark plugin overhead ($(date -u +%Y-%m-%d), $(nproc) cores, load $(load) at start)"
  echo
  echo "local[2], $iterations timed jobs per Spark context after $warmup to $max_warmup warm-up jobs (more while the JIT used > $jit_quiet"
  echo "of a job's CPU), -Xms/-Xmx $heap $jvm_opts, shuffle/temp/traces on tmpfs."
  echo "Slowdown = median over the rounds of (round median with plugin / round median without - 1), [95% bootstrap"
  echo "interval] (per-round min to max). Wall and CPU: milliseconds per job, median (min-max) over all timed jobs."
  echo "CPU without JIT: the JVM's CPU time minus its C1/C2 compiler threads'. Per-JVM modes: JVMs whose median CPU per"
  echo "job sits above the largest step (> $mode_gap) between the sorted JVM medians count as slow."
  echo "Plugin's own CPU/job (ACCOUNTING=$accounting): CPU time measured on every thread the plugin runs on (listener-bus"
  echo "callbacks, task hooks, GC notification thread, init/shutdown, flusher), median (min-max) over the traced jobs, and"
  echo "as a share of each job's CPU time; its parts: listener / task hooks / GC events / init+shutdown / flusher / probe"
  echo "(the accounting's own clock reads, included in the total). Direct cost only: Spark's dispatch to the plugin and"
  echo "indirect effects (caches, GC from its allocation) are not in it; see the GC and listener-bus columns of both arms."
  echo
  echo "| workload | method | rows | without plugin: wall / CPU ms | with plugin: wall / CPU ms | wall-time slowdown | CPU-time slowdown | CPU slowdown without JIT | JIT CPU/job without / with | flusher CPU/job (of the job's CPU) | plugin's own CPU/job | its parts: listener / task hooks / GC events / init+shutdown / flusher / probe, ms | plugin allocation/job | GC time/job without / with | listener-bus thread CPU/job without / with | notification thread CPU/job without / with | per-JVM CPU modes | warm-up jobs | load during the rounds | events/job |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
} > "$report"
t_start=$(date +%s)
methods=$mode; [ "$mode" = both ] && methods="jvm context"
for w in $workloads; do
  if [ "$w" = cpu ]; then base=250000000; fixed=${CPU_ROWS:-}; else base=25000000; fixed=${SHUFFLE_ROWS:-}; fi
  if [ -n "$fixed" ]; then
    rows=$fixed
  elif [ -n "${TARGET_MS:-}" ]; then
    cal=$(run "$w" plain 1 "$base" | awk '{print $2}')
    [ -n "$cal" ] || { echo "$w: the calibration run failed" >&2; exit 1; }
    rows=$(awk -v b="$base" -v m="$cal" -v t="$TARGET_MS" 'BEGIN {r = b * t / m; r = int(r / 1000000) * 1000000;
      if (r < 1000000) r = 1000000; print r}')
    echo "$w: a job of $base rows took $cal ms: $rows rows for ~$TARGET_MS ms" >&2
  else
    rows=$base
  fi
  for method in $methods; do
    data=$scratch/$w-$method.txt; : > "$data"
    rm -rf "$traces"
    for ((r = 1; r <= runs; r++)); do
      l=$(load)
      if [ "$method" = jvm ]; then
        if (( r % 2 == 1 )); then order="plain traced"; else order="traced plain"; fi  # ABBA
        for arm in $order; do
          run "$w" "$arm" "$iterations" "$rows" | awk -v r="$r" -v l="$l" '{print r, $0, l}' >> "$data"
        done
      else
        if (( r % 2 == 1 )); then arms=pttp; else arms=tppt; fi  # ABBA within the JVM, and across rounds
        run "$w" "$arms" "$iterations" "$rows" | awk -v r="$r" -v l="$l" '{print r, $0, l}' >> "$data"
      fi
    done
    events=$(babeltrace2 -c sink.utils.counter "$traces" 2>/dev/null | awk '/Event messages/ {n = $1} END {print n}')
    jobs=$(awk -v it="$iterations" '$2 == "traced" {n++; w += $8} END {printf "%d", n + w / it}' "$data")  # traced jobs, timed + warm-up
    per_job=$(awk -v e="${events:-0}" -v n="$jobs" 'BEGIN {printf "%d", n ? e / n : 0}')
    row=$(stats "$data")
    echo "| $w | $([ "$method" = jvm ] && echo "fresh JVM pairs" || echo "in-JVM contexts") | $rows | $row | $per_job |" >> "$report"
    echo "$w ($method): $row, ~$per_job events/job" | sed 's/\*\*//g; s/ | /; /g'
  done
done
echo >> "$report"
echo "Took $(( $(date +%s) - t_start )) s; load at the end $(load)." >> "$report"
echo "table: $report"
