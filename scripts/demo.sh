#!/usr/bin/env bash
# Runs the quickstart demo of the built distribution (packaging/target/spec-kitty, or SPEC_KITTY_DIST).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../packaging/target/spec-kitty}
exec bash "$DIST/bin/spec-kitty-quickstart"
