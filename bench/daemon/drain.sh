#!/usr/bin/env bash
# Drain benchmarks over the built distribution, on loopback, in a temporary directory:
#   0. warm-up: W events (BENCH_WARMUP, default 50000) drained through a running daemon, so the
#      long-running server has compiled its hot paths, as a team server that has run for a while has;
#   1. throughput: N events (default 100000) queued while the daemon is stopped, then the daemon
#      starts and drains them by itself into the warm server; reported as wall time from daemon
#      start to an empty queue and as the daemon's own sync duration (its "synced" log line);
#   2. reconnect-to-drained: the daemon runs, the server is down (a fresh, cold server process
#      comes back), M events (default 10000) are queued; the server comes back on the same port and
#      we time until the queue is empty, and separately the daemon's sync from reconnect to drained.
#   3. network-back-to-drained: as 2, but the server keeps running and only the connection is cut
#      (a relay between daemon and server is stopped and started again; tcp_proxy.py), so the
#      server is warm, as a team server is when a laptop comes back online. Runs before 2.
# Usage: bench/daemon/drain.sh [N] [M]    (build first: mvn -q -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
SK="$DIST/bin/spec-kitty"; SERVER="$DIST/bin/spec-kitty-server"
N=${1:-100000}; M=${2:-10000}
work=$(mktemp -d); export SPEC_KITTY_HOME="$work/home"; DATA="$work/data"; server_pid=""; proxy_pid=""
cleanup() { "$SK" daemon stop >/dev/null 2>&1 || true; [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true; [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; rm -rf "$work"; }
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
# The duration (ms) and pushed count of the daemon's last completed sync, from its log.
last_sync() { grep -E 'synced: pushed' "$SPEC_KITTY_HOME/logs/daemon.log" | tail -n 1 | sed -E 's/.*pushed ([0-9]+) .* ([0-9]+) ms$/\1 \2/'; }
syncs() { grep -cE 'synced: pushed' "$SPEC_KITTY_HOME/logs/daemon.log" 2>/dev/null || true; }
# Waits until the queue is empty and the daemon has logged a sync after the $1-th.
wait_empty() { while ! queue_empty; do sleep 0.05; done; }
wait_synced() { while [ "$(syncs)" -le "$1" ]; do sleep 0.05; done; }
# CPU time (user + system, in clock ticks of 1/100 s) a process has used so far.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
daemon_pid() { curl -s --unix-socket "$SPEC_KITTY_HOME/daemon.sock" http://localhost/v1/status | grep -o '"pid":[0-9]*' | cut -d: -f2; }
# When the daemon last logged "connected to", as seconds since the epoch.
connected_at() { date -d "$(grep 'connected to' "$SPEC_KITTY_HOME/logs/daemon.log" | tail -n 1 | cut -d' ' -f1)" +%s.%N; }
# Runs "${@:4}" (what brings the server back within reach), then times until the queue is empty,
# from then and from the daemon's reconnect, and reports its sync. $1 names the event, $2 what the
# first time includes, $3 the server's state.
time_comeback() {
  local before t0 t1 pushed ms
  before=$(syncs)
  "${@:4}"
  t0=$(date +%s.%N)
  wait_empty
  t1=$(date +%s.%N)
  wait_synced "$before"
  read -r pushed ms < <(last_sync)
  python3 -c "print(f'$1 -> queue empty: {($t1-$t0):.2f} s for $M events (includes $2, 0.5-30 s by design); reconnected -> queue empty: {$t1 - $(connected_at):.2f} s')"
  python3 -c "print(f'daemon sync (reconnected -> drained, $3): {$pushed} events in {$ms} ms')"
}
wait_drained() { wait_empty; wait_synced "$1"; }
# Polled every 50 ms while the drain runs, so it must cost the drain nothing: an O(1) query on
# queue.db by the sqlite3 shell (a WAL reader blocks no writer). Without sqlite3, or with
# BENCH_POLL=status, the daemon's status over its control socket, as a user or a monitor would ask
# (it counts the queue on its own connection; before that it counted under the store's lock and
# halved a 1,000,000-event drain polled this way). A JVM per poll (`sync status`) took a third of
# this 2-core machine.
queue_empty() {
  if [ "${BENCH_POLL:-}" != "status" ] && command -v sqlite3 >/dev/null; then
    [ "$(sqlite3 "$SPEC_KITTY_HOME/queue.db" 'SELECT NOT EXISTS (SELECT 1 FROM queue)' 2>/dev/null)" = "1" ]
  else
    [ "$(curl -s --unix-socket "$SPEC_KITTY_HOME/daemon.sock" http://localhost/v1/status | grep -o '"depth":[0-9]*' | cut -d: -f2)" = "0" ]
  fi
}

mkdir -p "$DATA"
echo pw | "$SERVER" user add --data "$DATA" --username bench --team bench --password-stdin >/dev/null
start_server 127.0.0.1:0; port=${url##*:}
"$SK" config set sync.server_url "$url" >/dev/null
[ -n "${BENCH_WEBSOCKET:-}" ] && "$SK" config set sync.websocket "$BENCH_WEBSOCKET" >/dev/null
echo pw | "$SK" auth login --username bench --password-stdin >/dev/null

W=${BENCH_WARMUP:-50000}
echo "== warm-up: $W events through the running daemon"
"$SK" daemon start >/dev/null
drafts "$W" "$work/w.ndjson"
before=$(syncs)
"$SK" events import "$work/w.ndjson" >/dev/null
wait_drained "$before"
echo "warm-up drained (last sync: $(last_sync | awk '{print $1" events in "$2" ms"}'))"

echo "== throughput: $N events queued while the daemon was stopped, then the daemon starts"
"$SK" daemon stop >/dev/null
drafts "$N" "$work/n.ndjson"
"$SK" events import "$work/n.ndjson" >/dev/null
before=$(syncs)
mark=$(wc -l < "$work/server.log")
server_cpu0=$(cpu "$server_pid")
t0=$(date +%s.%N)
"$SK" daemon start >/dev/null
wait_empty
t1=$(date +%s.%N)
wait_synced "$before"
t2=$(date +%s.%N)
server_cpu=$(( $(cpu "$server_pid") - server_cpu0 )); daemon_cpu=$(cpu "$(daemon_pid)")
read -r pushed ms < <(last_sync)
sed -n "$((mark + 1)),\$p" "$work/server.log" > "$work/throughput.log"
python3 -c "n=$N; s=$t1-$t0; print(f'daemon start -> queue empty (every event on the server): {n} events in {s:.2f} s = {n/s:,.0f} events/s (includes JVM start and connecting)')"
python3 -c "print(f'daemon sync (connected -> pushed, then pulled; a daemon before 0fef100 pulled its own events back): {$pushed} events in {$ms} ms = {$pushed*1000/max($ms,1):,.0f} events/s')"
python3 -c "print(f'CPU from daemon start to its sync logged ({$t2-$t0:.1f} s of wall time, 2 cores = {2*($t2-$t0):.1f} s): server {$server_cpu/100:.1f} s, daemon {$daemon_cpu/100:.1f} s (JVM start included)')"
"$SK" sync now --json | python3 -c 'import json,sys; s=json.load(sys.stdin); print("follow-up sync now:", s["pushed"], "pushed,", s["duration_ms"], "ms")'

echo "== network back -> drained: $M events queued while the network was down; the server stays up (warm)"
# The daemon reaches the server through tcp_proxy.py; killing the relay is the laptop going offline.
"$SK" daemon stop >/dev/null
pport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
start_proxy() {
  python3 "$here/tcp_proxy.py" "$pport" "$port" >"$work/proxy.out" 2>&1 & proxy_pid=$!
  for _ in $(seq 1 250); do grep -q relaying "$work/proxy.out" && return 0; sleep 0.02; done
  echo "the relay did not start: $(cat "$work/proxy.out")" >&2; exit 1
}
connection() { curl -s --unix-socket "$SPEC_KITTY_HOME/daemon.sock" http://localhost/v1/status | grep -o '"connection":"[a-z_]*"' | cut -d'"' -f4; }
start_proxy
"$SK" config set sync.server_url "http://127.0.0.1:$pport" >/dev/null
echo pw | "$SK" auth login --username bench --password-stdin >/dev/null
"$SK" daemon start >/dev/null
while [ "$(connection)" != "connected" ]; do sleep 0.05; done
kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
while [ "$(connection)" = "connected" ]; do sleep 0.05; done
drafts "$M" "$work/m.ndjson"
"$SK" events import "$work/m.ndjson" >/dev/null
sleep 1
time_comeback "network back" "the backoff delay before the reconnect" "warm server" start_proxy
"$SK" daemon stop >/dev/null; kill "$proxy_pid"; wait "$proxy_pid" 2>/dev/null || true
"$SK" config set sync.server_url "$url" >/dev/null
echo pw | "$SK" auth login --username bench --password-stdin >/dev/null
"$SK" daemon start >/dev/null

echo "== reconnect-to-drained: $M events"
stop_server
drafts "$M" "$work/m.ndjson"
"$SK" events import "$work/m.ndjson" >/dev/null
cold=$(wc -l < "$work/server.log")
time_comeback "server back" "the server start and the backoff delay before the reconnect" "cold server process" \
  start_server "127.0.0.1:$port"
# The fresh server process's own handling time of each request, in order (from its access log).
echo "cold server, ms per request: $(sed -n "$((cold + 1)),\$p" "$work/server.log" | sed -nE 's#.*(POST /api/v1/events/batch/|GET /api/v1/events/|GET /api/v1/ws-token|POST /api/v1/token/|GET /ws/).* [0-9]{3} ([0-9]+)ms.*#\1 \2#p' \
  | awk '{n = $2 ~ /batch/ ? "batch" : $2 ~ /events/ ? "pull" : $2; printf "%s%s %s", sep, n, $NF; sep = ", "}')"
grep -E 'connected to|synced' "$SPEC_KITTY_HOME/logs/daemon.log" | tail -n 6 || true
# Where the time of the throughput run went, from the server's access log (each line is written when
# the answer is sent, with the server's own handling time): the push phase (first batch received ->
# last batch answered), the pull-back phase after it, and the server's time per request.
python3 - "$work/throughput.log" <<'PY'
import re, statistics, sys
from datetime import datetime
batch, pull = [], []
for line in open(sys.argv[1], errors="replace"):
    m = re.search(r"^(\S+) .*(POST /api/v1/events/batch/|GET /api/v1/events/) 200 (\d+)ms", line)
    if m:
        at, ms = datetime.fromisoformat(m.group(1)).timestamp(), int(m.group(3))
        (batch if "batch" in m.group(2) else pull).append((at - ms / 1000, at, ms))
if batch:
    push_s = batch[-1][1] - batch[0][0]
    print(f"push phase (first batch received -> last answered): {push_s:.2f} s = {100 * len(batch) * 1000 / push_s / 100:,.0f} events/s"
          f" if every batch held 1000 ({len(batch)} batches); server busy {sum(b[2] for b in batch) / 1000:.2f} s of it,"
          f" median {statistics.median(b[2] for b in batch)} ms per batch")
later = [p for p in pull if batch and p[0] >= batch[-1][1]]
if later:
    print(f"pull-back phase (last batch answered -> last page answered): {later[-1][1] - batch[-1][1]:.2f} s for {len(later)} pages,"
          f" server median {statistics.median(p[2] for p in later)} ms per page")
PY
