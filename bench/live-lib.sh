# live-lib.sh: shell functions shared by the live benchmarks (bench/live.sh, bench/live-spark.sh; sourced, not run).
#   live_relay_start       starts a private lttng-relayd on free loopback ports (sets C, D, L, work, relayd, host;
#                          removes everything on exit)
#   live_session LIVE_US   creates and starts a live session (lossless blocking channel chan0, 4 MiB x 8 sub-buffers,
#                          tsprobe:* events, vpid/vtid/procname contexts); sets session, url
#   live_destroy           stops and destroys the current session
#   live_emit SECONDS EVENTS  runs the UST probe (EVENTS events, one thread) every 50 ms for SECONDS, in the
#                          background (sets emitter)
# Needs: root (the repository), probe_dir (a built tools/ust-probe).
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

live_relay_start() {
  command -v lttng-relayd >/dev/null || bench_die "lttng-relayd is needed (apt-get install lttng-tools)"
  pgrep -x lttng-sessiond >/dev/null || lttng-sessiond --daemonize
  work=$(mktemp -d "${TMPDIR:-/tmp}/tracestream-live-bench.XXXXXX")
  C=$(free_port); D=$(free_port); L=$(free_port)
  lttng-relayd -C tcp://127.0.0.1:$C -D tcp://127.0.0.1:$D -L tcp://127.0.0.1:$L -o "$work/relay" \
    > "$work/relayd.log" 2>&1 &
  relayd=$!
  session=""; emitter=""
  trap live_cleanup EXIT
  for _ in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/$L) 2>/dev/null && break; sleep 0.1; done
  host=$(cat /proc/sys/kernel/hostname)
}

live_cleanup() {
  live_stop_emitter
  [ -n "$session" ] && lttng destroy "$session" >/dev/null 2>&1 || true
  kill "$relayd" 2>/dev/null || true; wait "$relayd" 2>/dev/null || true
  rm -rf "$work"
}

live_session() {
  session=tslivebench-$$-$RANDOM
  {
    lttng create "$session" --live="${1:-100000}" --set-url=net://127.0.0.1:$C:$D
    lttng enable-channel -u -s "$session" --subbuf-size=4M --num-subbuf=8 --blocking-timeout=inf chan0
    lttng enable-event -u -s "$session" -c chan0 'tsprobe:*'
    lttng add-context -u -s "$session" -c chan0 -t vpid -t vtid -t procname
    lttng start "$session"
  } >/dev/null
  url=net://127.0.0.1:$L/host/$host/$session
}

live_destroy() {
  lttng stop "$session" >/dev/null; lttng destroy "$session" >/dev/null; session=""
}

# Stops the emitter loop and the probe it is running (a probe left blocked on a full buffer of a session whose relay
# is gone would block the probes of later sessions of this user too).
live_stop_emitter() {
  if [ -n "$emitter" ]; then
    kill -STOP "$emitter" 2>/dev/null || true # no new probe from here on
    pkill -P "$emitter" 2>/dev/null || true
    kill "$emitter" 2>/dev/null || true
    kill -CONT "$emitter" 2>/dev/null || true
    wait "$emitter" 2>/dev/null || true
    emitter=""
  fi
}

live_emit() {
  local seconds=$1 n=$2
  (
    end=$(( $(date +%s) + seconds ))
    while [ "$(date +%s)" -lt "$end" ]; do
      LTTNG_UST_ALLOW_BLOCKING=1 "$probe_dir/ust-probe" -n "$n" -t 1 >/dev/null
      sleep 0.05
    done
  ) &
  emitter=$!
}
