#!/usr/bin/env bash
# Runs the quickstart demo of the built distribution (packaging/target/spec-kitty, or SPEC_KITTY_DIST).
# Its output is piped here, as in CI: a terminal escape in it (bold headings meant for a person at a
# terminal) fails the run.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../packaging/target/spec-kitty}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
bash "$DIST/bin/spec-kitty-quickstart" | tee "$out"
if grep -q $'\033' "$out"; then
  echo "demo: the piped output of spec-kitty-quickstart contains terminal escapes" >&2
  exit 1
fi
