#!/usr/bin/env bash
# Runs every fuzz target for a bounded time, one after the other, and
# prints how many inputs each one tried and the total.
#
#   bash scripts/fuzz.sh               # 20s per target
#   FUZZTIME=5m bash scripts/fuzz.sh   # longer, before a release
#
# FUZZMINIMIZETIME (default 100x: a hundred tries) bounds how long the
# fuzzer spends shrinking each new interesting input; go test's default of
# a minute per input would eat most of a short run.
#
# A failing input is written to the package's testdata/fuzz/<FuzzName>/
# by go test; commit it with the fix so it runs in every go test from
# then on. The seed corpora there run as plain tests in go test ./...
set -euo pipefail
cd "$(dirname "$0")/.."

fuzztime="${FUZZTIME:-20s}"
minimizetime="${FUZZMINIMIZETIME:-100x}"

# package and target, one pair a line.
targets="
./internal/content FuzzParseArticle
./internal/content FuzzFrontMatter
./internal/content FuzzParseDate
./internal/content FuzzSlugify
./internal/site FuzzTermSlugs
./internal/build FuzzBuild
./internal/build FuzzManifest
"

total=0
failed=""
log=$(mktemp)
trap 'rm -f "$log"' EXIT
while read -r pkg name; do
  [ -n "$pkg" ] || continue
  echo "--- $name ($pkg, $fuzztime)"
  status=0
  go test -run XXX -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimizetime" "$pkg" >"$log" 2>&1 || status=$?
  # go test's fuzzing coordinator sometimes ends a run that found nothing
  # with only "context deadline exceeded" (a worker still busy when the
  # time is up). That is not a finding: no failing input is written.
  # Run such a target once more; a real failure always names its input.
  if [ "$status" -ne 0 ] && grep -q "context deadline exceeded" "$log" && ! grep -q "Failing input written" "$log"; then
    echo "    (go test ended with 'context deadline exceeded' and no failing input; running $name again)"
    status=0
    go test -run XXX -fuzz "^${name}\$" -fuzztime "$fuzztime" -fuzzminimizetime "$minimizetime" "$pkg" >"$log" 2>&1 || status=$?
  fi
  # go test prints "fuzz: elapsed: 20s, execs: 123456 (6172/sec), ...";
  # the last such line holds the total.
  execs=$(grep -o 'execs: [0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*' || true)
  execs=${execs:-0}
  total=$((total + execs))
  if [ "$status" -ne 0 ]; then
    cat "$log"
    failed="$failed $name"
  fi
  echo "$name: $execs executions"
done <<<"$targets"

echo "--- total: $total executions"
if [ -n "$failed" ]; then
  echo "failed:$failed"
  exit 1
fi
