# lib.sh: shell functions shared by the whole-process benchmark scripts (sourced, not run).
#   bench_setup            checks the tools, installs GNU time when missing, builds the CLI
#   bench_ust_trace N T    prints the path of an LTTng UST trace of T threads x N probe events (+2), recorded once
#                          into bench/work/ust-NxT with tools/ust-probe (lossless blocking channel) and kept
#   bench_generated_trace N  prints the path of a synthetic LTTng-kernel-like trace of N events written by the
#                          project's writer (io.tracestream.bench.BenchTraces, kernel mix) into bench/work/gen-N
#   bench_trace N T        bench_ust_trace N T, or bench_generated_trace N*T when INPUT=generated
#   bench_events TRACE     event count of a trace (babeltrace2's counter sink)
#   bench_run LABEL CMD... runs CMD (stdout and stderr discarded) RUNS times pinned to one core, prints
#                          "SECONDS PEAK_RSS_KB" of the fastest run; fails the script if CMD fails
#   bench_run_cpu LABEL CMD...  the same, printing "SECONDS PEAK_RSS_KB CPU_SECONDS" (user + system time of the
#                          fastest run: what the process itself used, whatever else the machine was doing)
#   bench_same_output TRACE [ARGS...]  compares `tracestream print ARGS TRACE` with `babeltrace2 ARGS TRACE`, line by
#                          line as both run (bench/compare-text.awk; nothing stored) and prints "outputs identical
#                          (N lines)", or "outputs identical but for N of M lines where babeltrace2 2.0.4 prints stale
#                          text for an empty string ..." when every differing line is that known babeltrace2 bug
#                          (README, "Stale empty strings"), else "OUTPUTS DIFFER (...)" and the first differing
#                          lines on stderr
# Variables: root (repository root; set by the caller), RUNS (default 3), CORE (CPU to pin to, default 0),
#   INPUT (ust: record with lttng, the default; generated: write with the project's writer, no lttng needed),
#   TRACESTREAM (the tracestream command to measure, default $root/tracestream).

bench_die() { echo "$(basename "$0"): error: $*" >&2; exit 1; }

bench_setup() {
  "$root/scripts/setup.sh"
  if ! [ -x /usr/bin/time ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null || bench_die "cannot install GNU time"
  fi
  command -v taskset >/dev/null || bench_die "taskset (util-linux) is needed"
  TRACESTREAM=${TRACESTREAM:-$root/tracestream}
  "$TRACESTREAM" --version >/dev/null || bench_die "cannot build or run $TRACESTREAM"   # builds the CLI
  export TZ=UTC   # same time zone for both tools (and no zone lookup differences)
}

bench_ust_trace() {
  local n=$1 t=$2
  local trace=$root/bench/work/ust-${n}x${t}
  if [ ! -f "$trace/.complete" ]; then
    rm -rf "$trace"; mkdir -p "$root/bench/work"
    local build=$root/bench/work/probe
    "$root/tools/ust-probe/build.sh" "$build" >/dev/null
    local s=tsbench-$$-$RANDOM
    echo "recording $t x $n events into $trace ..." >&2
    {
      lttng create "$s" --output="$trace"
      lttng enable-channel -u -s "$s" --subbuf-size=4M --num-subbuf=8 --blocking-timeout=inf chan0
      lttng enable-event -u -s "$s" -c chan0 'tsprobe:*'
      lttng enable-event -u -s "$s" -c chan0 'lttng_ust_tracef:*'
      lttng enable-event -u -s "$s" -c chan0 'lttng_ust_tracelog:*'
      lttng add-context -u -s "$s" -c chan0 -t vpid -t vtid -t procname
      lttng start "$s"
    } >/dev/null || bench_die "lttng could not set up the recording session"
    LTTNG_UST_ALLOW_BLOCKING=1 "$build/ust-probe" -n "$n" -t "$t" >/dev/null || bench_die "the probe failed"
    lttng stop "$s" >/dev/null; lttng destroy "$s" >/dev/null
    touch "$trace/.complete"
  fi
  echo "$trace"
}

bench_generated_trace() {
  local n=$1
  local trace=$root/bench/work/gen-$n
  if [ ! -f "$trace/.complete" ]; then
    local out=${TS_OUT:-target} log
    log=$(mktemp)
    (cd "$root" && mvn -B -q -Dstyle.color=never -Dts.out="$out" -DskipTests -pl bench -am package) >"$log" 2>&1 \
      || { cat "$log" >&2; rm -f "$log"; bench_die "cannot build the benchmarks jar"; }
    rm -f "$log"
    echo "writing $n events into $trace ..." >&2
    java -cp "$root/bench/$out/benchmarks.jar" io.tracestream.bench.BenchTraces "$trace" "$n" kernel >/dev/null \
      || bench_die "cannot write $trace"
    touch "$trace/.complete"
  fi
  echo "$trace"
}

bench_trace() {
  case "${INPUT:-ust}" in
    ust) bench_ust_trace "$1" "$2" ;;
    generated) bench_generated_trace $(( $1 * $2 )) ;;
    *) bench_die "INPUT must be ust or generated, not '$INPUT'" ;;
  esac
}

