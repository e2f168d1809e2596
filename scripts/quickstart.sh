#!/usr/bin/env bash
# Builds the distribution and runs the demo on the embedded default (SQLite server on loopback,
# a temporary SPEC_KITTY_HOME). Leaves nothing running.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
exec bash scripts/demo.sh
