#!/usr/bin/env bash
# `spec-kitty daemon start`, `daemon status`, `version` and `daemon stop`, whole commands timed, in a home whose queue holds N
# events (default 1,000,000; queued once by `events import` with the daemon down, no server
# configured, so they stay queued) and in an empty home: K pairs each (BENCH_PAIRS, default 3).
# BENCH_DIST_B=<distribution> runs the same pairs with a second distribution in the same run,
# alternating A and B on the same homes, and prints both.
# Usage: bench/daemon/startstop.sh [N]    (build first: mvn -o -q -B -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST_A=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
DIST_B=${BENCH_DIST_B:-}
N=${1:-1000000}; K=${BENCH_PAIRS:-3}
work=$(mktemp -d); current=""
cleanup() { [ -n "$current" ] && SPEC_KITTY_HOME=$current "$DIST_A/bin/spec-kitty" daemon stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

python3 - "$N" "$work/events.ndjson" <<'EOF'
import json, sys
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write(json.dumps({"event_type": "HistoryAdded", "aggregate_id": "WP%02d" % (i % 50), "aggregate_type": "WorkPackage",
                            "payload": {"wp_id": "WP01", "entry_type": "note", "entry_content": "note %d" % i}}) + "\n")
EOF
SPEC_KITTY_HOME="$work/full" "$DIST_A/bin/spec-kitty" events import "$work/events.ndjson" >/dev/null
mkdir -p "$work/empty"

now() { date +%s%N; }
# One start, status, version and stop of distribution $1 in home $2; prints "start_ms status_ms version_ms stop_ms".
pair() {
  local sk="$1/bin/spec-kitty" t0 t1 t2 t3 t4
  export SPEC_KITTY_HOME=$2; current=$2
  t0=$(now); "$sk" daemon start >/dev/null; t1=$(now)
  "$sk" daemon status >/dev/null; t2=$(now); "$sk" version >/dev/null; t3=$(now)
  "$sk" daemon stop >/dev/null; t4=$(now); current=""
  echo "$(( (t1 - t0) / 1000000 )) $(( (t2 - t1) / 1000000 )) $(( (t3 - t2) / 1000000 )) $(( (t4 - t3) / 1000000 ))"
}
echo "== daemon start, daemon status, version, daemon stop: whole commands, ms; $K rounds per home and distribution"
echo "A = $DIST_A${DIST_B:+
B = $DIST_B}"
for home in full empty; do
  for ((k = 1; k <= K; k++)); do
    for side in A B; do
      if [ "$side" = A ]; then dist=$DIST_A; elif [ -n "$DIST_B" ]; then dist=$DIST_B; else continue; fi
      read -r start status version stop < <(pair "$dist" "$work/$home")
      label=$([ "$home" = full ] && echo "$N queued" || echo "empty home")
      printf '%s  %-16s start %6d  status %6d  version %6d  stop %6d ms\n' "$side" "$label" "$start" "$status" "$version" "$stop"
    done
  done
done
