#!/usr/bin/env bash
# Enqueue over the control API, on the built distribution, in a temporary home:
# P producers (1 and 8), each a keep-alive HTTP/1.1 client over the daemon's unix socket POSTing one
# event per request to /v1/events (the body `events emit` sends, with this checkout as its cwd, so
# the git metadata is read as for a real emit), for T seconds (BENCH_SECONDS, default 10) or N events
# in all (BENCH_MAX, default 10000000), after a warm-up of W seconds (BENCH_WARMUP, default 3) with
# 8 producers. No server is configured: the daemon queues the events and keeps them.
# BENCH_DIST_B=<distribution> runs the same against a second distribution in the same run (one daemon
# at a time, each in its own fresh home) and prints both side by side: BENCH_ROUNDS rounds (default 2)
# in the order A B, B A, A B, ... so that whichever goes second in a pair (it tends to be faster on a
# busy box) is A as often as B; the side by side shows each round and the mean.
# Usage: bench/daemon/enqueue.sh    (build first: mvn -o -q -B -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST_A=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
DIST_B=${BENCH_DIST_B:-}
T=${BENCH_SECONDS:-10}; N=${BENCH_MAX:-10000000}; W=${BENCH_WARMUP:-3}
cwd=$(cd "$here/../.." && pwd)
work=$(mktemp -d); current_sk=""
cleanup() { [ -n "$current_sk" ] && "$current_sk" daemon stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
# The client, compiled once (javac from the JDK that runs the bench).
mkdir -p "$work/classes"
javac -d "$work/classes" "$here/Enqueue.java"

# CPU time (user + system, in clock ticks of 1/100 s) a process has used so far.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Runs the producers against the distribution $1 (label $2, round $3) in a fresh home; prints one line per P.
run() {
  local dist=$1 label=$2 sk="$1/bin/spec-kitty" version
  export SPEC_KITTY_HOME="$work/home-$label-$3" # a fresh home (an empty queue) for every run
  version=$("$sk" --version | awk '{print $2}')
  current_sk=$sk
  "$sk" daemon start >/dev/null
  local sock="$SPEC_KITTY_HOME/daemon.sock"
  timeout $((W + 60)) java -cp "$work/classes" Enqueue "$sock" 8 "$W" "$N" "$cwd" "$version" >/dev/null
  local pid c0 line events
  pid=$(curl -s --unix-socket "$sock" http://localhost/v1/status | grep -o '"pid":[0-9]*' | cut -d: -f2)
  for p in 1 8; do
    c0=$(cpu "$pid")
    line=$(timeout $((T + 60)) java -cp "$work/classes" Enqueue "$sock" "$p" "$T" "$N" "$cwd" "$version")
    events=$(echo "$line" | sed -E 's/.*: ([0-9,]+) events in.*/\1/' | tr -d ,)
    # The daemon's CPU time (user + system) per event answered: what the events cost, whatever else runs on the machine.
    echo "$label  $line; daemon CPU $(( ($(cpu "$pid") - c0) * 10000 / (events > 0 ? events : 1) )) us/event"
  done
  local queued
  queued=$(curl -s --unix-socket "$sock" http://localhost/v1/status | grep -o '"depth":[0-9]*' | cut -d: -f2)
  echo "$label  queue depth after the run: $queued"
  "$sk" daemon stop >/dev/null; current_sk=""
}

R=${BENCH_ROUNDS:-2}
echo "== enqueue over the control API: ${T} s per run, 1 and 8 producers, after a ${W} s warm-up"
echo "A = $DIST_A"
if [ -z "$DIST_B" ]; then
  run "$DIST_A" A 1
  exit 0
fi
echo "B = $DIST_B ($R rounds: A B, B A, ...)"
: > "$work/a.txt"; : > "$work/b.txt"
for ((r = 1; r <= R; r++)); do
  if ((r % 2 == 1)); then order="A B"; else order="B A"; fi
  for side in $order; do
    if [ "$side" = A ]; then run "$DIST_A" A "$r" | tee -a "$work/a.txt"; else run "$DIST_B" B "$r" | tee -a "$work/b.txt"; fi
  done
done
echo "== side by side (events/s; daemon CPU per event), each round and the mean"
printf '%-10s %-6s %12s %12s %14s %14s\n' producers round "A events/s" "B events/s" "A us/event" "B us/event"
for p in 1 8; do
  grep " $p producer" "$work/a.txt" | sed -E 's/.*= ([0-9,]+) events.*CPU ([0-9]+) us.*/\1 \2/' | tr -d , > "$work/a$p"
  grep " $p producer" "$work/b.txt" | sed -E 's/.*= ([0-9,]+) events.*CPU ([0-9]+) us.*/\1 \2/' | tr -d , > "$work/b$p"
  paste -d' ' "$work/a$p" "$work/b$p" | awk -v p="$p" '
    { printf "%-10s %-6s %12d %12d %14d %14d\n", p, NR, $1, $3, $2, $4; a += $1; b += $3; ac += $2; bc += $4 }
    END { printf "%-10s %-6s %12d %12d %14d %14d\n", p, "mean", a / NR, b / NR, ac / NR, bc / NR }'
done
echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
