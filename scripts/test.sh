#!/usr/bin/env bash
# test.sh: the whole TraceStream test suite, from a fresh machine.
#   1. scripts/setup.sh: installs the Debian packages the tests use when missing (babeltrace2, lttng-tools,
#      liblttng-ust-dev, gcc, python3-bt2, python3-lttnganalyses) and starts the LTTng session daemon;
#   2. mvn verify: compiles, runs every module's tests, builds cli/target/tracestream.jar;
#   3. checks that the ./tracestream launcher runs that jar.
# Extra arguments go to Maven (e.g. scripts/test.sh -pl ctf -Dtest=SomeTest).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
scripts/setup.sh
mvn -B -ntp -Dstyle.color=never verify "$@"
if ! out=$(./tracestream --version 2>&1); then
  echo "test.sh: ./tracestream --version failed: $out" >&2
  exit 1
fi
