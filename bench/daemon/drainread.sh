#!/usr/bin/env bash
# The drain's read alone (no daemon, no server): N drafts queued by one `events import` (so all in one
# second, as a backlog imported offline is), then walked batch by batch in both SQL forms with the
# distribution's own sqlite-jdbc (DrainRead.java says what each is).
# Usage: bench/daemon/drainread.sh [N]    (default 400000; build first: mvn -o -q -B -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
N=${1:-400000}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
python3 - "$N" "$work/events.ndjson" <<'PY'
import json, sys
with open(sys.argv[2], "w") as f:
    for i in range(int(sys.argv[1])):
        f.write(json.dumps({"event_type": "HistoryAdded", "aggregate_id": "WP%02d" % (i % 50), "aggregate_type": "WorkPackage",
                            "payload": {"wp_id": "WP01", "entry_type": "note", "entry_content": "note %d" % i}}) + "\n")
PY
SPEC_KITTY_HOME="$work/home" "$DIST/bin/spec-kitty" events import "$work/events.ndjson" >/dev/null
jar=$(ls "$DIST"/lib/sqlite-jdbc-*.jar | head -n1)
mkdir -p "$work/classes"; javac -d "$work/classes" "$here/DrainRead.java"
# The distribution's jar may come without its native libraries: they sit beside it, one per platform.
arch=$(uname -m); [ "$arch" = arm64 ] && arch=aarch64
native="$DIST/lib/native/$(uname -s)-$arch"; [ -d "$native" ] || native=""
java ${native:+"-Dorg.sqlite.lib.path=$native"} -cp "$jar:$work/classes" DrainRead "$work/home/queue.db" $((N / 1000)) 2>&1 | grep -v '^WARNING'
