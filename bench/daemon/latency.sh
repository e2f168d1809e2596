#!/usr/bin/env bash
# Live latency over the built distribution, on loopback, in a temporary directory: one team server,
# two teammates A and B of the same team, each with its own home (SPEC_KITTY_HOME) and its own daemon,
# both connected over the WebSocket. Then K times (default 60, the first BENCH_WARMUP = 10 not counted)
# A queues one event over its control socket (POST /v1/events, the body the CLI sends) and we time
# until that event is in B's inbox (queue.db, table inbox, looked up by event_id every 2 ms on one
# read-only connection). Events are spaced 100-200 ms apart, so each one is the first after an idle
# link. One python3 process does both the enqueue and the polling and prints p50/p90/p99/max.
# BENCH_DIST_B=<another distribution> runs the same measurement against it in the same run (its own
# fresh server and homes, after the first) and prints both, side by side.
# BENCH_GAP_MS=MIN-MAX changes the spacing (default 100-200; e.g. 5-20 puts events into a drain that
# is still running, to see the follow-up drain's wait). BENCH_VERBOSE=1 also prints each latency, in order.
# Usage: bench/daemon/latency.sh [K]    (build first: mvn -q -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
K=${1:-60}; WARMUP=${BENCH_WARMUP:-10}; GAP=${BENCH_GAP_MS:-100-200}
[[ "$GAP" =~ ^[0-9]+-[0-9]+$ ]] || { echo "BENCH_GAP_MS: expected MIN-MAX in ms, got $GAP" >&2; exit 2; }
[ "$K" -gt "$WARMUP" ] || { echo "K ($K) must be more than the warm-up ($WARMUP)" >&2; exit 2; }
run_sk=$DIST/bin/spec-kitty  # the launcher cleanup stops daemons with (the one of the run in progress)
work=$(mktemp -d "${TMPDIR:-/tmp}/sk-latency.XXXXXX"); server_pid=""; homes=()
cleanup() {
  for h in "${homes[@]}"; do SPEC_KITTY_HOME="$h" timeout 20 "$run_sk" daemon stop >/dev/null 2>&1 || true; done
  [ -n "$server_pid" ] && { kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; }
  rm -rf "$work"
}
trap cleanup EXIT
# On a signal, exit (and clean up) once the command in progress has ended (each is bounded): cleaning
# up under a `daemon start` still running removed the home the daemon was being started in.
trap 'exit 130' INT; trap 'exit 143' TERM

# status field of the daemon of home $1 (a JSON string or boolean), over its control socket.
status_of() {
  curl -s --max-time 2 --unix-socket "$1/daemon.sock" http://localhost/v1/status \
    | python3 -c "import json,sys; print(json.load(sys.stdin).get('$2'))" 2>/dev/null || true
}

