import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { isReportFormat } from "../../src/ingest/registry.js";
import type { ReportFormat } from "../../src/ingest/types.js";
import { runGuarded } from "./guard.js";
import type { GuardedCase, GuardedOutcome } from "./guard.js";
import { MUTATIONS, seededRandom } from "./mutate.js";
import type { Syntax } from "./mutate.js";

/**
 * The fuzzer that found 16 hangs in 3 347 mutated real reports, kept as a test: every real fixture of
 * test/fixtures/ingest/, as written and mutated (truncation, byte flips, deep nesting, long values,
 * invalid UTF-8, BOMs, repeated chunks), parsed under a time and memory guard. A parse must end with a
 * result or a ShipgateError (ParseError), never another exception, a hang or a memory blow-up.
 * Deterministic: the seed is fixed (SHIPGATE_FUZZ_SEED explores others, SHIPGATE_FUZZ_ROUNDS more cases).
 */
const SEED = Number(process.env.SHIPGATE_FUZZ_SEED ?? 20261206);
const ROUNDS = Number(process.env.SHIPGATE_FUZZ_ROUNDS ?? 2);
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const fixturesDir = join(repoRoot, "test/fixtures/ingest");
const bin = join(repoRoot, "dist/cli/main.js");

const SYNTAX: Record<ReportFormat, Syntax> = {
  junit: "xml",
  cobertura: "xml",
  lcov: "text",
  tsc: "text",
  mypy: "text",
  "istanbul-summary": "json",
  "istanbul-final": "json",
  coveragepy: "json",
  eslint: "json",
  sarif: "json",
  ruff: "json",
  "npm-audit": "json",
  osv: "json",
  "pip-audit": "json",
  "cargo-audit": "json",
  govulncheck: "json",
};

interface Fixture {
  path: string;
  format: ReportFormat;
}

function realFixtures(): Fixture[] {
  const fixtures: Fixture[] = [];
  for (const dir of readdirSync(fixturesDir).sort()) {
    // xml/ holds hostile XML (entities, DOCTYPEs, garbage) for the XML reader: read it as JUnit.
    const format = dir === "xml" ? "junit" : dir;
    if (!isReportFormat(format)) continue;
    for (const name of readdirSync(join(fixturesDir, dir)).sort()) {
      if (name === "EXPECTED.json" || name.endsWith(".md")) continue;
      fixtures.push({ path: join(fixturesDir, dir, name), format });
    }
  }
  return fixtures;
}

