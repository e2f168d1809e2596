#!/usr/bin/env bash
# A/B of whole-process wall time between two distributions on this machine, pair by pair: each run of
# A is followed by the same run of B, so load from other processes hits both alike. Both as shipped
# (class-data archives on). Rows: the everyday CLI commands with the daemon down and up, and the
# daemon's start (`daemon start` until its control socket answers). Prints medians and B/A.
#   bash bench/cli/ab.sh OLD_DIST NEW_DIST          (RUNS=20 by default)
# Each distribution must be run where it was built (its class-data archives record their paths).
set -euo pipefail
A=$(cd "$1" && pwd); B=$(cd "$2" && pwd)
RUNS=${RUNS:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/sk-ab.XXXXXX")
cleanup() {
  for d in A B; do SPEC_KITTY_HOME="$work/$d" "$(dist "$d")/bin/spec-kitty" daemon stop >/dev/null 2>&1 || true; done
  rm -rf "$work"
}
dist() { if [ "$1" = A ]; then echo "$A"; else echo "$B"; fi; }
trap cleanup EXIT
PAYLOAD='{"wp_id":"WP01","from_lane":"planned","to_lane":"in_progress"}'
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
# One row: RUNS pairs of `spec-kitty ARGS` in home A then home B.
row() {
  local label=$1; shift
  local a=() b=()
  for _ in $(seq 1 "$RUNS"); do
    a+=("$(SPEC_KITTY_HOME="$work/A" ms "$A/bin/spec-kitty" "$@")")
    b+=("$(SPEC_KITTY_HOME="$work/B" ms "$B/bin/spec-kitty" "$@")")
  done
  local ma mb; ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
  printf '| %s | %s | %s | %s |\n' "$label" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b / a}')"
}
# The daemon's start: `daemon start` returns once the control socket answers; then it is stopped.
daemon_row() {
  local a=() b=()
  for _ in $(seq 1 "$RUNS"); do
    for d in A B; do
      local t; t=$(SPEC_KITTY_HOME="$work/$d" ms "$(dist "$d")/bin/spec-kitty" daemon start)
      SPEC_KITTY_HOME="$work/$d" "$(dist "$d")/bin/spec-kitty" daemon stop >/dev/null 2>&1 || true
      if [ "$d" = A ]; then a+=("$t"); else b+=("$t"); fi
    done
  done
  local ma mb; ma=$(printf '%s\n' "${a[@]}" | median); mb=$(printf '%s\n' "${b[@]}" | median)
  printf '| %s | %s | %s | %s |\n' "daemon start (until it answers)" "$ma" "$mb" "$(awk -v a="$ma" -v b="$mb" 'BEGIN {printf "%.2f", b / a}')"
}
for d in A B; do
  mkdir -p "$work/$d"; SPEC_KITTY_HOME="$work/$d" "$(dist "$d")/bin/spec-kitty" config set sync.server_url http://127.0.0.1:9 >/dev/null
done
echo "A: $A"; echo "B: $B"
echo "$RUNS pairs per row, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | A median ms | B median ms | B/A |"
echo "|---|---|---|---|"
row "--version" --version
row "events emit, daemon down" events emit WPStatusChanged --aggregate-id WP01 --payload "$PAYLOAD"
row "sync status, daemon down" sync status
daemon_row
for d in A B; do SPEC_KITTY_HOME="$work/$d" "$(dist "$d")/bin/spec-kitty" daemon start >/dev/null; done
row "sync status, daemon up" sync status
row "sync status --json, daemon up" sync status --json
row "events emit, daemon up" events emit WPStatusChanged --aggregate-id WP01 --payload "$PAYLOAD"