# measure LABEL DIST: a fresh server and two daemons from DIST, then the K events; prints one result line.
measure() {
  local label=$1 dist=$2 d="$work/$1" url="" sk server h
  sk="$dist/bin/spec-kitty"; server="$dist/bin/spec-kitty-server"; run_sk=$sk
  mkdir -p "$d/data"
  for u in ada bob; do
    echo pw | "$server" user add --data "$d/data" --username "$u" --team bench --password-stdin >/dev/null
  done
  "$server" run --listen 127.0.0.1:0 --data "$d/data" >"$d/server.out" 2>>"$d/server.log" & server_pid=$!
  for _ in $(seq 1 300); do url=$(sed -n 's/^listening on //p' "$d/server.out" | head -n1); [ -n "$url" ] && break; sleep 0.05; done
  [ -n "$url" ] || { echo "$label: the server did not start: $(tail -n 5 "$d/server.log")" >&2; exit 1; }
  for u in ada bob; do
    h="$d/$u"; mkdir -p "$h"; homes+=("$h")
    SPEC_KITTY_HOME="$h" "$sk" config set sync.server_url "$url" >/dev/null
    echo pw | SPEC_KITTY_HOME="$h" "$sk" auth login --username "$u" --password-stdin >/dev/null
    SPEC_KITTY_HOME="$h" "$sk" daemon start >/dev/null
  done
  for u in ada bob; do
    h="$d/$u"
    for _ in $(seq 1 300); do
      [ "$(status_of "$h" connection)" = connected ] && [ "$(status_of "$h" live)" = True ] && break
      sleep 0.05
    done
    [ "$(status_of "$h" live)" = True ] || { echo "$label: $u's daemon did not connect live within 15 s" >&2; exit 1; }
  done
  timeout $(( K + 60 )) python3 - "$label" "$d/ada/daemon.sock" "$d/bob/queue.db" "$K" "$WARMUP" "$GAP" <<'PY'
import http.client, json, math, os, random, socket, sqlite3, statistics, sys, time
label, sock, inbox_db, k, warmup = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
gap_min, gap_max = (int(x) / 1000 for x in sys.argv[6].split("-"))

class UnixConnection(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=5)
        self.path = path
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(5)
        self.sock.connect(self.path)

def enqueue(i):
    body = json.dumps({"events": [{"event_type": "HistoryAdded", "aggregate_id": "WP01", "payload": {
        "wp_id": "WP01", "entry_type": "note", "entry_content": f"latency note {i}"}}], "cwd": None})
    c = UnixConnection(sock)
    try:
        c.request("POST", "/v1/events", body, {"Content-Type": "application/json"})
        r = c.getresponse()
        answer = r.read()
        if r.status != 200:
            sys.exit(f"{label}: enqueue answered {r.status}: {answer[:200]!r}")
        return json.loads(answer)["event_ids"][0]
    finally:
        c.close()

db = sqlite3.connect(f"file:{inbox_db}?mode=ro", uri=True, timeout=1)
lat, enq, missed = [], [], 0
for i in range(k):
    t0 = time.perf_counter()
    eid = enqueue(i)
    t1 = time.perf_counter()
    deadline = t0 + 5
    while True:
        if db.execute("SELECT 1 FROM inbox WHERE event_id = ?", (eid,)).fetchone():
            t2 = time.perf_counter()
            break
        if time.perf_counter() > deadline:
            t2 = None
            break
        time.sleep(0.002)
    if i >= warmup:
        if t2 is None:
            missed += 1
        else:
            lat.append((t2 - t0) * 1000)
            enq.append((t1 - t0) * 1000)
    time.sleep(random.uniform(gap_min, gap_max))

def pct(xs, p):
    xs = sorted(xs)
    return xs[max(0, math.ceil(p / 100 * len(xs)) - 1)]  # nearest rank

if not lat:
    sys.exit(f"{label}: no event reached B's inbox within 5 s")
print(f"{label:>8}: {len(lat)} events (after {warmup} warm-up), A's enqueue -> B's inbox: p50 {pct(lat, 50):.1f} ms,"
      f" p90 {pct(lat, 90):.1f} ms, p99 {pct(lat, 99):.1f} ms, max {max(lat):.1f} ms; enqueue answered in p50"
      f" {statistics.median(enq):.1f} ms; missed (> 5 s) {missed}")
if os.environ.get("BENCH_VERBOSE"):
    print(f"{label:>8}: each, in order (ms): " + " ".join(f"{x:.0f}" for x in lat))
PY
  # Where A's time went: its drains (push, then the pull the engine does after every push, which a
  # follow-up push waits for) from its log, and the server's own time per request from its access log.
  python3 - "$label" "$d/ada/logs/daemon.log" "$d/server.log" <<'PY'
import re, statistics, sys
label, daemon_log, server_log = sys.argv[1:]
syncs = [int(m.group(1)) for m in (re.search(r"synced: pushed \d+ .* (\d+) ms$", l) for l in open(daemon_log, errors="replace")) if m]
per = {"batch": [], "pull": []}
for line in open(server_log, errors="replace"):
    m = re.search(r"(POST /api/v1/events/batch/|GET /api/v1/events/)\S* 200 (\d+)ms", line)
    if m:
        per["batch" if "batch" in m.group(1) else "pull"].append(int(m.group(2)))
med = lambda xs: f"{statistics.median(xs):.0f} ms" if xs else "-"
print(f"{label:>8}: A's drains (push + pull) {len(syncs)}, median {med(syncs)}; server per request: batch {med(per['batch'])}"
      f" ({len(per['batch'])}), pull {med(per['pull'])} ({len(per['pull'])})")
PY
  for h in "$d/ada" "$d/bob"; do SPEC_KITTY_HOME="$h" timeout 20 "$sk" daemon stop >/dev/null 2>&1 || true; done
  homes=()
  kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; server_pid=""
}

echo "== live latency: $K events A -> B ($WARMUP warm-up), spaced $GAP ms after the previous one arrived, both daemons connected"
measure this "$DIST"
[ -n "${BENCH_DIST_B:-}" ] && measure other "$BENCH_DIST_B"
exit 0
