#!/usr/bin/env bash
# analyses-large.sh [TIMES=20] [RUNS=1]
#   Whole-process benchmark of the analyses on a large kernel trace: Trace Compass many-threads (240,644 events on
#   8 CPUs) tiled TIMES times in time with `tracestream tile` (TIMES=20: 4.8 M events, 0.2 GB), written once into
#   bench/work/many-threads-xTIMES. On that same trace, in the same run: each `lttng-NAME` of lttng-analyses 0.6.1
#   (NAME = cputop, schedstats, schedtop, irqstats; one core), then `tracestream analyze NAME` with the in-process
#   engine on one core (--threads 1) and on two (--threads 2: per-CPU analyses run per CPU in parallel; the
#   time-ordered ones run on one thread, fed by a decoding thread when no pass reads event fields: cputop,
#   schedstats, schedtop), and with the Spark engine on local[1] and local[2] (pinned to
#   as many cores). Every output is compared with lttng's (`identical` in the table). Times are whole processes
#   (JVM start-up included), best of RUNS (lttng: one run, it is the slow side).
#   Last row: `analyze all` (every analysis, one pass) against the lttng commands' total.
#   Prints the seconds, speed-up over lttng, and the scaling from one core to two for both engines, then a `# cpu`
#   line per analysis with the CPU seconds (user + system) of the same runs (steadier than wall times on a shared
#   machine); also written to bench/results/analyses-large.txt. Duration on the idle 2-core machine with TIMES=20,
#   RUNS=1: about 10 minutes (lttng ~17 us per event: ~80 s per analysis; the Spark runs ~20-40 s each).
#   Environment: ANALYSES (default "cputop schedstats schedtop irqstats"), SPARK=0 (skip the Spark engine), CORES
#   (two CPUs for the two-core runs, default 0,1), TRACESTREAM, SHARED as in lib.sh.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
TIMES=${1:-20}
RUNS=${2:-1}
shared=${SHARED:-$root/../shared}
analyses=${ANALYSES:-cputop schedstats schedtop irqstats}
cores=${CORES:-0,1}
command -v lttng-cputop >/dev/null || bench_die "lttng-analyses is not installed (Debian python3-lttnganalyses)"
bench_setup
src=$shared/traces/tracecompass/many-threads
[ -d "$src" ] || bench_die "no $src"

# The tiled trace, under a folder named kernel (lttng-analyses reads the tracer version from .../kernel)
trace=$root/bench/work/many-threads-x$TIMES/kernel
if [ ! -f "$trace/../.complete" ]; then
  rm -rf "$(dirname "$trace")"; mkdir -p "$(dirname "$trace")"
  echo "tiling $src $TIMES times into $trace ..." >&2
  "$TRACESTREAM" tile "$src" --times "$TIMES" --output "$trace" >&2 || bench_die "cannot tile $src"
  touch "$trace/../.complete"
fi
events=$(( 240644 * TIMES ))
# warm-up outside the timings: the launcher's class data sharing archive, the build of the Spark modules
"$TRACESTREAM" analyze cputop "$src" >/dev/null
[ "${SPARK:-1}" = 0 ] || "$TRACESTREAM" analyze cputop "$src" --engine spark --master 'local[1]' >/dev/null 2>&1 \
  || bench_die "the Spark engine does not run (tracestream analyze --engine spark)"
find "$trace" -type f -exec cat {} + >/dev/null   # warm page cache

out=$root/bench/results/analyses-large.txt; mkdir -p "$(dirname "$out")"
{
  echo "# $(date -u '+%F %T') UTC  many-threads x $TIMES ($events events, $(du -sh "$trace" | cut -f1))  lttng-analyses $(dpkg-query -W -f='${Version}' python3-lttnganalyses 2>/dev/null || echo '?')  $("$TRACESTREAM" --version)"
  echo "# seconds, whole process; lttng: 1 run on core ${CORE:-0}; tracestream: best of $RUNS, 1 core = taskset -c ${CORE:-0}, 2 cores = taskset -c $cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-11s %9s %9s %9s %9s %9s %8s %8s %8s %8s  %s\n' analysis lttng local_1c local_2c spark_1c spark_2c \
    x_lttng_1c x_lttng_2c scale_loc scale_spk output
} | tee "$out"

