#!/usr/bin/env node
// `npm run demo:track`: three weeks of the bundled example's program, replayed day by day, then the tracker made from
// what shipgate stored. A fresh copy of examples/demo becomes a git repository (as `npm run demo:run` makes it); each
// working day at 09:00 `shipgate run --max-tasks N --plan shipgate.run.yaml` lets the stand-in agents do that day's
// tasks (real edits, real acceptance, the planned retry of TEST-WORKER), at 17:30 the example's tools REALLY run in
// the copy (vitest with junit + v8 coverage in packages/api, pytest under coverage.py in services/worker) and at
// 18:00 `shipgate assess --no-run --gate release` stores the day's snapshot: it measures what the tasks changed.
// By hand, on some days: a task blocked and later reset, a risk's status set. A weekend and one weekday
// ("not measured") have no snapshot.
//
// Time: every command runs with SHIPGATE_NOW (and git's author and committer dates) set to its moment of the
// replayed day, so the store, the commits and the tracker are the same on every run of this script. In the copy the
// reports are build outputs (ignored by git), as in most projects: each day's tools write them, the day's snapshot
// reads them, and the commits hold only the agents' work.
//
// At the end: `shipgate track report --out tracker`, `track standup` and `track review` (from the kickoff) into files, the tracker on
// the terminal, and tracker.md, its SVGs, standup.md and review.md copied into examples/demo/tracker/ (committed).
// Pass --no-copy to leave examples/demo/tracker/ alone, --dir DIR for another copy than .test-tmp/demo-history (the
// test passes both).
//
// The copy lives in the checkout's gitignored .test-tmp/ (so its vitest resolves from our node_modules); its path is
// printed first. Exit code: 0 when the replay went as planned, 1 otherwise. test/run/demo-history.test.ts runs it.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "dist/cli/main.js");
const PLAN = "shipgate.run.yaml";
const PYTHON = process.env.PYTHON ?? "/usr/bin/python3"; // Debian's, with pytest 7.2 and coverage.py 6.5 (produce-reports.sh)
const copyBack = !process.argv.includes("--no-copy");
/** The tracker is made as of the last replayed day, after its snapshot. */
const AS_OF = "2026-11-24";

/**
 * The program, day by day. `tasks`: how many tasks `shipgate run --max-tasks` may claim at 09:00 (the queue decides
 * which: the plan's order); `measure`: false for a day without a snapshot; `by hand`: what a person does that day.
 */
const DAYS = [
  { date: "2026-11-09", tasks: 0, story: "kickoff: the plan imported, the baseline measured (the money test fails)" },
  { date: "2026-11-10", tasks: 1 },
  { date: "2026-11-11", tasks: 1 },
  { date: "2026-11-12", tasks: 1, story: "TEST-WORKER's first attempt fails (an export missed), its retry passes" },
  {
    date: "2026-11-13",
    tasks: 1,
    byHand: [["08:30", "task", "block", "OPS-HEALTH", "--agent", "codex", "--reason", "waiting for the ops team's /healthz contract (risk R2)"]],
    story: "OPS-HEALTH blocked by hand: the /healthz contract is not settled",
  },
  { date: "2026-11-14", weekend: true },
  { date: "2026-11-15", weekend: true },
  { date: "2026-11-16", tasks: 1, byHand: [["08:45", "risk", "set", "R1", "--status", "mitigated", "--agent", "codex", "--note", "the first week's runs cost cents: small tasks keep the spend low"]] },
  { date: "2026-11-17", tasks: 1 },
  {
    date: "2026-11-18",
    tasks: 0,
    measure: false,
    byHand: [
      ["10:00", "task", "reset", "OPS-HEALTH", "--agent", "codex", "--reason", "the ops team settled the /healthz contract"],
      ["10:05", "risk", "set", "R2", "--status", "closed", "--agent", "claude", "--note", "contract settled: status and version fields"],
    ],
    story: "not measured (the CI machine was down); OPS-HEALTH unblocked",
  },
  { date: "2026-11-19", tasks: 1 },
  { date: "2026-11-20", tasks: 0, story: "a review day: nothing run, measured" },
  { date: "2026-11-21", weekend: true },
  { date: "2026-11-22", weekend: true },
  { date: "2026-11-23", tasks: 1 },
  { date: "2026-11-24", tasks: 1 },
];

