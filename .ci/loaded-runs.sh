#!/usr/bin/env bash
# Shows that the suite holds on a loaded machine: `npm test` RUNS times in a row (default 5)
# while two CPU hogs keep both cores of this machine busy. Prints each run's verdict and wall
# time; stops at the first failure with the tail of its log. Logs go to build/loaded-runs/.
# For a person to run (.ci/loaded-runs.sh [RUNS]); CI runs .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
mkdir -p build/loaded-runs

node -e 'for (;;) {}' & hog1=$!
node -e 'for (;;) {}' & hog2=$!
trap 'kill "$hog1" "$hog2" 2>/dev/null || true' EXIT

for run in $(seq 1 "$runs"); do
  log="build/loaded-runs/run-$run.log"
  started=$(date +%s.%N)
  if npm test > "$log" 2>&1; then verdict=passed; else verdict=FAILED; fi
  seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')
  printf 'run %s: %s in %.1f s (%s)\n' "$run" "$verdict" "$seconds" "$(grep -E '^Tests:' "$log" | tr -s ' ')"
  if [ "$verdict" = FAILED ]; then tail -40 "$log"; exit 1; fi
done
