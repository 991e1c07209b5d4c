import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SnapshotDiff } from "../../src/snapshot/diff.js";
import { copyOfDemo, repoRoot, shipgate, tempDir, fixture } from "./run-cli.js";

const vitestOnly = (dir: string) => {
  const config = readFileSync(join(dir, "shipgate.yaml"), "utf8").replace("../../../../node_modules/.bin/vitest", join(repoRoot, "node_modules/.bin/vitest"));
  writeFileSync(join(dir, "shipgate.yaml"), config.slice(0, config.indexOf("  # ESLint's JSON")));
};

describe("shipgate history and diff", () => {
  it("catches a regression between two real runs by the test's stable identity", () => {
    const dir = copyOfDemo();
    vitestOnly(dir);
    expect(shipgate(["assess"], { cwd: dir }).code).toBe(0);
    // Fix the known money bug and break the rate limiter's burst check, then run the real tests again.
    const money = join(dir, "packages/api/src/money.ts");
    writeFileSync(money, readFileSync(money, "utf8").replace("return `${SYMBOLS[currency]}${digits}`;", 'return minorUnits < 0 ? `-${SYMBOLS[currency]}${digits.slice(1)}` : `${SYMBOLS[currency]}${digits}`;'));
    const limiter = join(dir, "packages/api/src/rate-limiter.ts");
    writeFileSync(limiter, readFileSync(limiter, "utf8").replace("if (bucket.tokens < cost) return false;", "if (bucket.tokens <= cost) return false;"));
    expect(shipgate(["assess"], { cwd: dir }).code).toBe(0);

    const result = shipgate(["diff", "--json"], { cwd: dir });
    expect(result.code).toBe(0);
    const diff = JSON.parse(result.stdout) as SnapshotDiff;
    expect(diff.from.id).toBe(1);
    expect(diff.to.id).toBe(2);
    expect(diff.tests.newlyPassing.map((t) => t.id)).toEqual(["packages/api/test/money.test.ts › formatMoney > puts the minus sign before the currency symbol"]);
    expect(diff.tests.newlyFailing.map((t) => t.id)).toContain("packages/api/test/rate-limiter.test.ts › RateLimiter > allows a burst up to capacity");
    expect(diff.tests.newlyFailing.every((t) => t.before === "passed" && t.after === "failed")).toBe(true);
    expect(diff.tests.appeared).toEqual([]);
    expect(diff.tests.disappeared).toEqual([]);
    expect(diff.coverage.files.map((f) => f.path)).toContain("packages/api/src/money.ts");

    const text = shipgate(["diff"], { cwd: dir });
    expect(text.stdout).toContain("Newly failing (");
    expect(text.stdout).toContain("✗ packages/api/test/rate-limiter.test.ts › RateLimiter > allows a burst up to capacity  passed → failed");

    const history = shipgate(["history"], { cwd: dir });
    expect(history.stdout.split("\n")[0]).toMatch(/^id\s+taken at \(UTC\)\s+commit\s+tests\s+line coverage$/);
    expect(history.stdout).toMatch(/#2 .* 14\/19 passed, 4 failing/);
    expect(history.stdout).toMatch(/#1 .* 17\/19 passed, 1 failing/);
  });

  it("lists tests that appeared and disappeared between unrelated reports", () => {
    const dir = tempDir();
    shipgate(["assess", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml")], { cwd: dir });
    shipgate(["assess", "-r", fixture("ingest/junit/vitest-4.1-retry.xml")], { cwd: dir });
    const diff = JSON.parse(shipgate(["diff", "1", "2", "--json"], { cwd: dir }).stdout) as SnapshotDiff;
    expect(diff.tests.appeared.length).toBe(3);
    expect(diff.tests.disappeared.length).toBe(3);
  });

  it("says what to do when there are not two snapshots", () => {
    const dir = tempDir();
    shipgate(["assess", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml")], { cwd: dir });
    const result = shipgate(["diff"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/no snapshot latest~1 in .*shipgate\.db\n {2}→ `shipgate history` lists the snapshots; diff needs two/);
    expect(shipgate(["diff", "abc", "1"], { cwd: dir }).stderr).toMatch(/"abc" is not a snapshot/);
  });

  it("prints an empty history helpfully", () => {
    expect(shipgate(["history"], { cwd: tempDir() }).stdout).toBe("no snapshots yet: run `shipgate assess`\n");
  });
});
