#!/usr/bin/env bash
# The demo over an already built distribution (packaging/target/spec-kitty).
set -euo pipefail
cd "$(dirname "$0")/.."
DIST=${SPEC_KITTY_DIST:-packaging/target/spec-kitty}
"$DIST/bin/spec-kitty" --version
"$DIST/bin/spec-kitty-server" --version
