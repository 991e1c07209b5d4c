// The whole `shipgate assess --json` — its printed summary AND every row it stores — compared with the
// digests recorded before the speed work of issue 14 on assess (start-up, report reading, path
// resolution, snapshot rows, SQLite writes). Runs the built bin (npm run build first), as a user does.
// Volatile parts are pinned: the clock by SHIPGATE_NOW, temporary directories replaced by "<dir>",
// timings in messages by "N ms".
import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { fixture, repoRoot, shipgate } from "../cli/run-cli.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("assess.json", import.meta.url);
const GEN = fileURLToPath(new URL("../support/gen-assess-input.mjs", import.meta.url));
const NOW = "2026-12-01T09:00:00.000Z";
const TABLES = ["snapshot", "source", "fact", "test_result", "coverage_file", "finding", "advisory", "event", "baseline"];

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "shipgate-golden-assess-")));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Text with the scratch directory and timings that differ from run to run pinned. */
const pinned = (text: string, dirs: readonly string[]): string => {
  let out = text;
  for (const d of dirs) out = out.split(d).join("<dir>");
  return out.replace(/\d+ ms\b/g, "N ms");
};

/** Runs assess --json; its exit code, stdout and (for a failure) stderr, pinned. */
function assessRun(args: string[], cwd: string, db: string) {
  const run = shipgate(["assess", "--json", "--db", db, ...args], { cwd, env: { SHIPGATE_NOW: NOW } });
  const dirs = [cwd, scratch];
  return { code: run.code, stdout: pinned(run.stdout, dirs), ...(run.code === 0 ? {} : { stderr: pinned(run.stderr, dirs) }) };
}

/** Every row of every snapshot table, in insertion order, pinned. */
function storedRows(db: string, dirs: readonly string[]): string {
  const sqlite = new Database(db, { readonly: true });
  try {
    const rows = Object.fromEntries(TABLES.map((t) => [t, sqlite.prepare(`SELECT * FROM ${t} ORDER BY rowid`).all()]));
    return pinned(JSON.stringify(rows), dirs);
  } finally {
    sqlite.close();
  }
}

function demoCopy(): string {
  const dir = mkdtempSync(join(scratch, "demo-"));
  cpSync(join(repoRoot, "examples/demo"), dir, { recursive: true, filter: (source) => !source.split(/[\\/]/).includes(".shipgate") });
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
  return dir;
}

describe("assess prints and stores byte-identical output", () => {
  it("the bundled example, assessed twice into one store (the second with alerts against the first)", () => {
    const dir = demoCopy();
    // The store lies outside the folder assessed: its files must not be listed as the repository's.
    const db = join(scratch, "demo.db");
    const first = assessRun(["--no-run"], dir, db);
    expect(first, first.stderr).toMatchObject({ code: 0 });
    expectGolden(GOLDEN, "demo/first", first);
    // A different report set the second time: its numbers differ, so alerts are computed.
    const second = assessRun(["--no-run", "--skip", "worker-pytest"], dir, db);
    expectGolden(GOLDEN, "demo/second", second);
    expectGolden(GOLDEN, "demo/rows", storedRows(db, [dir, scratch]));
  });

  it("a generated repository with two lcov reports (relative, absolute, Windows and unresolved paths; merged files)", () => {
    const out = mkdtempSync(join(scratch, "gen-"));
    execFileSync(process.execPath, [GEN, out, "1500"]);
    const repo = join(out, "repo");
    const db = join(out, "store.db");
    const run = assessRun(["--report", "coverage/lcov.info", "--report", "coverage/shard-2.info"], repo, db);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expectGolden(GOLDEN, "generated/two-reports", run);
    const single = assessRun(["--report", join(repo, "coverage/lcov.info")], repo, db);
    expectGolden(GOLDEN, "generated/one-report", single);
    expectGolden(GOLDEN, "generated/rows", storedRows(db, [repo, out, scratch]));
  });

  it("fixture reports of every kind named on the command line, in a folder that is no repository", () => {
    const dir = mkdtempSync(join(scratch, "fixtures-"));
    const reports = [
      "ingest/junit/jest-30.5-jest-junit-17.0-mixed.xml",
      "ingest/junit/pytest-9.0-parametrized-teardown.xml",
      "ingest/junit/node-test-20.20-same-name.xml",
      "ingest/lcov/lcov-1.16-gcc-12-c-concatenated-two-runs.info",
      "ingest/lcov/vitest-v8-4.1-shards-concatenated.info",
      "ingest/cobertura/coverage-py-6.5-two-sources.xml",
      "ingest/istanbul-final/nyc-18.0-basic.json",
      "ingest/coveragepy/coveragepy-6.5-branch.json",
      "ingest/eslint/eslint-10.15-mixed.json",
      "ingest/sarif/ruff-0.16-mixed.sarif",
      "ingest/npm-audit/npm-8.11-v2-via-chains.json",
      "ingest/osv/osv-scanner-2.0-go-grouped.json",
    ];
    // Copied beside the folder: the output names each report relative to the working directory, and a
    // path into the checkout would make it depend on where the repository is cloned (it did: /work/main vs a worktree).
    const copies = join(scratch, "reports");
    for (const r of reports) cpSync(fixture(r), join(copies, r));
    const db = join(scratch, "fixtures.db");
    const run = assessRun(reports.flatMap((r) => ["--report", join(copies, r)]), dir, db);
    expect(run, run.stderr).toMatchObject({ code: 0 });
    expectGolden(GOLDEN, "fixtures/mixed", run);
    expectGolden(GOLDEN, "fixtures/rows", storedRows(db, [dir, scratch, repoRoot]));
  });

  it("reports assess rejects: the messages and exit codes stay the same", () => {
    const dir = mkdtempSync(join(scratch, "bad-"));
    mkdirSync(join(dir, "r"));
    writeFileSync(join(dir, "r", "empty.info"), "");
    writeFileSync(join(dir, "r", "prose.txt"), "not a report\n");
    const db = join(scratch, "bad.db");
    const cases = {
      empty: ["--report", "r/empty.info"],
      unknown: ["--report", "r/prose.txt"],
      missing: ["--report", "r/nothing.xml"],
      truncated: ["--report", fixture("ingest/coveragepy/coveragepy-6.5-truncated.json")],
    };
    for (const [name, args] of Object.entries(cases)) {
      const run = assessRun(args, dir, db);
      expect(run.code).toBe(2);
      expectGolden(GOLDEN, `rejected/${name}`, { ...run, stderr: pinned(run.stderr ?? "", [repoRoot]) });
    }
  });
});
