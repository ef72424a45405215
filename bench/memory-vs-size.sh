#!/usr/bin/env bash
# memory-vs-size.sh [SMALL_EVENTS=1000000] [LARGE_EVENTS=4000000] [HEAP=256m] [RUNS=1]
#   Shows that tracestream's peak memory does not grow with the trace: records two LTTng UST traces with
#   tools/ust-probe (2 threads; SMALL and LARGE events in all, kept in bench/work/), then measures the peak
#   resident set size (GNU time's %M: heap, JIT, metaspace AND the pages of memory-mapped trace files that are
#   resident) of
#     tracestream print -o dummy TRACE      (fixed heap: TRACESTREAM_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP")
#     tracestream print TRACE > /dev/null
#     babeltrace2 -o dummy TRACE            (the reference, for scale)
#   on both traces, and prints the RSS growth LARGE/SMALL for each (1.00 = independent of the trace size; the trace
#   itself grows by LARGE/SMALL). Results also go to bench/results/memory-vs-size.txt.
#   Environment: INPUT=generated (synthetic LTTng-kernel-like traces written by the project's writer instead of
#   lttng recordings), TRACESTREAM (the command measured, default ./tracestream), CORE (CPU to pin to, default 0).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
SMALL=${1:-1000000}; LARGE=${2:-4000000}; HEAP=${3:-256m}; RUNS=${4:-1}
T=2
bench_setup
[ "$SMALL" -lt "$LARGE" ] || bench_die "SMALL_EVENTS ($SMALL) must be below LARGE_EVENTS ($LARGE)"
small=$(bench_trace $(( (SMALL + T - 1) / T )) "$T")
large=$(bench_trace $(( (LARGE + T - 1) / T )) "$T")
export TRACESTREAM_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP ${TRACESTREAM_JAVA_OPTS:-}"

measure() { # TRACE -> "events bytes bt_rss ts_dummy_rss ts_text_rss" (KB), with the dummy/text seconds
  local trace=$1 ev by b d t
  ev=$(bench_events "$trace"); by=$(du -sb "$trace" | cut -f1)
  find "$trace" -type f -exec cat {} + >/dev/null
  b=$(bench_run "babeltrace2 -o dummy" babeltrace2 -o dummy "$trace") || exit 1
  d=$(bench_run "tracestream print -o dummy" "$TRACESTREAM" print -o dummy "$trace") || exit 1
  t=$(bench_run "tracestream print" "$TRACESTREAM" print "$trace") || exit 1
  echo "$ev $by ${b#* } ${d#* } ${t#* } ${d% *} ${t% *}"
}
echo "measuring (RUNS=$RUNS, one core, heap $HEAP)..." >&2
ms=$(measure "$small"); ml=$(measure "$large")
out=$root/bench/results/memory-vs-size.txt; mkdir -p "$(dirname "$out")"
{
  echo "# $(date -u '+%F %T') UTC  $("$TRACESTREAM" --version)  $(java -version 2>&1 | head -1)  $(babeltrace2 --version | head -1)"
  echo "# TRACESTREAM_JAVA_OPTS=\"$TRACESTREAM_JAVA_OPTS\"; peak RSS (GNU time %M, KB) of the best of $RUNS runs, one core"
  awk -v s="$ms" -v l="$ml" 'BEGIN{
    split(s, a, " "); split(l, b, " ");
    printf "%-10s %12s %14s %18s %20s %20s\n", "trace", "events", "bytes", "babeltrace2 dummy", "tracestream dummy", "tracestream text";
    printf "%-10s %12d %14d %15d KB %17d KB %17d KB\n", "small", a[1], a[2], a[3], a[4], a[5];
    printf "%-10s %12d %14d %15d KB %17d KB %17d KB\n", "large", b[1], b[2], b[3], b[4], b[5];
    printf "%-10s %12.2fx %13.2fx %17.2fx %19.2fx %19.2fx\n", "large/small", b[1]/a[1], b[2]/a[2], b[3]/a[3], b[4]/a[4], b[5]/a[5];
    printf "tracestream seconds: dummy %.2f -> %.2f, text %.2f -> %.2f\n", a[6], b[6], a[7], b[7] }'
} | tee "$out"
