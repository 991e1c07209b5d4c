#!/usr/bin/env bash
# Replays unjs/pathe 2024-12-30 … 2025-01-17 as a hardening program (issue 12 trial).
# Usage: replay.sh SHIPGATE_REPO PATHE_CLONE LOG_DIR
# PATHE_CLONE: a clone of unjs/pathe with node_modules (vitest 3.2.7, @vitest/coverage-v8 3.2.7) linked in,
# .shipgate/ shipgate.yaml shipgate.plan.yaml reports/ node_modules listed in .git/info/exclude.
set -u
SG="node $1/dist/cli/main.js"; P=$2; LOGS=$3; HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$LOGS"; cd "$P" || exit 2
rm -rf .shipgate reports
cp "$HERE/shipgate.yaml" "$HERE/shipgate.plan.yaml" .

at() { export SHIPGATE_NOW="$DAY"T"$1":00Z; }
sg() { echo "\$ SHIPGATE_NOW=$SHIPGATE_NOW shipgate $*"; $SG "$@"; echo "(exit $?)"; }
measure() { # $1 commit, $2 optional: a commit whose test/ diff against $1's parent line is applied (red day)
  git checkout -q -f -B main "$1" && git clean -qfd -e node_modules -e .shipgate -e shipgate.yaml -e shipgate.plan.yaml
  if [ -n "${2:-}" ]; then git diff "$3" "$2" -- test/ | git apply && echo "applied test/ of $2 over $1"; fi
  rm -rf reports
  echo "\$ git rev-parse HEAD → $(git rev-parse --short HEAD)"
  echo "\$ vitest run --coverage.enabled --coverage.reporter=text --coverage.reporter=lcov --coverage.reporter=json-summary --reporter=default --reporter=junit"
  node_modules/.bin/vitest run --coverage.enabled --coverage.provider=v8 --coverage.reporter=text \
    --coverage.reporter=lcov --coverage.reporter=json-summary --coverage.reportsDirectory=reports/coverage \
    --coverage.reportOnFailure --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml \
    > "$LOGS/vitest-$DAY.txt" 2>&1; echo "(vitest exit $?)"
  sed 's/\x1b\[[0-9;]*m//g' "$LOGS/vitest-$DAY.txt" | grep -E '^ *(Tests|Test Files) |All files|^ *FAIL ' | head -20
  at 18:00; sg assess -r reports/junit.xml -r reports/coverage/lcov.info
}
gate() { at 18:05; sg gate --gate release; }
mv_() { at "$1"; shift; sg task "$@"; }

day() { DAY=$1; echo "════ $DAY"; }
{
day 2024-12-30
  mv_ 09:00 start PA-01 --agent claude; mv_ 09:10 start PA-02 --agent codex; mv_ 09:20 start PA-03 --agent pi0
  mv_ 13:00 done PA-01 --agent claude; mv_ 13:30 start PA-04 --agent claude; mv_ 14:00 done PA-02 --agent codex
  mv_ 15:00 done PA-03 --agent pi0; mv_ 16:40 done PA-04 --agent claude; mv_ 17:00 start PA-05 --agent pi0
  measure 8f433f2; gate
day 2024-12-31   # not measured: nobody ran assess
day 2025-01-01
  mv_ 10:00 start PA-06 --agent claude
  measure 8f433f2
day 2025-01-02   # red day: b91e344 UNC tests written before the fix, over 0888daf (matchesGlob, its PR branch)
  measure 0888daf b91e344 0888daf; gate
day 2025-01-03
  mv_ 10:00 start PA-07 --agent codex; mv_ 19:00 done PA-05 --agent pi0; mv_ 20:00 done PA-06 --agent claude
  mv_ 21:40 done PA-07 --agent codex
  measure 9158288
day 2025-01-06
  mv_ 09:00 start PA-08 --agent claude
  measure 106ffe8; gate
day 2025-01-07
  mv_ 11:00 block PA-08 --agent claude --reason "waiting for the nuxt team to confirm the v2.0.0 regression"
  measure 106ffe8
day 2025-01-08
  mv_ 10:00 reset PA-08 --agent claude; mv_ 10:05 start PA-08 --agent claude; mv_ 11:00 start PA-09 --agent codex
  measure 5c4f321
day 2025-01-09
  mv_ 11:15 done PA-08 --agent claude; mv_ 15:40 done PA-09 --agent codex
  mv_ 15:45 start PA-10 --agent pi0; mv_ 16:10 done PA-10 --agent pi0
  measure c740a24; gate
day 2025-01-10
  mv_ 09:00 start PA-11 --agent codex
  measure c740a24
day 2025-01-13
  mv_ 18:40 done PA-11 --agent codex
  # scope change: PA-12 added at the end of tasks: (real: issue #202)
  awk -v add="$HERE/pa-12.plan-addendum.yaml" '/^targets:/ { while ((getline l < add) > 0) print l; print "" } { print }' \
    "$HERE/shipgate.plan.yaml" > shipgate.plan.yaml
  at 18:50; sg plan status >/dev/null
  measure 871ce83
day 2025-01-14
  mv_ 09:00 start PA-12 --agent claude
  at 12:00; sg risk set R1 --status mitigated --note "UNC and win32 cases covered in tests" --agent pi0
  measure 871ce83
day 2025-01-15
  measure 871ce83
day 2025-01-16
  measure 871ce83
day 2025-01-17
  mv_ 13:00 done PA-12 --agent claude
  measure e78663c; gate
} 2>&1 | tee "$LOGS/replay.log"
