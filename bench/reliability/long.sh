#!/usr/bin/env bash
# The reliability suite's LONG profile (manual runs; CI runs the short one inside `mvn verify`):
#   soak 300 s through the fault proxy, 30 crash trials, a 1,000,000-event queue drained by a
#   daemon capped at -Xmx256m, plus the fault-proxy, local-damage and security tests.
# Overrides: -Dspeckitty.reliability.soakSeconds=N -Dspeckitty.reliability.crashTrials=N
#            -Dspeckitty.reliability.scaleEvents=N -Dspeckitty.reliability.seed=N (soak and crash trials)
# Usage: bench/reliability/long.sh [extra mvn -D options]
# Output: the summary lines, also appended to e2e/target/reliability-summary.txt.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -o -q -DskipTests install
rm -f e2e/target/reliability-summary.txt
start=$(date +%s)
mvn -o -q verify -pl e2e -Dspeckitty.reliability.profile=long \
  -Dtest='dev.speckitty.e2e.fault.*Test,dev.speckitty.e2e.reliability.*Test' -Dsurefire.failIfNoSpecifiedTests=false "$@"
echo "long profile: $(( $(date +%s) - start )) s"
cat e2e/target/reliability-summary.txt
