#!/usr/bin/env bash
# Replays unjs/ufo 2025-03-31 … 2025-04-15 (v1.6.0, v1.6.1) as a small program (issue 13 trial).
# Usage: replay.sh SHIPGATE_REPO UFO_CLONE LOG_DIR
# UFO_CLONE: a clone of unjs/ufo with node_modules (vitest 3.2.7, @vitest/coverage-v8 3.2.7, typescript 5.9) linked
# in, and .shipgate/ shipgate.yaml shipgate.plan.yaml reports/ node_modules listed in .git/info/exclude.
# Every assess runs with SHIPGATE_NOW = the measured commit's committer date (UTC).
set -u
SG="node $1/dist/cli/main.js"; P=$2; LOGS=$3; HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$LOGS"; cd "$P" || exit 2
rm -rf .shipgate reports
cp "$HERE/shipgate.yaml" "$HERE/shipgate.plan.yaml" .

at() { export SHIPGATE_NOW="$1"; }
sg() { echo "\$ SHIPGATE_NOW=$SHIPGATE_NOW shipgate $*"; $SG "$@"; echo "(exit $?)"; }
mv_() { at "$1"; shift; sg task "$@"; }
# $1 commit; $2 optional: a commit whose test/ changes are applied over $1 (the test written before its fix), $3 its time
measure() {
  git checkout -q -f --detach "$1" && git clean -qfd -e node_modules -e .shipgate -e shipgate.yaml -e shipgate.plan.yaml
  if [ -n "${2:-}" ]; then git diff "$2^" "$2" -- test/ | git apply && echo "applied test/ of $2 over $1"; fi
  rm -rf reports
  local when; when=$(TZ=UTC git show -s --date=iso-strict-local --format=%cd "$1" | sed 's/+00:00$/Z/')
  [ -n "${3:-}" ] && when=$3   # the red measurement: before the fix landed
  local tag="$1${2:+-with-$2-tests}"
  echo "\$ git rev-parse HEAD → $(git rev-parse --short HEAD)   (committed $when)"
  echo "\$ vitest run --typecheck --coverage.enabled --coverage.reporter=text --coverage.reporter=lcov --reporter=default --reporter=junit"
  node_modules/.bin/vitest run --typecheck --coverage.enabled --coverage.provider=v8 --coverage.include='src/**' \
    --coverage.reporter=text --coverage.reporter=lcov --coverage.reporter=json-summary \
    --coverage.reportsDirectory=reports/coverage --coverage.reportOnFailure \
    --reporter=default --reporter=junit --outputFile.junit=reports/junit.xml \
    > "$LOGS/vitest-$tag.txt" 2>&1; echo "(vitest exit $?)"
  sed 's/\x1b\[[0-9;]*m//g' "$LOGS/vitest-$tag.txt" | grep -E '^ *(Tests|Test Files|Type Errors) |All files|^ *FAIL ' | head -20
  at "$when"; sg assess --no-run -r reports/junit.xml -r reports/coverage/lcov.info
}
gate() { at "$1"; sg gate --gate release; }

{
echo "════ 2025-03-31"
  mv_ 2025-03-31T08:00:00Z start UF-01 --agent codex
  mv_ 2025-03-31T08:30:00Z start UF-02 --agent claude
  measure 46d0a04; gate 2025-03-31T10:00:00Z
echo "════ 2025-04-03"
  mv_ 2025-04-03T10:00:00Z block UF-02 --agent claude --reason "waiting for a maintainer's answer on #286 (null prototype breaks hasOwnProperty callers?)"
echo "════ 2025-04-07"
  mv_ 2025-04-07T11:00:00Z reset UF-02 --agent claude
  mv_ 2025-04-07T11:05:00Z start UF-02 --agent claude
  measure 9eaa57c
  mv_ 2025-04-07T13:46:00Z done UF-01 --agent codex
  mv_ 2025-04-07T13:50:00Z start UF-03 --agent codex
  # red: #286's test (toString as a query key) over the code before its fix
  measure 9eaa57c 4d024df 2025-04-07T14:00:00Z; gate 2025-04-07T14:05:00Z
  measure 4d024df
  mv_ 2025-04-07T14:15:00Z done UF-02 --agent claude
  measure 7959de5
  mv_ 2025-04-07T14:31:00Z done UF-03 --agent codex
  mv_ 2025-04-07T14:31:02Z start UF-04 --agent claude
  measure 3c4b43d
  mv_ 2025-04-07T14:32:00Z done UF-04 --agent claude
  gate 2025-04-07T14:35:00Z
echo "════ 2025-04-08"
  mv_ 2025-04-08T07:30:00Z start UF-05 --agent codex
  measure 31ea74c
  mv_ 2025-04-08T08:11:00Z done UF-05 --agent codex
  gate 2025-04-08T08:15:00Z
echo "════ 2025-04-14/15"
  mv_ 2025-04-14T09:00:00Z start UF-06 --agent claude
  measure 8515b24
  mv_ 2025-04-15T01:15:00Z done UF-06 --agent claude
  mv_ 2025-04-15T09:00:00Z start UF-07 --agent codex
  gate 2025-04-15T09:05:00Z
} 2>&1 | tee "$LOGS/replay.log"
