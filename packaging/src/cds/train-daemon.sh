#!/usr/bin/env bash
# The daemon's class-data-sharing archive (lib/daemon.jsa), built at package time: one daemon run of
# the finished distribution in a scratch home, pointed at a closed loopback port so that its connect
# path (HTTP client, backoff) loads too, stopped once its control socket answers; the JVM writes the
# archive as it exits. Optional: without it the daemon only starts slower (docs/benchmarks/cli.md).
# Usage: train-daemon.sh DIST SCRATCH
set -u
dist=$1; scratch=$2
rm -rf "$scratch" "$dist/lib/daemon.jsa"
mkdir -p "$scratch"
export SPEC_KITTY_HOME="$scratch/home" SPEC_KITTY_CDS=off
sk="$dist/bin/spec-kitty"
"$sk" config set sync.server_url http://127.0.0.1:9 >/dev/null 2>&1
SPEC_KITTY_DAEMON_OPTS="-XX:ArchiveClassesAtExit=$dist/lib/daemon.jsa -Xlog:cds=off -Xlog:cds+dynamic=off" \
  "$sk" daemon run >"$scratch/daemon.out" 2>&1 &
pid=$!
for _ in $(seq 1 200); do
  "$sk" daemon status >/dev/null 2>&1 && break
  sleep 0.1
done
"$sk" events emit WPStatusChanged --aggregate-id WP01 \
  --payload '{"wp_id":"WP01","from_lane":"planned","to_lane":"in_progress"}' >/dev/null 2>&1
"$sk" sync status >/dev/null 2>&1
"$sk" daemon stop >/dev/null 2>&1 || kill "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rm -rf "$scratch"
[ -s "$dist/lib/daemon.jsa" ] || { echo "train-daemon: no archive written (the daemon starts without one)" >&2; rm -f "$dist/lib/daemon.jsa"; }
exit 0
