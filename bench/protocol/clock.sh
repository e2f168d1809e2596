#!/usr/bin/env bash
# Cost of LamportClock.tick() (fsync per call) and Ulid.next(), in one JVM.
#   bash bench/protocol/clock.sh          # 2000 ticks in a temp dir under /tmp
#   BENCH_DIR=/dev/shm bash bench/protocol/clock.sh   # another file system (here: tmpfs, fsync is free)
#   bash bench/protocol/clock.sh 10000
# Compiles the protocol module first (no install). docs/benchmarks/protocol.md records the numbers.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
mvn -B -q -pl protocol compile dependency:build-classpath -Dmdep.includeScope=runtime \
  -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
cp="protocol/target/classes:$(cat protocol/target/bench-classpath.txt)"
echo "| operation | calls | total | per call |"
echo "|---|---|---|---|"
java -Djava.io.tmpdir="${BENCH_DIR:-/tmp}" -cp "$cp" bench/protocol/ClockTicks.java "${1:-2000}"
