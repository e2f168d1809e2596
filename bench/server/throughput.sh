#!/usr/bin/env bash
# Server ingest and pull throughput (events/s) over HTTP on loopback, in one run:
# SQLite (1 instance) vs PostgreSQL with 1 and 2 instances on one database, ratios to SQLite.
#   bash bench/server/throughput.sh [EVENTS] [CLIENTS]     (defaults 40000 and 8)
# PostgreSQL rows need SPEC_KITTY_TEST_PG_URL (e.g. `bash .ci/setup-postgres.sh; set -a; . .ci/postgres.env; set +a`).
# Prints a Markdown table; docs/benchmarks/server.md records the numbers.
set -euo pipefail
cd "$(dirname "$0")/../.."
EVENTS=${1:-40000}; CLIENTS=${2:-8}
mvn -o -q -DskipTests install -pl protocol >/dev/null
if [ -z "${SPEC_KITTY_TEST_PG_URL:-}" ] && [ -f .ci/postgres.env ]; then set -a; . .ci/postgres.env; set +a; fi
mvn -o -q test -pl server -Dtest=ServerThroughputBench -Dsurefire.failIfNoSpecifiedTests=false \
  -Dspeckitty.bench.events="$EVENTS" -Dspeckitty.bench.clients="$CLIENTS"
# Surefire keeps test output in the report directory; the table is printed twice (stdout and stderr).
sed -n '/events in batches of/,$p' server/target/surefire-reports/dev.speckitty.server.ServerThroughputBench-output.txt \
  | awk '/^\|/ || /events in batches/ {if (!seen[$0]++) print}'
