#!/usr/bin/env bash
# analyses-vs-lttng.sh [RUNS=3]
#   Whole-process benchmark of `tracestream analyze NAME` against lttng-analyses 0.6.1's `lttng-NAME` on the real
#   kernel traces of the shared corpus (Trace Compass many-threads: 240,644 events on 8 CPUs; bug446190), in the
#   same run, each pinned to ONE core (taskset -c 0), page cache warm, best of RUNS. NAME: cputop, schedstats,
#   schedtop, irqstats, and `all` (tracestream, one pass) against the four lttng commands run one after the
#   other. Checks first that both tools print the same text (the table says so); that first run of each command
#   also makes the launcher's class data sharing archive (cli/target/cds/analyze.jsa), which the timed runs use, as
#   every later run of ./tracestream does. tracestream's times include JVM start-up. Results also go to
#   bench/results/analyses-vs-lttng.txt. Large traces: bench/analyses-large.sh. Environment: CORE, TRACESTREAM,
#   SHARED (the folder holding traces/, default ../shared).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
RUNS=${1:-3}
shared=${SHARED:-$root/../shared}
command -v lttng-cputop >/dev/null || bench_die "lttng-analyses is not installed (Debian python3-lttnganalyses)"
bench_setup
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
out=$root/bench/results/analyses-vs-lttng.txt; mkdir -p "$(dirname "$out")"
{
  echo "# $(date -u '+%F %T') UTC  lttng-analyses $(dpkg-query -W -f='${Version}' python3-lttnganalyses 2>/dev/null || echo '?')  $("$TRACESTREAM" --version)  $(java -version 2>&1 | head -1)"
  echo "# best of $RUNS runs, one core (taskset -c ${CORE:-0}), warm page cache; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
  printf '%-14s %-11s %10s %10s %8s  %s\n' trace analysis lttng_s tracestream_s speedup output
} | tee "$out"
for t in many-threads bug446190; do
  trace=$shared/traces/tracecompass/$t
  [ -d "$trace" ] || bench_die "no $trace"
  mkdir -p "$work/$t"; ln -sfn "$trace" "$work/$t/kernel"   # lttng-analyses reads the tracer version from .../kernel
  find "$trace" -type f -exec cat {} + >/dev/null
  for a in cputop schedstats schedtop irqstats; do
    lt=$(LC_ALL=C.UTF-8 lttng-$a --no-color --no-progress --skip-validation --gmt "$work/$t/kernel" | sha256sum)
    tt=$("$TRACESTREAM" analyze $a "$trace" --gmt | sha256sum)
    same=$([ "$lt" = "$tt" ] && echo "identical" || echo "DIFFERENT")
    l=$(bench_run "lttng-$a" env LC_ALL=C.UTF-8 lttng-$a --no-color --no-progress --skip-validation --gmt "$work/$t/kernel")
    s=$(bench_run "tracestream analyze $a" "$TRACESTREAM" analyze $a "$trace" --gmt)
    awk -v t="$t" -v a="$a" -v l="${l% *}" -v s="${s% *}" -v o="$same" \
      'BEGIN{printf "%-14s %-11s %10.2f %10.2f %7.1fx  %s\n", t, a, l, s, (s > 0 ? l / s : 0), o}' | tee -a "$out"
  done
  cat > "$work/all.sh" <<SH
#!/bin/sh
for a in cputop schedstats schedtop irqstats; do LC_ALL=C.UTF-8 lttng-\$a --no-color --no-progress --skip-validation --gmt "$work/$t/kernel" || exit 1; done
SH
  chmod +x "$work/all.sh"
  l=$(bench_run "lttng (4 commands)" "$work/all.sh")
  s=$(bench_run "tracestream analyze all" "$TRACESTREAM" analyze all "$trace" --gmt)
  awk -v t="$t" -v l="${l% *}" -v s="${s% *}" \
    'BEGIN{printf "%-14s %-11s %10.2f %10.2f %7.1fx  %s\n", t, "all", l, s, (s > 0 ? l / s : 0), "(4 lttng commands vs one pass, all analyses)"}' | tee -a "$out"
done
