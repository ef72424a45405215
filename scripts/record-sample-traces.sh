#!/usr/bin/env bash
# record-sample-traces.sh: re-records the small LTTng UST sample traces committed under testdata/.
#   testdata/sample-ust/  lossless: 2 threads pinned to different CPUs, 1500 mixed tsprobe events each (every field
#                         type lttng-ust 2.13 writes, plus tracef/tracelog), vpid/vtid/procname contexts; channel
#                         chan0 gets every event, channel chan1 only tsprobe:tick/tock with one more context
#                         (pthread_id), so the trace has two stream classes and several packets per stream.
#   testdata/lossy-ust/   lossy: burst mode into tiny sub-buffers that discard events when full.
# Needs lttng-tools, liblttng-ust-dev and gcc (scripts/setup.sh installs them) and a session daemon it can use.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"

build=$(mktemp -d)
session=""
cleanup() {
  [ -n "$session" ] && lttng destroy "$session" >/dev/null 2>&1 || true
  rm -rf "$build"
}
trap cleanup EXIT
"$root/tools/ust-probe/build.sh" "$build"
probe=$build/ust-probe

# record OUT_NAME PROBE_ARGS... ; channel set-up comes from the CHANNEL0 / CHANNEL1 arrays
record() {
  local name=$1; shift
  local out=$root/testdata/$name
  session="tracestream-sample-$name-$$"
  rm -rf "$out"
  lttng create "$session" --output="$out" >/dev/null
  lttng enable-channel -u -s "$session" "${CHANNEL0[@]}" chan0 >/dev/null
  lttng enable-event -u -s "$session" -c chan0 'tsprobe:*' >/dev/null
  lttng enable-event -u -s "$session" -c chan0 'lttng_ust_tracef:*' >/dev/null
  lttng enable-event -u -s "$session" -c chan0 'lttng_ust_tracelog:*' >/dev/null
  lttng add-context -u -s "$session" -c chan0 -t vpid -t vtid -t procname >/dev/null
  if ((${#CHANNEL1[@]})); then
    lttng enable-channel -u -s "$session" "${CHANNEL1[@]}" chan1 >/dev/null
    lttng enable-event -u -s "$session" -c chan1 'tsprobe:tick' >/dev/null
    lttng enable-event -u -s "$session" -c chan1 'tsprobe:tock' >/dev/null
    lttng add-context -u -s "$session" -c chan1 -t vpid -t vtid -t procname -t pthread_id >/dev/null
  fi
  lttng start "$session" >/dev/null
  local emitted
  emitted=$("$probe" "$@")
  lttng stop "$session" >/dev/null
  local discarded
  discarded=$(lttng list "$session" | awk '/Discarded events:/ { s += $3 } END { print s + 0 }')
  lttng destroy "$session" >/dev/null
  session=""
  local recorded size
  recorded=$(babeltrace2 "$out" -c sink.utils.counter 2>/dev/null | awk '/Event messages/ { print $1 }')
  size=$(du -sb "$out" | cut -f1)
  echo "testdata/$name: $emitted emitted, $recorded recorded, $discarded discarded, $size bytes"
}

# Lossless: blocking channels (the app waits for free sub-buffers) with small sub-buffers for several packets.
export LTTNG_UST_ALLOW_BLOCKING=1
CHANNEL0=(--subbuf-size=16K --num-subbuf=4 --blocking-timeout=inf)
CHANNEL1=(--subbuf-size=4K --num-subbuf=4 --blocking-timeout=inf)
record sample-ust -n 1500 -t 2

# Lossy: the smallest sub-buffers in discard mode, no blocking, a burst far larger than they hold.
unset LTTNG_UST_ALLOW_BLOCKING
CHANNEL0=(--subbuf-size=4K --num-subbuf=2)
CHANNEL1=()
record lossy-ust -b -n 3000 -t 2

# testdata/sample-kernel/kernel: a short kernel trace of this machine made with the project's ftrace recorder
# (tracestream record-kernel; needs root and tracefs): scheduling, IRQs, system calls and block I/O while a shell
# loop reads a file 50 times and dd writes 1 MiB with O_DIRECT. Skipped when ftrace cannot be used.
if [ "$(id -u)" = 0 ]; then
  tmp=$(mktemp -d)
  if "$root/tracestream" record-kernel --output "$tmp/rec" --events sched,irq,syscalls,block --duration 2s -- \
       sh -c 'for i in $(seq 50); do cat /etc/hostname > /dev/null; done;
              dd if=/dev/zero of=/tmp/tracestream-sample-dd bs=64k count=16 oflag=direct 2>/dev/null;
              rm -f /tmp/tracestream-sample-dd' >/dev/null; then
    rm -rf "$root/testdata/sample-kernel"
    mkdir -p "$root/testdata/sample-kernel"
    mv "$tmp/rec/kernel" "$root/testdata/sample-kernel/kernel"
    echo "testdata/sample-kernel/kernel: $(du -sb "$root/testdata/sample-kernel" | cut -f1) bytes"
  else
    echo "testdata/sample-kernel: not re-recorded (tracestream record-kernel failed)" >&2
  fi
  rm -rf "$tmp"
else
  echo "testdata/sample-kernel: not re-recorded (needs root for ftrace)" >&2
fi