// One fixed folder (emptied first), so two runs store the same plan path and write the same files; --dir elsewhere.
const dirArg = process.argv.indexOf("--dir");
const dir = dirArg > 0 && process.argv[dirArg + 1] ? resolve(process.argv[dirArg + 1]) : join(repo, ".test-tmp", "demo-history");
if (dirArg > 0 && existsSync(dir) && readdirSync(dir).length > 0) {
  console.error(`demo-history: --dir ${dir} is not empty: name a new or empty folder`);
  process.exit(2);
}
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
cpSync(join(repo, "examples/demo"), dir, { recursive: true, filter: (source) => !source.split(/[\\/]/).includes(".shipgate") && !source.endsWith("/examples/demo/tracker") });
const REPORTS = ["packages/api/reports/", "services/worker/reports/", "reports/"];
writeFileSync(join(dir, ".gitignore"), [".shipgate/", "node_modules/", "__pycache__/", ".pytest_cache/", ".coverage", ...REPORTS, ""].join("\n"));

/** The environment of a command run at `time` (HH:MM, UTC) of `date`. */
const at = (date, time) => {
  const moment = `${date}T${time}:00Z`;
  return { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "", SHIPGATE_NOW: moment, GIT_AUTHOR_DATE: moment, GIT_COMMITTER_DATE: moment, PYTHONDONTWRITEBYTECODE: "1" };
};
const git = (env, ...args) => execFileSync("git", args, { cwd: dir, encoding: "utf8", env });
const shipgate = (env, args) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", env });
const indent = (text) => text.trimEnd().replace(/^/gm, "    ");
const problems = [];

const start = at(DAYS[0].date, "08:00");
git(start, "init", "-q", "-b", "main");
git(start, "config", "user.name", "demo");
git(start, "config", "user.email", "demo@example.com");
git(start, "add", "-A");
git(start, "commit", "-qm", "The demo, before the program");
console.log(`project: ${dir}\n`);

/** The example's tools, really run in the copy: what produce-reports.sh runs for the reports shipgate.yaml reads. */
function measureTools(env) {
  const coverageData = join(dir, ".shipgate", "coverage-data");
  const api = spawnSync(process.execPath, ["../../agents/vitest.mjs", "run"], { cwd: join(dir, "packages/api"), encoding: "utf8", env });
  const worker = join(dir, "services/worker");
  const py = { ...env, COVERAGE_FILE: coverageData };
  const pytest = spawnSync(PYTHON, ["-m", "coverage", "run", "-m", "pytest", "-p", "no:cacheprovider", "--junitxml=reports/junit.xml"], { cwd: worker, encoding: "utf8", env: py });
  const json = spawnSync(PYTHON, ["-m", "coverage", "json", "-o", "reports/coverage.json"], { cwd: worker, encoding: "utf8", env: py });
  rmSync(coverageData, { force: true });
  const tests = /^\s+Tests\s+(.+)$/m.exec(api.stdout)?.[1] ?? `vitest exited ${api.status}: ${api.stderr.trim().split("\n").at(-1)}`;
  const lines = /^All files\s*\|\s*[\d.]+\s*\|\s*[\d.]+\s*\|\s*[\d.]+\s*\|\s*([\d.]+)/m.exec(api.stdout)?.[1];
  const py_ = pytest.stdout.trim().split("\n").at(-1) ?? "";
  if (json.status !== 0) problems.push(`coverage json exited ${json.status}: ${json.stderr}`);
  return `vitest: ${tests.trim()}${lines ? `, ${lines} % lines` : ""} · pytest: ${py_.replace(/^=+\s*|\s*=+$/g, "")}`;
}

