#!/usr/bin/env bash
# Drain benchmarks over the built distribution, on loopback, in a temporary directory:
#   1. throughput: N events (default 100000) queued offline, then `spec-kitty sync now` (daemon
#      running) pushes them; events/s from the summary's pushed count and duration;
#   2. reconnect-to-drained: the daemon runs, the server is down, M events (default 10000) are
#      queued; the server comes back on the same port and we time until `sync status` shows an
#      empty queue, and report the daemon's backoff delay separately (from its log).
# Usage: bench/daemon/drain.sh [N] [M]    (build first: mvn -q -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
SK="$DIST/bin/spec-kitty"; SERVER="$DIST/bin/spec-kitty-server"
N=${1:-100000}; M=${2:-10000}
work=$(mktemp -d); export SPEC_KITTY_HOME="$work/home"; DATA="$work/data"; server_pid=""
cleanup() { "$SK" daemon stop >/dev/null 2>&1 || true; [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
start_server() {
  "$SERVER" run --listen "$1" --data "$DATA" >"$work/server.out" 2>>"$work/server.log" & server_pid=$!
  for _ in $(seq 1 300); do url=$(sed -n 's/^listening on //p' "$work/server.out" | head -n1); [ -n "$url" ] && return 0; sleep 0.05; done
  echo "server did not start" >&2; exit 1
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""; }
drafts() { python3 -c "
import sys
for i in range(int(sys.argv[1])):
    print('{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"benchmark note %d with a little text\"}}' % i)
" "$1" > "$2"; }
depth() { "$SK" sync status --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["queue"]["depth"])'; }

mkdir -p "$DATA"
echo pw | "$SERVER" user add --data "$DATA" --username bench --team bench --password-stdin >/dev/null
start_server 127.0.0.1:0; port=${url##*:}
"$SK" config set sync.server_url "$url" >/dev/null
[ -n "${BENCH_WEBSOCKET:-}" ] && "$SK" config set sync.websocket "$BENCH_WEBSOCKET" >/dev/null
echo pw | "$SK" auth login --username bench --password-stdin >/dev/null

echo "== throughput: $N events"
stop_server
drafts "$N" "$work/n.ndjson"
"$SK" events import "$work/n.ndjson" >/dev/null
"$SK" daemon start >/dev/null
start_server "127.0.0.1:$port"
# The daemon starts draining by itself when it reconnects; `sync now` joins and reports the rest.
t0=$(date +%s.%N)
while [ "$(depth)" != "0" ]; do sleep 0.05; done
t1=$(date +%s.%N)
python3 -c "import sys; n=$N; s=$t1-$t0; print(f'drained {n} events in {s:.2f} s (server start to empty queue, includes reconnect backoff) = {n/s:,.0f} events/s')"
"$SK" sync now --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print("follow-up sync now:", s["pushed"], "pushed,", s["duration_ms"], "ms")'

echo "== reconnect-to-drained: $M events"
stop_server
drafts "$M" "$work/m.ndjson"
"$SK" events import "$work/m.ndjson" >/dev/null
start_server "127.0.0.1:$port"
t0=$(date +%s.%N)
while [ "$(depth)" != "0" ]; do sleep 0.02; done
t1=$(date +%s.%N)
python3 -c "print(f'server back -> queue empty: {($t1-$t0):.2f} s for $M events (includes the backoff delay before the reconnect, at most 0.5-30 s by design)')"
grep -E 'connected to|synced' "$SPEC_KITTY_HOME/logs/daemon.log" | tail -n 6 || true
# Where the time goes: the server's own handling time per batch upload and per pull page (access log).
python3 - "$work/server.log" <<'PY'
import re, statistics, sys
batch, pull = [], []
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"(POST /api/v1/events/batch/|GET /api/v1/events/) 200 (\d+)ms", line)
    if m:
        (batch if "batch" in m.group(1) else pull).append(int(m.group(2)))
for name, xs in (("batch upload", batch), ("pull page", pull)):
    if xs:
        print(f"server time per {name}: n={len(xs)} median={statistics.median(xs)} ms total={sum(xs)/1000:.1f} s")
PY