bench_events() {
  babeltrace2 "$1" -c sink.utils.counter -p step=+0 2>/dev/null | awk '/ Event messages$/{n=$1} END{print n}'
}

bench_run() {
  local r
  r=$(bench_run_cpu "$@") || return 1
  echo "${r% *}"
}

bench_run_cpu() {
  local label=$1; shift
  local best="" best_rss=0 best_cpu=0 tf e m u s rc
  tf=$(mktemp)
  for _ in $(seq 1 "${RUNS:-3}"); do
    rc=0
    /usr/bin/time -f "%e %M %U %S" -o "$tf" taskset -c "${CORE:-0}" "$@" >/dev/null 2>"$tf.err" || rc=$?
    if [ "$rc" != 0 ]; then
      echo "$label failed (exit $rc): $*" >&2; tail -5 "$tf.err" >&2; rm -f "$tf" "$tf.err"; return 1
    fi
    read -r e m u s < <(tail -1 "$tf")
    if [ -z "$best" ] || awk -v a="$e" -v b="$best" 'BEGIN{exit !(a<b)}'; then
      best=$e; best_rss=$m; best_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}')
    fi
  done
  rm -f "$tf" "$tf.err"
  echo "$best $best_rss $best_cpu"
}

bench_same_output() {
  local trace=$1; shift
  local dir bt ts r rc_bt=0 rc_ts=0 nts nbt same stale other first
  dir=$(mktemp -d)
  mkfifo "$dir/bt" "$dir/ts"
  # both tools write at the same time into FIFOs read line by line: nothing is stored, whatever the trace size
  babeltrace2 "$@" "$trace" >"$dir/bt" 2>/dev/null &
  bt=$!
  "$TRACESTREAM" print "$@" "$trace" >"$dir/ts" 2>/dev/null &
  ts=$!
  r=$(awk -v TS="$dir/ts" -v BT="$dir/bt" -f "$root/bench/compare-text.awk" 2>"$dir/diff")
  wait "$bt" || rc_bt=$?
  wait "$ts" || rc_ts=$?
  read -r nts nbt same stale other first <<<"$r"
  if [ "$rc_bt" != 0 ] || [ "$rc_ts" != 0 ] || [ -z "$other" ]; then
    echo "$(basename "$0"): WARNING: the output check failed (exit status babeltrace2 $rc_bt, tracestream $rc_ts)" >&2
    echo "OUTPUTS DIFFER (the output check failed)"
  elif [ "$other" != 0 ]; then
    echo "$(basename "$0"): WARNING: tracestream print${*:+ $*} writes other text than babeltrace2${*:+ $*} for $trace:" >&2
    cat "$dir/diff" >&2
    echo "OUTPUTS DIFFER ($other of $nts lines; the first is line $first; babeltrace2 $nbt lines)"
  elif [ "$stale" != 0 ]; then
    echo "outputs identical but for $stale of $nts lines where babeltrace2 2.0.4 prints stale text for an empty string (its known bug, see the README)"
  else
    echo "outputs identical ($nts lines)"
  fi
  rm -rf "$dir"
}