for (const day of DAYS) {
  const weekday = new Date(`${day.date}T12:00:00Z`).toLocaleDateString("en-US", { weekday: "short", timeZone: "UTC" });
  if (day.weekend) {
    console.log(`== ${day.date} ${weekday}: weekend, nothing runs`);
    continue;
  }
  console.log(`== ${day.date} ${weekday}${day.story ? `: ${day.story}` : ""}`);
  if (day.date === DAYS[0].date) {
    // The kickoff: the store created, the plan imported (`plan status` imports a changed plan into an existing store).
    for (const [time, args] of [["08:00", ["db", "migrate"]], ["08:15", ["plan", "status", "--plan", PLAN]]]) {
      const result = shipgate(at(day.date, time), args);
      if (result.status !== 0) problems.push(`${args.join(" ")}: exit ${result.status}\n${result.stderr}`);
    }
  }
  for (const [time, ...args] of day.byHand ?? []) {
    const result = shipgate(at(day.date, time), [...args, "--plan", PLAN]);
    console.log(`  ${time} shipgate ${args.join(" ")} → exit ${result.status}`);
    if (result.status !== 0) problems.push(`${day.date} ${args.join(" ")}: exit ${result.status}\n${result.stdout}${result.stderr}`);
  }
  if (day.tasks > 0) {
    // -q once more (-qq): pytest leaves out its summary line, whose timing ("1 error in 0.70s") would end up in the
    // note of TEST-WORKER's failed attempt and make the tracker differ from one replay to the next.
    const run = shipgate({ ...at(day.date, "09:00"), PYTEST_ADDOPTS: "-q" }, ["run", "--plan", PLAN, "--max-tasks", String(day.tasks)]);
    const lines = `${run.stderr}${run.stdout}`.split("\n").filter((l) => /^[▶✓✗⛔?!]|\bdone, \d+ failed/.test(l));
    console.log(`  09:00 shipgate run --max-tasks ${day.tasks} → exit ${run.status}\n${indent(lines.join("\n"))}`);
    if (run.status !== 0) problems.push(`${day.date} run: exit ${run.status}\n${run.stdout}${run.stderr}`);
  }
  if (day.measure === false) {
    console.log("  not measured: no tools run, no snapshot");
    continue;
  }
  console.log(`  17:30 ${measureTools(at(day.date, "17:30"))}`);
  const assess = shipgate(at(day.date, "18:00"), ["assess", "--no-run", "--gate", "release"]);
  const score = /^Readiness\s+(\S+).*→\s+(\S+)/m.exec(assess.stdout);
  const verdict = assess.stdout.trimEnd().split("\n").at(-1) ?? "";
  console.log(`  18:00 shipgate assess --no-run --gate release → score ${score?.[1] ?? "?"} ${score?.[2] ?? ""}; ${verdict.split(":")[0]}`);
  if (assess.status !== 0 && assess.status !== 1) problems.push(`${day.date} assess: exit ${assess.status}\n${assess.stderr}`);
}

// The tracker, as of the last replayed day's evening.
const evening = at(AS_OF, "18:30");
const trackerDir = join(dir, "tracker");
const outputs = [
  ["track report", ["track", "report", "--plan", PLAN, "--out", "tracker"], null],
  ["track standup", ["track", "standup", "--markdown", "--plan", PLAN], "standup.md"],
  // The program's review, from its first day (the default period is the last week).
  ["track review", ["track", "review", "--markdown", "--since", DAYS[0].date, "--plan", PLAN], "review.md"],
];
mkdirSync(trackerDir, { recursive: true });
for (const [name, args, file] of outputs) {
  const result = shipgate(evening, args);
  if (result.status !== 0) {
    problems.push(`shipgate ${name}: exit ${result.status}\n${result.stderr}`);
    continue;
  }
  if (file) writeFileSync(join(trackerDir, file), result.stdout);
}
const track = shipgate(evening, ["track", "--plan", PLAN]);
console.log(`\n== shipgate track --plan ${PLAN} (SHIPGATE_NOW=${AS_OF}T18:30:00Z)\n${track.stdout.trimEnd()}`);
if (track.status !== 0) problems.push(`shipgate track: exit ${track.status}\n${track.stderr}`);

if (copyBack && problems.length === 0) {
  const target = join(repo, "examples/demo/tracker");
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  for (const name of readdirSync(trackerDir).sort()) {
    if (/\.(md|svg)$/.test(name)) copyFileSync(join(trackerDir, name), join(target, name));
  }
  console.log(`\nexamples/demo/tracker/: ${readdirSync(target).sort().join(", ")}`);
}
if (!existsSync(join(trackerDir, "tracker.md"))) problems.push("no tracker/tracker.md was written");
for (const problem of problems) console.error(`demo-history: ${problem.trimEnd()}`);
process.exit(problems.length === 0 ? 0 : 1);
