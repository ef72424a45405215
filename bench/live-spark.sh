#!/usr/bin/env bash
# live-spark.sh: the Spark side of the live benchmarks, against a private lttng-relayd on free loopback ports with
# the UST probe (tools/ust-probe) as the traced program. Three modes:
#
#   bench/live-spark.sh throughput [EVENTS_PER_THREAD=300000] [THREADS=2]
#       Sustained events/s through spark.readStream.format("lttng-live") (local[2], every row counted in
#       foreachBatch) and through `babeltrace2 --input-format=lttng-live -c sink.utils.counter` (events counted,
#       nothing printed: what -o dummy costs, plus the count), each on its own live session
#       (100 ms live timer) with the same workload: the reader attaches, the probe runs, the session is destroyed,
#       the reader reads to the end. Wall seconds from the probe's start to the last events read; Spark start-up is
#       excluded (the query runs before the probe starts). Also CPU seconds: babeltrace2's whole process; for Spark
#       the JVM's CPU time (all threads) over the same measured interval (the whole process, start-up included, is
#       printed below the table).
#       Events are what each reader read (per-user buffers also record other processes of this user that load the
#       probe, so run it on an otherwise idle machine for equal workloads).
#   bench/live-spark.sh latency [SECONDS=30] [WINDOW_MS=1000] [LIVE_TIMER_US=100000] [LATENESS_MS=200]
#       End-to-end latency from an event's emission (its timestamp: the tracer's clock, CLOCK_MONOTONIC with the
#       session's offset to real time) to its window's result reaching the sink: the probe emits 20 events every
#       50 ms; per closed window, result time - window end, for a Spark event-time window count and for
#       StreamingAnalyses (its per-window row); prints windows, p50, p99, max, and per query the micro-batches with
#       rows (count, mean and max duration: on a loaded machine the latency follows them). Target: <= live timer + 1 s.
#       Measured: the windows ending after the query's first micro-batch ended (it reads the session's history and
#       plans and compiles everything once).
#   Environment: LIVEBENCH_DETAIL=FILE appends every micro-batch's durations (Spark's breakdown, the state operator's,
#   per stage wall/run/deserialization/GC ms) and every window's delay to FILE (Spark's warnings in FILE.log);
#   BENCH_CP_FIRST=DIR puts classes before the project's (an A/B run of a variant); BENCH_JAVA_OPTS: more JVM options
#   (e.g. -Xlog:gc, a flight recording); LIVEBENCH_ONLY=count|analyses: latency of that query only;
#   LIVEBENCH_MAXREADMS: the queries' maxReadMsPerTrigger (default: the source's, 2000, so the first batch reads the
#   whole history); LIVEBENCH_CHECKPOINT_FM=filecontext: Spark's default checkpoint manager (the bench uses the
#   FileSystem one: the default spawns ~30 readlink/chmod processes per batch); TS_OUT: the build output folder.
#       The Spark count closes a window one micro-batch after its watermark passes it; StreamingAnalyses within the
#       micro-batch whose watermark_ts (the source's progress) passes the window's end + lateness.
#   bench/live-spark.sh soak [MINUTES=3] [EVENTS_PER_RUN=2000]
#       An endless session (the probe emits EVENTS_PER_RUN events every 50 ms) read for MINUTES through the live
#       client (in-process LiveSession) and then, on a new session, through the Spark source; every 10 s: events so
#       far, heap used after a full GC, process RSS. Constant memory = flat heap and RSS after warm-up.
# Results also go to bench/results/live-spark-MODE.txt.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
# shellcheck source=bench/live-lib.sh
. "$root/bench/live-lib.sh"
mode=${1:-throughput}; shift || true
out=${TS_OUT:-target-bench}
bench_setup
probe_dir=$root/bench/work/probe
"$root/tools/ust-probe/build.sh" "$probe_dir" >/dev/null
# the spark module and its test classes; package writes its run-time class path (Spark included)
( cd "$root" && mvn -q -o -Dts.out="$out" -pl spark -am package -DskipTests >/dev/null ) \
  || bench_die "cannot build the spark module"
cp="$root/spark/$out/test-classes:$root/spark/$out/classes:$root/ctf/$out/classes:$root/analyses/$out/classes"
cp="$cp:$root/live/$out/classes:$(cat "$root/spark/$out/tracestream-classpath.txt")"
# BENCH_CP_FIRST: classes put before the project's (an A/B run of a variant of some classes)
[ -n "${BENCH_CP_FIRST:-}" ] && cp="$BENCH_CP_FIRST:$cp"
opts=$(sed -n 's|.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*|\1|p' "$root/pom.xml")
live_relay_start
results=$root/bench/results/live-spark-$mode.txt; mkdir -p "$(dirname "$results")"

# bench_java ARGS... : the Java side in the background, output in $work/java.out (sets java_pid)
bench_java() {
  # shellcheck disable=SC2086
  SPARK_LOCAL_IP=127.0.0.1 /usr/bin/time -f "%e %U %S %M" -o "$work/java.time" \
    java $opts -Xmx1g ${BENCH_JAVA_OPTS:-} -cp "$cp" io.tracestream.spark.streaming.LiveBench "$@" > "$work/java.out" 2> "$work/java.err" &
  java_pid=$!
}
await_ready() {
  for _ in $(seq 1200); do
    grep -q READY "$work/java.out" 2>/dev/null && return 0
    kill -0 "$java_pid" 2>/dev/null || { cat "$work/java.err" >&2; bench_die "the Java side exited"; }
    sleep 0.1
  done
  bench_die "the Java side did not start"
}

