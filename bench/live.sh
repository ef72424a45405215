#!/usr/bin/env bash
# live.sh [EVENTS_PER_THREAD=500000] [THREADS=2]
#   Sustained throughput of the LTTng live readers: `tracestream live -o dummy` against
#   `babeltrace2 --input-format=lttng-live -o dummy`, each on its own live session with the same workload (the relay
#   lets one viewer attach to a session at a time), with a private lttng-relayd on free loopback ports.
#   For each reader: start a live session (lossless blocking channel, 4 MiB x 8 sub-buffers, live timer 100 ms),
#   attach the reader, run tools/ust-probe (EVENTS_PER_THREAD x THREADS events + 2), stop and destroy the session,
#   wait for the reader to end by itself. Prints, per reader: events delivered (text output line count is checked
#   once per reader with a separate small run), wall seconds from the probe's start to the reader's end, events/s
#   over that span, the reader's CPU seconds (user+sys) and events per CPU second, and its peak RSS.
#   The probe, relayd and consumerd run at the same time on the same cores, so wall throughput is bounded by the
#   tracer; events per CPU second is the reader's own cost (tracestream's includes JVM start-up). The events column is
#   what the probe emitted (with -o dummy nothing is printed); the text check compares the line counts of both readers
#   on a small session. babeltrace2 2.0.4's live reader sometimes crashes (SIGSEGV); such a run is reported and tried
#   again once. Results also go to bench/results/live.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
N=${1:-500000}; T=${2:-2}
bench_setup
# shellcheck source=bench/live-lib.sh
. "$root/bench/live-lib.sh"
probe_dir=$root/bench/work/probe
"$root/tools/ust-probe/build.sh" "$probe_dir" >/dev/null
live_relay_start

# run_reader LABEL N T CMD... : one live session, the reader CMD (URL appended), prints "events wall cpu rss"
run_reader() {
  local label=$1 n=$2 t=$3; shift 3
  live_session 100000
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" "$url" > "$work/out" 2> "$work/err" &
  local reader=$!
  sleep 2   # the reader attaches and waits for the session's streams
  local t0 t1
  t0=$(date +%s.%N)
  LTTNG_UST_ALLOW_BLOCKING=1 "$probe_dir/ust-probe" -n "$n" -t "$t" > "$work/emitted"
  live_destroy
  wait "$reader" || { echo "$label failed (exit $?):" >&2; cat "$work/err" "$work/time" >&2; return 1; }
  t1=$(date +%s.%N)
  local e u s m
  read -r e u s m < <(tail -1 "$work/time")
  echo "$(cat "$work/emitted") $(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}') \
$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}') $m $(wc -l < "$work/out")"
}

echo "checking that both readers print the same number of lines on a small session..." >&2
# babeltrace2 2.0.4's live reader sometimes crashes (SIGSEGV): a failed run is reported and tried again once
bt_lines=$(run_reader babeltrace2 2000 2 babeltrace2 --input-format=lttng-live | awk '{print $5}') \
  || bt_lines=$(run_reader babeltrace2 2000 2 babeltrace2 --input-format=lttng-live | awk '{print $5}') || bt_lines=failed
ts_lines=$(run_reader tracestream 2000 2 "$TRACESTREAM" live | awk '{print $5}') || ts_lines=failed
[ "$bt_lines" = "$ts_lines" ] && same="same line count ($ts_lines)" || same="LINE COUNTS DIFFER (babeltrace2 $bt_lines, tracestream $ts_lines)"

out=$root/bench/results/live.txt; mkdir -p "$(dirname "$out")"
{
  echo "# live readers, $T x $N probe events per run, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); text output: $same"
  printf "%-34s %10s %9s %12s %8s %14s %10s\n" reader events wall_s events/s cpu_s events/cpu_s rss_kb
  for r in bt ts; do
    if [ $r = bt ]; then label="babeltrace2 lttng-live -o dummy"
      res=$(run_reader "$label" "$N" "$T" babeltrace2 --input-format=lttng-live -o dummy) \
        || res=$(run_reader "$label" "$N" "$T" babeltrace2 --input-format=lttng-live -o dummy) \
        || { printf "%-34s failed twice\n" "$label"; continue; }
    else label="tracestream live -o dummy"
      res=$(run_reader "$label" "$N" "$T" "$TRACESTREAM" live -o dummy) || { printf "%-34s failed\n" "$label"; continue; }
    fi
    read -r ev wall cpu rss _ <<< "$res"
    printf "%-34s %10s %9s %12.0f %8s %14.0f %10s\n" "$label" "$ev" "$wall" \
      "$(awk -v e="$ev" -v w="$wall" 'BEGIN{print e/w}')" "$cpu" "$(awk -v e="$ev" -v c="$cpu" 'BEGIN{print (c>0?e/c:0)}')" "$rss"
  done
} | tee "$out"