# timed CORES OUT CMD...: runs CMD pinned to CORES (RUNS times for tracestream), stdout into OUT (the first run);
# prints the seconds of the fastest run (and writes its CPU seconds, user + system, into $work/cpu); fails the
# script if CMD fails
timed() {
  local cpus=$1 out=$2 best="" bestcpu="" e c i tf
  shift 2
  tf=$(mktemp)
  for i in $(seq 1 "$runs"); do
    if ! /usr/bin/time -f "%e %U %S" -o "$tf" taskset -c "$cpus" "$@" \
        >"$([ "$i" = 1 ] && echo "$out" || echo /dev/null)" 2>"$tf.err"; then
      echo "failed: $*" >&2; tail -5 "$tf.err" >&2; rm -f "$tf" "$tf.err"; exit 1
    fi
    e=$(tail -1 "$tf" | cut -d' ' -f1)
    c=$(tail -1 "$tf" | awk '{printf "%.2f", $2 + $3}')
    if [ -z "$best" ] || awk -v a="$e" -v b="$best" 'BEGIN{exit !(a<b)}'; then best=$e; bestcpu=$c; fi
  done
  rm -f "$tf" "$tf.err"
  echo "$bestcpu" >"$work/cpu"
  echo "$best"
}

work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
for a in $analyses; do
  runs=1
  l=$(timed "${CORE:-0}" "$work/lttng" env LC_ALL=C.UTF-8 "lttng-$a" --no-color --no-progress --skip-validation \
    --gmt "$trace")
  lc=$(cat "$work/cpu")
  runs=$RUNS
  t1=$(timed "${CORE:-0}" "$work/t1" "$TRACESTREAM" analyze "$a" "$trace" --gmt --engine local --threads 1)
  t1c=$(cat "$work/cpu")
  t2=$(timed "$cores" "$work/t2" "$TRACESTREAM" analyze "$a" "$trace" --gmt --engine local --threads 2)
  t2c=$(cat "$work/cpu")
  s1=0 s2=0 s1c=- s2c=- outs="t1 t2"
  if [ "${SPARK:-1}" != 0 ]; then
    s1=$(timed "${CORE:-0}" "$work/s1" "$TRACESTREAM" analyze "$a" "$trace" --gmt --engine spark --master 'local[1]')
    s1c=$(cat "$work/cpu")
    s2=$(timed "$cores" "$work/s2" "$TRACESTREAM" analyze "$a" "$trace" --gmt --engine spark --master 'local[2]')
    s2c=$(cat "$work/cpu")
    outs="$outs s1 s2"
  fi
  same=identical
  for o in $outs; do cmp -s "$work/lttng" "$work/$o" || same="DIFFERENT($o)"; done
  awk -v a="$a" -v l="$l" -v t1="$t1" -v t2="$t2" -v s1="$s1" -v s2="$s2" -v o="$same" 'function r(x, y) {
      return y > 0 ? x / y : 0 }
    BEGIN { printf "%-11s %9.2f %9.2f %9.2f %9.2f %9.2f %7.1fx %7.1fx %7.2fx %7.2fx  %s\n", a, l, t1, t2, s1, s2,
      r(l, t1), r(l, t2), r(t1, t2), r(s1, s2), o }' | tee -a "$out"
  echo "# cpu $a (user + system seconds): lttng $lc, local_1c $t1c, local_2c $t2c, spark_1c $s1c, spark_2c $s2c" \
    | tee -a "$out"
  lttng_total=$(awk -v a="${lttng_total:-0}" -v b="$l" 'BEGIN{print a + b}')
done
# `all`: one in-process pass for every analysis (the time-ordered pass beside the per-CPU ones on 2 cores) against
# the lttng commands above, one after the other
runs=$RUNS
t1=$(timed "${CORE:-0}" /dev/null "$TRACESTREAM" analyze all "$trace" --gmt --engine local --threads 1)
t1c=$(cat "$work/cpu")
t2=$(timed "$cores" /dev/null "$TRACESTREAM" analyze all "$trace" --gmt --engine local --threads 2)
t2c=$(cat "$work/cpu")
awk -v l="$lttng_total" -v t1="$t1" -v t2="$t2" 'function r(x, y) { return y > 0 ? x / y : 0 }
  BEGIN { printf "%-11s %9.2f %9.2f %9.2f %9s %9s %7.1fx %7.1fx %7.2fx %8s  %s\n", "all", l, t1, t2, "-", "-",
    r(l, t1), r(l, t2), r(t1, t2), "-", "(the lttng commands above vs one pass, all analyses)" }' | tee -a "$out"
echo "# cpu all (user + system seconds): local_1c $t1c, local_2c $t2c" | tee -a "$out"
echo "# x_lttng_*: lttng seconds / tracestream in-process seconds (1 or 2 cores); scale_*: 1-core / 2-core seconds" \
  | tee -a "$out"
