import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import type { GateResult } from "../../src/gate/types.js";
import { readReport } from "../../src/ingest/read-report.js";
import { openStore } from "../../src/store/open-store.js";
import { sarifValidator } from "../report/sarif-schema.js";
import { copyOfDemo, repoRoot, shipgate } from "./run-cli.js";

const MONEY_TEST = "packages/api/test/money.test.ts › formatMoney > puts the minus sign before the currency symbol";
const BURST_TEST = "packages/api/test/rate-limiter.test.ts › RateLimiter > allows a burst up to capacity";

/** The demo's config with only the vitest collector running; the other collectors' reports are read as committed. */
function runVitestOnly(dir: string): void {
  const config = readFileSync(join(dir, "shipgate.yaml"), "utf8").replace("../../../../node_modules/.bin/vitest", join(repoRoot, "node_modules/.bin/vitest"));
  const blocks = config.split("\n  - name: ");
  writeFileSync(join(dir, "shipgate.yaml"), blocks.map((b, i) => (i === 0 || b.startsWith("api-vitest") ? b : b.replace(/^ {4}command: .*\n/m, ""))).join("\n  - name: "));
}

const fixMoney = (dir: string) => {
  const money = join(dir, "packages/api/src/money.ts");
  writeFileSync(money, readFileSync(money, "utf8").replace("return `${SYMBOLS[currency]}${digits}`;", 'return minorUnits < 0 ? `-${SYMBOLS[currency]}${digits.slice(1)}` : `${SYMBOLS[currency]}${digits}`;'));
};
const breakLimiter = (dir: string) => {
  const limiter = join(dir, "packages/api/src/rate-limiter.ts");
  writeFileSync(limiter, readFileSync(limiter, "utf8").replace("if (bucket.tokens < cost) return false;", "if (bucket.tokens <= cost) return false;"));
};
const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });

