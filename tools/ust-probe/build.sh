#!/usr/bin/env bash
# build.sh [OUTDIR]: compiles the UST probe into OUTDIR/ust-probe (default: this folder's build/).
# Needs gcc and liblttng-ust-dev (scripts/install-deps.sh installs both).
set -euo pipefail
src=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-$src/build}
mkdir -p "$out"
tmp=$(mktemp -d "$out/.build.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
gcc -O2 -g -Wall -Wextra -Wno-unused-parameter -I"$src" -c "$src/tsprobe_tp.c" -o "$tmp/tsprobe_tp.o"
gcc -O2 -g -Wall -Wextra -I"$src" -c "$src/probe.c" -o "$tmp/probe.o"
gcc -o "$tmp/ust-probe" "$tmp/probe.o" "$tmp/tsprobe_tp.o" -llttng-ust -ldl -lpthread
mv -f "$tmp/ust-probe" "$out/ust-probe"   # atomic: concurrent builds never see a half-written binary