case "$mode" in
throughput)
  N=${1:-300000}; T=${2:-2}
  {
    echo "# live throughput, $T x $N probe events, $(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ)"
    printf "%-42s %10s %9s %12s %8s\n" reader events wall_s events/s cpu_s
    # babeltrace2 (its 2.0.4 live reader sometimes crashes: tried twice)
    for attempt in 1 2; do
      live_session 100000
      /usr/bin/time -f "%e %U %S %M" -o "$work/bt.time" babeltrace2 --input-format=lttng-live "$url" \
        -c sink.utils.counter -p step=+0 > "$work/bt.out" 2> "$work/bt.err" &
      bt=$!
      sleep 2
      t0=$(date +%s.%N)
      ev=$(LTTNG_UST_ALLOW_BLOCKING=1 "$probe_dir/ust-probe" -n "$N" -t "$T")
      live_destroy
      if wait "$bt"; then
        t1=$(date +%s.%N)
        read -r _ u s _ < <(tail -1 "$work/bt.time")
        wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')
        got=$(awk '/ Event messages$/{n=$1} END{print n}' "$work/bt.out")
        [ "$got" = "$ev" ] || echo "# note: babeltrace2 read $got events, the probe emitted $ev (other traced processes of this user count too)"
        ev=$got
        printf "%-42s %10s %9s %12.0f %8.2f\n" "babeltrace2 lttng-live (counter sink)" "$ev" "$wall" \
          "$(awk -v e="$ev" -v w="$wall" 'BEGIN{print e/w}')" "$(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}')"
        break
      fi
      echo "babeltrace2 live reader failed (attempt $attempt): $(tail -2 "$work/bt.err")" >&2
    done
    # Spark: the schema needs the session's metadata, so a first probe run registers before the query starts
    live_session 100000
    LTTNG_UST_ALLOW_BLOCKING=1 "$probe_dir/ust-probe" -n 1 -t 1 >/dev/null
    bench_java throughput "$url"
    await_ready
    ev=$(LTTNG_UST_ALLOW_BLOCKING=1 "$probe_dir/ust-probe" -n "$N" -t "$T")
    live_destroy
    wait "$java_pid" || { cat "$work/java.err" >&2; bench_die "the Spark run failed"; }
    line=$(grep '^events=' "$work/java.out")
    got=$(sed 's/events=\([0-9]*\).*/\1/' <<< "$line"); wall=$(sed 's/.*seconds=\([0-9.]*\).*/\1/' <<< "$line")
    cpu=$(sed 's/.*cpu=\([0-9.]*\).*/\1/' <<< "$line")
    read -r _ u s _ < <(tail -1 "$work/java.time")
    [ "$got" = "$((ev + 3))" ] || [ "$got" = "$ev" ] || echo "# note: Spark read $got events, the probe emitted $ev (+3 of the first run; other traced processes of this user count too)"
    printf "%-42s %10s %9s %12.0f %8.2f\n" "Spark format(\"lttng-live\") foreachBatch" \
      "$got" "$wall" "$(awk -v e="$got" -v w="$wall" 'BEGIN{print e/w}')" "$cpu"
    echo "# Spark cpu_s: the JVM's CPU time over the measured interval (all threads); the whole process, Spark" \
      "start-up and shutdown included: $(awk -v u="$u" -v s="$s" 'BEGIN{print u+s}') s"
    grep '^ *[0-9]* batches with rows' "$work/java.out" | sed 's/^ */# Spark micro-batches: /' || true
  } | tee "$results"
  ;;
latency)
  SECONDS_=${1:-30}; W=${2:-1000}; TIMER=${3:-100000}; LATE=${4:-200}
  live_session "$TIMER"
  live_emit $(( 2 * SECONDS_ + 120 )) 20
  sleep 1
  bench_java latency "$url" "$W" "$LATE" "$SECONDS_"
  wait "$java_pid" || { cat "$work/java.err" >&2; bench_die "the Spark run failed"; }
  [ -n "${LIVEBENCH_DETAIL:-}" ] && cp "$work/java.err" "$LIVEBENCH_DETAIL.log"
  {
    echo "# end-to-end latency, window ${W} ms, live timer ${TIMER} us, lateness ${LATE} ms, ${SECONDS_} s per query, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo "# target: <= live timer + 1 s = $(( TIMER / 1000 + 1000 )) ms"
    grep -v READY "$work/java.out"
  } | tee "$results"
  ;;
soak)
  M=${1:-3}; E=${2:-2000}
  secs=$(awk -v m="$M" 'BEGIN{printf "%d", m*60+60}')
  {
    echo "# soak, ${M} min per reader, probe $E events every 50 ms, $(date -u +%Y-%m-%dT%H:%MZ)"
    for reader in soak-client soak-spark; do
      live_session 100000
      live_emit "$secs" "$E"
      sleep 1
      bench_java "$reader" "$url" "$M"
      wait "$java_pid" || { cat "$work/java.err" >&2; bench_die "the $reader run failed"; }
      live_stop_emitter
      live_destroy
      [ "$reader" = soak-client ] && echo "## live client (LiveSession in-process, events counted)" \
        || echo "## Spark format(\"lttng-live\") (local[2], rows counted in foreachBatch)"
      grep '^t=' "$work/java.out"
    done
  } | tee "$results"
  ;;
*) bench_die "mode must be throughput, latency or soak" ;;
esac
