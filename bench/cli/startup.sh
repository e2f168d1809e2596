#!/usr/bin/env bash
# Whole-process wall time of the everyday CLI commands, median of N runs (default 20), with the
# class-data-sharing archive (lib/cli.jsa) on and off, daemon down and (when it can be started) up.
#   bash bench/cli/startup.sh                # uses packaging/target/spec-kitty (build it first:
#                                            #   mvn -B -q -DskipTests package)
#   RUNS=50 SPEC_KITTY_DIST=/opt/spec-kitty bash bench/cli/startup.sh
# Prints a Markdown table (CDS on/off runs interleaved); docs/benchmarks/cli.md records the numbers.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=$(cd "${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}" && pwd)
SK="$DIST/bin/spec-kitty"
RUNS=${RUNS:-20}
work=$(mktemp -d "${TMPDIR:-/tmp}/sk-bench.XXXXXX")
export SPEC_KITTY_HOME="$work/home"
mkdir -p "$SPEC_KITTY_HOME"
cleanup() {
  SPEC_KITTY_CDS=on "$SK" daemon stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

PAYLOAD='{"wp_id":"WP01","from_lane":"planned","to_lane":"in_progress"}'

# median of a list of integers
median() { sort -n | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

# Wall time (ms) of one run; the exit status goes to $work/rc.
wall() {
  local s e rc=0
  s=$(date +%s%N)
  "$@" >/dev/null 2>&1 || rc=$?
  e=$(date +%s%N)
  echo "$rc" >"$work/rc"
  echo $(( (e - s) / 1000000 ))
}

# RUNS runs of a command with the CDS archive on and off, interleaved so that load from other
# processes on the machine hits both variants alike; one table row per variant.
measure() {
  local label=$1; shift
  local on=() off=()
  for _ in $(seq 1 "$RUNS"); do
    on+=("$(wall env SPEC_KITTY_CDS=on "$@")")
    off+=("$(wall env SPEC_KITTY_CDS=off "$@")")
  done
  local rc; rc=$(cat "$work/rc")
  printf '| %s (CDS on) | %s | %s | %s | %s |\n' "$label" "$(printf '%s\n' "${on[@]}" | median)" \
    "$(printf '%s\n' "${on[@]}" | sort -n | head -n 1)" "$(printf '%s\n' "${on[@]}" | sort -n | tail -n 1)" "$rc"
  printf '| %s (CDS off) | %s | %s | %s | %s |\n' "$label" "$(printf '%s\n' "${off[@]}" | median)" \
    "$(printf '%s\n' "${off[@]}" | sort -n | head -n 1)" "$(printf '%s\n' "${off[@]}" | sort -n | tail -n 1)" "$rc"
}

JAVA_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$SK" config set sync.server_url http://127.0.0.1:9 >/dev/null

echo "spec-kitty $("$SK" --version | cut -d' ' -f2), $RUNS runs each, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cli.jsa: $([ -r "$DIST/lib/cli.jsa" ] && echo present || echo missing)"
echo
echo "| command | median ms | min | max | last exit |"
echo "|---|---|---|---|---|"
floor=(); floor0=()
for _ in $(seq 1 "$RUNS"); do
  floor+=("$(wall "$JAVA_BIN" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -version)")
  floor0+=("$(wall "$JAVA_BIN" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0 -version)")
done
printf '| JVM floor: java -Xshare:auto -version | %s | %s | %s | 0 |\n' "$(printf '%s\n' "${floor[@]}" | median)" \
  "$(printf '%s\n' "${floor[@]}" | sort -n | head -n 1)" "$(printf '%s\n' "${floor[@]}" | sort -n | tail -n 1)"
printf '| JVM floor with the launcher'"'"'s CDS mapping (ArchiveRelocationMode=0) | %s | %s | %s | 0 |\n' "$(printf '%s\n' "${floor0[@]}" | median)" \
  "$(printf '%s\n' "${floor0[@]}" | sort -n | head -n 1)" "$(printf '%s\n' "${floor0[@]}" | sort -n | tail -n 1)"
measure "--version" "$SK" --version
# status with no queue.db yet (a fresh home) reads no SQLite at all; after the first emit it does.
measure "sync status, daemon down, no queue.db yet" "$SK" sync status
measure "events emit, daemon down" "$SK" events emit WPStatusChanged --aggregate-id WP01 --payload "$PAYLOAD"
measure "sync status, daemon down, queue.db present" "$SK" sync status
if "$SK" daemon start >/dev/null 2>&1; then
  measure "sync status, daemon up" "$SK" sync status
  measure "sync status --json, daemon up" "$SK" sync status --json
  measure "events emit, daemon up" "$SK" events emit WPStatusChanged --aggregate-id WP01 --payload "$PAYLOAD"
  "$SK" daemon stop >/dev/null 2>&1 || true
else
  echo
  echo "(daemon could not be started: daemon-up rows skipped)"
fi
echo
echo "In-process cost of each start-up step (first call in a fresh JVM, median of 5; CDS off):"
steps="$work/steps.tsv"
for _ in 1 2 3 4 5; do
  "$JAVA_BIN" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$DIST/lib/*" "$here/StartupSteps.java" 2>/dev/null >>"$steps"
done
columns=$(head -n 1 "$steps" | awk -F'\t' '{print NF}')
for i in $(seq 1 "$columns"); do
  name=$(head -n 1 "$steps" | cut -f "$i" | cut -d= -f1)
  median=$(cut -f "$i" "$steps" | cut -d= -f2 | sort -n | sed -n 3p)
  printf '  %-28s %s ms\n' "$name" "$median"
done
