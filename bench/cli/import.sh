#!/usr/bin/env bash
# Bulk import: `spec-kitty events import` of N drafts (default 1,000,000) into a fresh home, whole
# command timed (JVM start included) with its peak RSS, once with the daemon down (the CLI queues
# them itself, one transaction) and once with the daemon running (the CLI sends them to it in parts).
# No server is configured: the events stay queued. BENCH_DIST_B=<distribution> runs the same against
# a second distribution in the same run: BENCH_ROUNDS rounds (default 1) in the order A B, B A, ...
# (whichever goes second tends to be faster on a busy box), then the mean of each.
# Usage: bench/cli/import.sh [N]    (build first: mvn -o -q -B -DskipTests package)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
DIST_A=${SPEC_KITTY_DIST:-$here/../../packaging/target/spec-kitty}
DIST_B=${BENCH_DIST_B:-}
N=${1:-1000000}
work=$(mktemp -d); current_sk=""
cleanup() { [ -n "$current_sk" ] && "$current_sk" daemon stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
python3 -c "
import sys
for i in range(int(sys.argv[1])):
    print('{\"event_type\":\"HistoryAdded\",\"aggregate_id\":\"WP01\",\"payload\":{\"wp_id\":\"WP01\",\"entry_type\":\"note\",\"entry_content\":\"benchmark note %d with a little text\"}}' % i)
" "$N" > "$work/events.ndjson"
# The file's own write-back (151 MB for 1,000,000) is not the import's work: finish it before timing.
sync
echo "== events import of $N drafts ($(du -m "$work/events.ndjson" | cut -f1) MB), whole command"
# One import into a fresh home: prints "seconds peak_rss_kb exit".
one() {
  local sk=$1 home=$2
  export SPEC_KITTY_HOME=$home
  /usr/bin/time -f "%e %M %x" -o "$work/time" "$sk" events import "$work/events.ndjson" >"$work/out" 2>&1 || true
  cat "$work/time" | tail -n 1
}
# Events per second of a run that took $1 s and exited $2 ("failed" when it did not queue them).
rate() { if [ "$2" = 0 ]; then python3 -c "print(f'{$N/$1:,.0f}')"; else echo failed; fi; }
run() {
  local dist=$1 label=$2 sk="$1/bin/spec-kitty" s kb x
  read -r s kb x < <(one "$sk" "$work/home-$label-down")
  printf '%s  daemon down: %6.1f s = %8s events/s, peak RSS %5d MB, exit %s: %s\n' "$label" "$s" \
    "$(rate "$s" "$x")" $((kb / 1024)) "$x" "$(head -c 160 "$work/out")"
  export SPEC_KITTY_HOME="$work/home-$label-up"
  current_sk=$sk; "$sk" daemon start >/dev/null
  read -r s kb x < <(one "$sk" "$work/home-$label-up")
  printf '%s  daemon up:   %6.1f s = %8s events/s, CLI peak RSS %5d MB, exit %s: %s\n' "$label" "$s" \
    "$(rate "$s" "$x")" $((kb / 1024)) "$x" "$(head -c 160 "$work/out")"
  "$sk" daemon stop >/dev/null; current_sk=""
  rm -rf "$work/home-$label-down" "$work/home-$label-up"
}
R=${BENCH_ROUNDS:-1}
for ((r = 1; r <= R; r++)); do
  if [ -z "$DIST_B" ] || ((r % 2 == 1)); then order="A B"; else order="B A"; fi
  for side in $order; do
    if [ "$side" = A ]; then run "$DIST_A" A; elif [ -n "$DIST_B" ]; then run "$DIST_B" B; fi
  done
done | tee "$work/runs.txt"
if ((R > 1)); then
  echo "== mean events/s over $R rounds"
  for side in A B; do
    for mode in down up; do
      grep "^$side  daemon $mode" "$work/runs.txt" | sed -E 's/.*= +([0-9,]+) events.*/\1/' | tr -d , \
        | awk -v l="$side daemon $mode" 'NF { t += $1; n++ } END { if (n) printf "%s: %d (%d runs)\n", l, t / n, n }'
    done
  done
fi
echo "machine load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
