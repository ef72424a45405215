#!/usr/bin/env bash
# print-vs-babeltrace.sh [EVENTS_PER_THREAD=1000000] [THREADS=2] [RUNS=3]
#   Whole-process benchmark of `tracestream print` against `babeltrace2` on the same multi-million-event LTTng UST
#   trace (default 2 x 1,000,000 events, ~150 MB), in the same run. Records the trace with lttng and tools/ust-probe
#   (lossless blocking channel, every field type lttng-ust writes) into bench/work/ust-EVENTSxTHREADS (kept for
#   later runs), checks that both tools print the same text (line by line; the result table says whether they do,
#   counting the lines that differ only by babeltrace2 2.0.4's known stale empty strings, see the README; any other
#   difference fails the script, exit status 1, before timing), then times,
#   each pinned to ONE core (taskset -c 0), page cache warm, best of RUNS:
#     babeltrace2 -o dummy TRACE          vs  tracestream print -o dummy TRACE      (decode everything, print nothing)
#     babeltrace2 TRACE > /dev/null       vs  tracestream print TRACE > /dev/null   (babeltrace2's text output)
#   and prints elapsed seconds, events/s, peak RSS, CPU seconds (user + system) and the speed ratios (tracestream
#   events/s / babeltrace2 events/s: above 1 means tracestream is faster), from elapsed time and from CPU time
#   (the latter is less skewed by other load on the machine). tracestream's times include JVM start-up and JIT
#   warm-up.
#   Duration on the idle 2-core machine once the trace is recorded (recording takes ~1 s per million events):
#   about 2 minutes with the defaults, about 6 minutes for `10000000 2 1` (20 M events, 1.5 GB; most of it is
#   babeltrace2's text output, run once for the output check and once timed).
#   Results also go to bench/results/print-vs-babeltrace.txt. Environment: CORE (CPU to pin to, default 0),
#   INPUT=generated (a synthetic LTTng-kernel-like trace of EVENTS_PER_THREAD x THREADS events written by the
#   project's writer instead of an lttng recording), TRACESTREAM (the command measured, default ./tracestream).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
N=${1:-1000000}; T=${2:-2}; RUNS=${3:-3}
bench_setup
trace=$(bench_trace "$N" "$T")
events=$(bench_events "$trace")
[ -n "$events" ] && [ "$events" -gt 0 ] || bench_die "babeltrace2 cannot count the events of $trace"
bytes=$(du -sb "$trace" | cut -f1)
find "$trace" -type f -exec cat {} + >/dev/null   # warm the page cache

echo "checking that both tools print the same text..." >&2
same=$(bench_same_output "$trace")
case $same in
  "OUTPUTS DIFFER"*) bench_die "tracestream print and babeltrace2 disagree on $trace: $same" ;;
esac

out=$root/bench/results/print-vs-babeltrace.txt; mkdir -p "$(dirname "$out")"
echo "timing (best of $RUNS, one core)..." >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bd=$(bench_run_cpu "babeltrace2 -o dummy" babeltrace2 -o dummy "$trace") || exit 1
td=$(bench_run_cpu "tracestream print -o dummy" "$TRACESTREAM" print -o dummy "$trace") || exit 1
bt=$(bench_run_cpu "babeltrace2" babeltrace2 "$trace") || exit 1
tt=$(bench_run_cpu "tracestream print" "$TRACESTREAM" print "$trace") || exit 1
{
  echo "# $(date -u '+%F %T') UTC  $(babeltrace2 --version | head -1)  $("$TRACESTREAM" --version)  $(java -version 2>&1 | head -1)"
  echo "# trace=$trace events=$events bytes=$bytes; best of $RUNS runs, one core (taskset -c ${CORE:-0}), warm page cache; $same"
  echo "# load average before timing: $load_before; after: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "$bd $td $bt $tt" | awk -v n="$events" '{
    bd=$1; bdm=$2; bdc=$3; td=$4; tdm=$5; tdc=$6; bt=$7; btm=$8; btc=$9; tt=$10; ttm=$11; ttc=$12;
    printf "%-34s %8s %14s %12s %9s\n", "command", "seconds", "events/s", "peak RSS", "CPU s";
    printf "%-34s %8.2f %14.0f %9d KB %9.2f\n", "babeltrace2 -o dummy", bd, n/bd, bdm, bdc;
    printf "%-34s %8.2f %14.0f %9d KB %9.2f\n", "tracestream print -o dummy", td, n/td, tdm, tdc;
    printf "%-34s %8.2f %14.0f %9d KB %9.2f\n", "babeltrace2 (text)", bt, n/bt, btm, btc;
    printf "%-34s %8.2f %14.0f %9d KB %9.2f\n", "tracestream print (text)", tt, n/tt, ttm, ttc;
    printf "speed ratio (tracestream/babeltrace2), elapsed: dummy %.2fx, text %.2fx\n", bd/td, bt/tt;
    printf "CPU-time ratio (babeltrace2 CPU s / tracestream CPU s): dummy %.2fx, text %.2fx\n", bdc/tdc, btc/ttc }'
} | tee "$out"