const scratch = mkdtempSync(join(tmpdir(), "shipgate-fuzz-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The cases: each fixture as written, and ROUNDS mutations of it (sometimes two stacked), all from SEED. */
function makeCases(): GuardedCase[] {
  const random = seededRandom(SEED);
  const cases: GuardedCase[] = [];
  let n = 0;
  for (const fixture of realFixtures()) {
    const input = readFileSync(fixture.path);
    const short = `${basename(fixture.path.slice(0, fixture.path.lastIndexOf("/")))}/${basename(fixture.path)}`;
    cases.push({ name: `${short} (as written)`, path: fixture.path, format: fixture.format });
    for (let round = 0; round < ROUNDS; round++) {
      let bytes: Buffer = input;
      const names: string[] = [];
      for (let stacked = random() < 0.25 ? 2 : 1; stacked > 0; stacked--) {
        // Every mutation gets its turn in order, so each one reaches every format.
        const mutation = MUTATIONS[(n + stacked) % MUTATIONS.length] ?? MUTATIONS[0];
        if (!mutation) continue;
        bytes = mutation.apply(bytes, random, SYNTAX[fixture.format]);
        names.push(mutation.name);
      }
      n++;
      const path = join(scratch, `${String(n).padStart(4, "0")}-${basename(fixture.path)}`);
      writeFileSync(path, bytes);
      cases.push({ name: `${short} (${names.join(" + ")})`, path, format: fixture.format });
    }
  }
  return cases;
}

const describeFailure = (c: GuardedCase, o: GuardedOutcome): string =>
  `${c.name} [${c.path}]: ${o.outcome}${"message" in o ? `: ${o.message.split("\n").slice(0, 4).join(" | ")}` : ""}`;

describe("fuzzing the parsers with mutated real reports", () => {
  const cases = makeCases();
  let outcomes: GuardedOutcome[] = [];

  it("every case ends with a result or a clean ParseError, within the time and memory guard", async () => {
    outcomes = await runGuarded(cases, { timeoutMs: 20_000, maxOldSpaceMb: 256, workers: 2 });
    const counts = new Map<string, number>();
    for (const o of outcomes) counts.set(o.outcome, (counts.get(o.outcome) ?? 0) + 1);
    console.log(`[fuzz] seed ${SEED}: ${cases.length} case(s) from ${realFixtures().length} real fixture(s): ${[...counts].map(([k, v]) => `${v} ${k}`).join(", ")}`);
    const failures = cases.flatMap((c, i) => {
      const o = outcomes[i];
      return o === undefined || o.outcome === "result" || o.outcome === "shipgate-error" ? [] : [describeFailure(c, o)];
    });
    expect(failures).toEqual([]);
    expect(cases.length).toBeGreaterThan(200);
  });

  it("the CLI exits 0/1 with a snapshot, or 2 with a one-line message and nothing stored, on a sample of the cases", async () => {
    expect(outcomes.length).toBe(cases.length);
    // A deterministic sample: every kind of ending, across formats.
    const errors = cases.filter((_, i) => outcomes[i]?.outcome === "shipgate-error");
    const results = cases.filter((c, i) => outcomes[i]?.outcome === "result" && c.path.startsWith(scratch));
    const pick = <T>(list: T[], count: number): T[] => list.filter((_, i) => i % Math.max(1, Math.floor(list.length / count)) === 0).slice(0, count);
    const sample = [...pick(errors, 5), ...pick(results, 4)];
    const problems: string[] = [];
    await Promise.all([0, 1].map(async (lane) => {
      for (const [i, c] of sample.entries()) {
        if (i % 2 !== lane) continue;
        const dir = mkdtempSync(join(scratch, "cli-"));
        execFileSync("git", ["init", "-q"], { cwd: dir });
        mkdirSync(join(dir, "reports"));
        const report = join("reports", basename(c.path));
        copyFileSync(c.path, join(dir, report));
        const assess = await cli(["assess", "--no-run", "--report", report], dir);
        const lines = assess.stderr.split("\n");
        if (/^\s+at .+:\d+:\d+\)?$/m.test(assess.stderr)) problems.push(`${c.name}: a stack trace on stderr: ${assess.stderr.slice(0, 300)}`);
        if (assess.code === 0 || assess.code === 1) {
          if (!assess.stdout.includes("shipgate snapshot")) problems.push(`${c.name}: exit ${assess.code} without a snapshot: ${assess.stdout.slice(0, 200)}`);
        } else if (assess.code === 2) {
          const errorLines = lines.filter((line) => line.startsWith("error: "));
          if (errorLines.length !== 1) problems.push(`${c.name}: exit 2 with ${errorLines.length} error line(s): ${assess.stderr.slice(0, 300)}`);
          const history = await cli(["history", "--json"], dir);
          if (history.code !== 0 || JSON.stringify(JSON.parse(history.stdout)) !== "[]") problems.push(`${c.name}: a failed assess stored something: ${history.stdout.slice(0, 200)}`);
        } else {
          problems.push(`${c.name}: exit ${String(assess.code)}: ${assess.stderr.slice(0, 300)}`);
        }
      }
    }));
    console.log(`[fuzz] CLI: ${sample.length} case(s) through dist/cli/main.js assess`);
    expect(problems).toEqual([]);
    expect(sample.length).toBeGreaterThanOrEqual(6);
  });
});

/** The built bin under the same guards: a time limit and a heap limit. */
function cli(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--max-old-space-size=512", bin, ...args], {
      cwd,
      env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "" },
      timeout: 60_000,
      killSignal: "SIGKILL",
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (data: Buffer) => (stdout += data.toString()));
    child.stderr.on("data", (data: Buffer) => (stderr += data.toString()));
    child.on("close", (code, signal) => resolve({ code: signal === null ? code : null, stdout, stderr: signal === null ? stderr : `${stderr}\nkilled by ${signal}` }));
  });
}
