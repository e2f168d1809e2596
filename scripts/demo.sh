#!/usr/bin/env bash
# The quickstart demo over a built distribution (default packaging/target/spec-kitty, or
# SPEC_KITTY_DIST). Everything happens in a temporary directory on loopback:
#   1. start the reference server (embedded SQLite), create a user, log in, start the daemon;
#   2. stop the server and record events while it is down: they queue locally;
#   3. start the server again and watch the daemon drain the queue by itself;
#   4. stop everything it started.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../packaging/target/spec-kitty}
DIST=$(cd "$DIST" && pwd)
SK="$DIST/bin/spec-kitty"
SERVER="$DIST/bin/spec-kitty-server"

work=$(mktemp -d "${TMPDIR:-/tmp}/spec-kitty-demo.XXXXXX")
export SPEC_KITTY_HOME="$work/home"
DATA="$work/server-data"
server_pid=""

cleanup() {
  "$SK" daemon stop >/dev/null 2>&1 || true
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

# Starts the server on $1 (host:port) and waits for its "listening on URL" line.
start_server() {
  "$SERVER" run --listen "$1" --data "$DATA" >"$work/server.out" 2>"$work/server.log" &
  server_pid=$!
  for _ in $(seq 1 300); do
    url=$(sed -n 's/^listening on //p' "$work/server.out" | head -n 1)
    [ -n "$url" ] && return 0
    kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "server failed to start" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start within 30 s" >&2; exit 1
}

queue_depth() {
  "$SK" sync status --json | tr -d ' \n' | sed -n 's/.*"depth":\([0-9]*\).*/\1/p'
}

"$SK" --version

step "Starting a local team server (embedded SQLite) in $work"
start_server 127.0.0.1:0
port=${url##*:}
echo "Server listening on $url"
echo 'demo-password' | "$SERVER" user add --data "$DATA" --username ada --team team-a --password-stdin

step "Configuring the client and logging in"
"$SK" config set sync.server_url "$url"
echo 'demo-password' | "$SK" auth login --username ada --password-stdin

step "Starting the sync daemon"
"$SK" daemon start

step "Stopping the server: from now on we are offline"
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""

step "Recording work while offline (this never waits for the network)"
"$SK" events emit FeatureCreated --aggregate-id 001-offline-sync \
  --payload '{"feature_slug":"001-offline-sync","feature_number":"001","target_branch":"main","wp_count":2}'
"$SK" events emit WPStatusChanged --aggregate-id WP01 \
  --payload '{"wp_id":"WP01","from_lane":"planned","to_lane":"in_progress","actor":"ada"}'
"$SK" events emit HistoryAdded --aggregate-id WP01 \
  --payload '{"wp_id":"WP01","entry_type":"note","entry_content":"Started on the queue store"}'
"$SK" events emit WPStatusChanged --aggregate-id WP01 \
  --payload '{"wp_id":"WP01","from_lane":"in_progress","to_lane":"for_review","actor":"ada"}'
"$SK" sync status

step "Bringing the server back on the same address: the daemon drains the queue by itself"
start_server "127.0.0.1:$port"
for _ in $(seq 1 600); do
  depth=$(queue_depth)
  [ "$depth" = "0" ] && break
  sleep 0.1
done
[ "$depth" = "0" ] || { echo "the queue did not drain within 60 s (depth $depth)" >&2; exit 1; }
echo "Queue drained with no command issued."
"$SK" sync status --check

step "Stopping the daemon and the server"
"$SK" daemon stop
echo "Demo complete."