describe("shipgate assess --gate release on the bundled example", () => {
  it("says NO-GO for the failing test, and only for it, with exit 1", () => {
    const dir = copyOfDemo();
    const result = shipgate(["assess", "--no-run", "--gate", "release"], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("Gate release: NO-GO");
    expect(result.stdout).toContain(`✗ packages/api/test/money.test.ts formatMoney > puts the minus sign before the currency symbol failed: negative amounts must read -€5.00`);
    expect(result.stdout).toMatch(/NO-GO: 1 blocking condition\(s\) failed \(tests\.failed\)\n?$/);

    const json = shipgate(["gate", "--json"], { cwd: dir });
    expect(json.code).toBe(1);
    const gate = JSON.parse(json.stdout) as GateResult;
    expect(gate.conditions.map((c) => [c.id, c.verdict, c.value])).toEqual([
      ["tests.failed", "fail", 1],
      ["tests.errored", "pass", 0],
      ["new:tests.regressed", "pass", null],
      ["coverage.lines", "pass", 82.4],
      ["delta:coverage.lines", "pass", null],
      ["docs.broken_links", "pass", 0],
      ["security.critical", "pass", 0],
      ["security.high", "pass", 0],
      ["type_errors", "pass", 0],
    ]);
    expect(gate.conditions[0]?.items.map((i) => i.key)).toEqual([MONEY_TEST]);
    // One snapshot: `previous` has none, so the baseline conditions have no data and pass by their when_missing.
    expect(gate.baseline).toMatchObject({ spec: "previous", snapshot: null });
    expect(gate.baseline.missing).toMatch(/snapshot 1 is the first/);
  });

  it("says GO with exit 0 once the bug is fixed, and catches a regression by name when one is introduced", () => {
    const dir = copyOfDemo();
    runVitestOnly(dir);
    expect(shipgate(["assess", "--no-run", "--gate", "release"], { cwd: dir }).code).toBe(1);

    fixMoney(dir);
    const fixed = shipgate(["assess", "--gate", "release", "--json"], { cwd: dir });
    expect(fixed.stderr).toMatch(/\[collect\] api-vitest: exit 0/);
    expect(fixed.code).toBe(0);
    const fixedOut = JSON.parse(fixed.stdout) as AssessSummary & { gate: GateResult };
    expect(fixedOut.tests).toMatchObject({ failed: 0, passed: 26 });
    expect(fixedOut.gate).toMatchObject({ verdict: "GO", baseline: { spec: "previous", snapshot: { id: 1 } }, counts: { failed: 0 } });
    expect(fixedOut.gate.conditions.find((c) => c.id === "delta:coverage.lines")?.value).toBeGreaterThanOrEqual(0);

    breakLimiter(dir);
    const broken = shipgate(["assess", "--gate", "release"], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain(`Regressions (passed in the baseline, failing now): `);
    expect(broken.stdout).toContain(`✗ ${BURST_TEST}`);
    expect(broken.stdout).toMatch(/NO-GO: 2 blocking condition\(s\) failed \(tests\.failed, new:tests\.regressed\)/);
    // The alerts of the new snapshot: the score fell and failing tests went from 0 to more.
    expect(broken.stdout).toMatch(/alerts since the previous snapshot: \d+\n\s+▼ score fell from [\d.]+ to [\d.]+\n\s+▼ tests\.failed went from 0 to \d+/);
    return (async () => {
      const store = await openStore(join(dir, ".shipgate/shipgate.db"));
      const alerts = await store.listEvents({ type: "alert" });
      expect(alerts.map((e) => [e.subject, (e.data as { metric: string }).metric])).toEqual(expect.arrayContaining([["snapshot:3", "score"], ["snapshot:3", "tests.failed"]]));
      const gates = await store.listEvents({ type: "gate.evaluated" });
      expect(gates.map((e) => (e.data as { verdict: string }).verdict)).toEqual(["NO-GO", "GO", "NO-GO"]);
      await store.close();
    })();
  });
});

describe("shipgate gate outputs", () => {
  it("writes JUnit our own parser reads, SARIF that validates against the 2.1.0 schema, markdown, and GitHub annotations", async () => {
    const dir = copyOfDemo();
    const summaryFile = join(dir, "step-summary.md");
    writeFileSync(summaryFile, "");
    const result = shipgate(["assess", "--no-run", "--gate", "release", "--junit", "out/gate.xml", "--sarif", "out/gate.sarif"], {
      cwd: dir,
      env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^::error file=packages\/api\/test\/money\.test\.ts,.*title=.*::.*puts the minus sign/m);
    const stepSummary = readFileSync(summaryFile, "utf8");
    expect(stepSummary).toContain("## shipgate snapshot #1");
    expect(stepSummary).toContain("### shipgate gate `release`: ❌ NO-GO");

    const junit = await readReport(join(dir, "out/gate.xml"));
    expect(junit.source.format).toBe("junit");
    expect(junit.result.tests).toHaveLength(9);
    expect(junit.result.tests.filter((t) => t.status === "failed").map((t) => t.name)).toEqual([expect.stringContaining("tests.failed == 0") as string]);

    const sarif = JSON.parse(readFileSync(join(dir, "out/gate.sarif"), "utf8")) as { runs: { results: { ruleId: string; locations?: unknown[] }[] }[] };
    const validate = sarifValidator();
    expect(validate(sarif), JSON.stringify(validate.errors)).toBe(true);
    expect(sarif.runs[0]?.results).toHaveLength(1);
    const asFindings = await readReport(join(dir, "out/gate.sarif"));
    expect(asFindings.result.findings?.map((f) => f.file)).toEqual(["packages/api/test/money.test.ts"]);

    const markdown = shipgate(["gate", "--markdown"], { cwd: dir });
    expect(markdown.stdout).toContain("| ❌ | `tests.failed == 0` | 1 |");
  });

  it("lists the gates, with the built-in ones marked", () => {
    const dir = copyOfDemo();
    const result = shipgate(["gate", "--list"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("release (built in) — baseline previous");
    expect(result.stdout).toContain("  - new:tests.regressed == 0 (passes without data)\n");
    expect(result.stdout).toContain("  - new:coverage.lines >= 80\n");
  });
});

describe("shipgate gate baselines", () => {
  it("compares with a named baseline, a git ref, and counts coverage of the changed lines", () => {
    const dir = copyOfDemo();
    runVitestOnly(dir);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "demo");
    expect(shipgate(["assess"], { cwd: dir }).code).toBe(0);
    expect(shipgate(["baseline", "set", "v1"], { cwd: dir }).stdout).toMatch(/^baseline v1 → snapshot 1 \([0-9a-f]{10}\)\n$/);

    // A change with one covered and one uncovered new function.
    const money = join(dir, "packages/api/src/money.ts");
    writeFileSync(money, `${readFileSync(money, "utf8")}\nexport function isNegative(minorUnits: number): boolean {\n  return minorUnits < 0;\n}\n\nexport function neverCalled(x: number): number {\n  const doubled = x * 2;\n  return doubled + 1;\n}\n`);
    const moneyTest = join(dir, "packages/api/test/money.test.ts");
    writeFileSync(moneyTest, readFileSync(moneyTest, "utf8").replace('import { formatMoney, parseMoney } from "../src/money.js";', 'import { formatMoney, isNegative, parseMoney } from "../src/money.js";\n\ndescribe("isNegative", () => {\n  it("says so", () => {\n    expect(isNegative(-1)).toBe(true);\n  });\n});'));
    git(dir, "commit", "-qam", "two functions");
    expect(shipgate(["assess"], { cwd: dir }).code).toBe(0);

    const byRef = shipgate(["gate", "-g", "new-code", "--baseline", "ref:HEAD~1", "--json"], { cwd: dir });
    const result = JSON.parse(byRef.stdout) as GateResult;
    expect(result.baseline).toMatchObject({ spec: "ref:HEAD~1", snapshot: { id: 1 } });
    const coverage = result.conditions.find((c) => c.id === "new:coverage.lines");
    // money.ts is the one changed file the coverage report knows (test files are not covered).
    expect(result.changedLines).toMatchObject({ files: 1 });
    expect(coverage?.items.map((i) => i.file)).toEqual(["packages/api/src/money.ts"]);
    expect(coverage?.value).toBeLessThan(80);
    expect(result.verdict).toBe("NO-GO");
    expect(byRef.code).toBe(1);

    const named = JSON.parse(shipgate(["gate", "--baseline", "v1", "--json"], { cwd: dir }).stdout) as GateResult;
    expect(named.baseline).toMatchObject({ spec: "v1", snapshot: { id: 1 } });
    expect(shipgate(["baseline", "list"], { cwd: dir }).stdout).toMatch(/^v1 → snapshot 1 \(set /);
  });

  it("regression: changed lines come from what the snapshot measured, not from the checkout edited after it", () => {
    const dir = copyOfDemo();
    runVitestOnly(dir);
    git(dir, "add", "-A");
    git(dir, "commit", "-qm", "demo");
    expect(shipgate(["assess"], { cwd: dir }).code).toBe(0);
    // An uncovered function, not committed: the snapshot is dirty and records its working tree.
    const money = join(dir, "packages/api/src/money.ts");
    writeFileSync(money, `${readFileSync(money, "utf8")}\nexport function neverCalled(x: number): number {\n  const doubled = x * 2;\n  return doubled + 1;\n}\n`);
    expect(shipgate(["assess"], { cwd: dir }).code).toBe(0);
    const judge = () => (JSON.parse(shipgate(["gate", "-g", "new-code", "--json"], { cwd: dir }).stdout) as GateResult).changedLines;
    const measured = judge();
    expect(measured).toMatchObject({ files: 1, covered: 0 });
    expect(measured?.coverable).toBeGreaterThan(0);
    // Committing it, or editing the file afterwards, changes nothing about what snapshot 2 measured.
    git(dir, "commit", "-qam", "uncovered function");
    expect(judge()).toEqual(measured);
    writeFileSync(money, `// three\n// new\n// lines\n${readFileSync(money, "utf8")}`);
    expect(judge()).toEqual(measured);
  });

  it("regression: a report cannot inject GitHub workflow commands, and paths are the repository's when --cwd is a sub-directory", () => {
    const repo = copyOfDemo();
    // The project lives in app/ of a bigger repository.
    const app = join(repo, "app");
    execFileSync("sh", ["-c", 'mkdir app && for f in *; do [ "$f" = app ] || mv "$f" app/; done'], { cwd: repo });
    writeFileSync(
      join(app, "evil.xml"),
      '<?xml version="1.0"?><testsuite name="s" tests="1" failures="1"><testcase classname="packages/api/test/money.test.ts" name="ok&#10;::error file=src/a.ts,line=1::INJECTED&#10;::stop-commands::abc" file="packages/api/test/money.test.ts"><failure message="boom&#10;::warning::ALSO INJECTED">x</failure></testcase></testsuite>',
    );
    const result = shipgate(["assess", "--cwd", "app", "--report", "app/evil.xml", "--gate", "release", "--sarif", "app/gate.sarif"], { cwd: repo, env: { GITHUB_ACTIONS: "true" } });
    expect(result.code).toBe(1);
    // Outside the fenced human report, every workflow command is one of ours.
    const fenced = /^::stop-commands::(shipgate-[0-9a-f]+)\n[\s\S]*?^::\1::\n/gm;
    const outside = result.stdout.replace(fenced, "");
    // Two human reports: the snapshot's and the gate's.
    expect(result.stdout.match(fenced)).toHaveLength(2);
    const commands = outside.split("\n").filter((l) => l.startsWith("::"));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).toMatch(/^::(error|warning|notice) [^:]*title=shipgate gate release%3A [^\n]*::/);
    expect(outside).not.toMatch(/^::error file=src\/a\.ts/m);
    expect(commands.join("\n")).toContain("file=app/packages/api/test/money.test.ts");
    const sarif = JSON.parse(readFileSync(join(app, "gate.sarif"), "utf8")) as { runs: { results: { locations?: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    expect(sarif.runs[0]?.results.map((r) => r.locations?.[0]?.physicalLocation.artifactLocation.uri)).toContain("app/packages/api/test/money.test.ts");
  });

  it("regression: assess --gate with an unknown gate stores nothing", () => {
    const dir = copyOfDemo();
    const result = shipgate(["assess", "--no-run", "--gate", "relase"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no gate named "relase"');
    expect(JSON.parse(shipgate(["history", "--json"], { cwd: dir }).stdout)).toEqual([]);
  });

  it.each([
    [["gate", "--gate", "nightly"], /no gate named "nightly"; gates: release, new-code/],
    [["gate", "--baseline", "v9"], /baseline "v9" does not exist/],
    [["gate", "--baseline", "ref:no-such-branch"], /git cannot resolve "no-such-branch"/],
    [["gate", "--baseline", "tag:v1"], /--baseline "tag:v1": use previous/],
    [["gate", "--snapshot", "42"], /no snapshot 42/],
    [["gate", "--date", "tomorrow"], /--date must look like 2026-12-31/],
    [["baseline", "set", "v1", "42"], /no snapshot 42/],
    [["baseline", "set", "previous"], /cannot be a baseline name/],
  ])("exits 2 with a clear error: %s", (args, message) => {
    const dir = copyOfDemo();
    expect(shipgate(["assess", "--no-run"], { cwd: dir }).code).toBe(0);
    const result = shipgate(args, { cwd: dir });
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(result.code).toBe(2);
  });

  it("names the config line of a baseline that does not exist, and never says GO", () => {
    const dir = copyOfDemo();
    writeFileSync(join(dir, "shipgate.yaml"), `${readFileSync(join(dir, "shipgate.yaml"), "utf8")}\ngates:\n  ship:\n    baseline: last-release\n    conditions:\n      - tests.failed <= 5\n`);
    expect(shipgate(["assess", "--no-run"], { cwd: dir }).code).toBe(0);
    const result = shipgate(["gate", "-g", "ship"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe("");
    const line = readFileSync(join(dir, "shipgate.yaml"), "utf8").split("\n").indexOf("    baseline: last-release") + 1;
    expect(result.stderr).toContain(`baseline "last-release" (shipgate.yaml:${line}: gates.ship.baseline) does not exist`);
  });

  it("applies a waiver until its expiry day, then lists it as expired and stops applying it", () => {
    const dir = copyOfDemo();
    writeFileSync(
      join(dir, "shipgate.yaml"),
      `${readFileSync(join(dir, "shipgate.yaml"), "utf8")}\ngates:\n  release:\n    waivers:\n      - condition: tests.failed\n        reason: "money formatting fix ships in 1.1"\n        owner: "@alice"\n        expires: 2026-12-01\n`,
    );
    expect(shipgate(["assess", "--no-run"], { cwd: dir }).code).toBe(0);
    const before = shipgate(["gate", "--date", "2026-12-01"], { cwd: dir });
    expect(before.code).toBe(0);
    expect(before.stdout).toContain("WAIVED  tests.failed == 0");
    expect(before.stdout).toContain("waived until 2026-12-01 by @alice: money formatting fix ships in 1.1");
    expect(before.stdout).toMatch(/GO: all 9 conditions hold; 1 waived\n?$/);
    const after = shipgate(["gate", "--date", "2026-12-02"], { cwd: dir });
    expect(after.code).toBe(1);
    expect(after.stdout).toContain("Expired waivers (no longer applied):\n  tests.failed: expired 2026-12-01 (owner @alice): money formatting fix ships in 1.1");
  });

  it("says no snapshot before the first assess (exit 2)", () => {
    const dir = copyOfDemo();
    const result = shipgate(["gate"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no snapshot in .*run `shipgate assess` first/s);
  });
});
