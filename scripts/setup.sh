#!/usr/bin/env bash
# setup.sh: makes this machine ready for TraceStream's tests and sample-trace recording (Debian/Ubuntu).
#   1. installs the Debian packages the tests use, only when one is missing (needs root or sudo);
#   2. starts the LTTng session daemon (lttng-sessiond --daemonize) when none is running.
# Safe to run again: it does nothing when all is in place. Used by .ci/run, scripts/test.sh and
# scripts/record-sample-traces.sh.
set -euo pipefail

PACKAGES=(babeltrace2 lttng-tools liblttng-ust-dev liblttng-ust-agent-java liblttng-ust-agent-java-jni gcc python3-bt2 python3-lttnganalyses chromium)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
for tool in java mvn; do
  command -v "$tool" >/dev/null || { echo "setup: '$tool' is not on PATH (Java 17+ and Maven 3.8+ are needed)" >&2; exit 1; }
done

if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}" >&2
  sudo=()
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "setup: need root (or sudo) to install ${missing[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  log=$(mktemp)
  # policy-rc.d may refuse to start services during the install: the daemon is started below instead.
  if ! { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update \
         && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"; } >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"
    echo "setup: apt-get failed (output above)" >&2
    exit 1
  fi
  rm -f "$log"
fi

# LTTng user-space tracing needs a session daemon; as root it is the system-wide one.
# (Run as a normal user, this starts a per-user daemon, which traces that user's applications.)
if ! pgrep -x lttng-sessiond >/dev/null; then
  lttng-sessiond --daemonize
fi
