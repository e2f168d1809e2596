#!/usr/bin/env bash
# The hostile-client suite's LONG profile (manual runs; CI runs the short one inside `mvn verify`):
#   every attack of HostileClientTest at several times the volume (1,000 leak requests of 4 MiB, 8 sockets
#   x 2,000 unread pipelined pulls, 10 stalled WebSocket members, 10,000 echo frames, 2,000 wrong passwords,
#   1,000 concurrent logins), plus the cases that take real time: a refresh token reused after its 60 s
#   grace, a silent member past the 45 s pong deadline.
# Usage: bench/hostile/long.sh [extra mvn -D options]
# Output: one line per case ("[hostile long] case: outcome rss_peak=...") and the summary.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -o -q -B -DskipTests package
start=$(date +%s)
mvn -o -q -B verify -pl e2e -am -Dspeckitty.hostile.profile=long -Dtest=HostileClientTest -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "long profile: $(( $(date +%s) - start )) s"
grep -h '^\[hostile' e2e/target/surefire-reports/dev.speckitty.e2e.hostile.HostileClientTest-output.txt
