import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import type { GateResult } from "../../src/gate/types.js";
import { scratchRepo } from "../scratch-repo.js";
import { fixture, shipgate } from "./run-cli.js";

const PASS = fixture("cli/show/vitest-4.1-price-pass.xml");
const FAIL = fixture("cli/show/vitest-4.1-price-discount-fails.xml");
const LCOV = fixture("cli/show/vitest-4.1-coverage-v8-price.info");
const DISCOUNT = "test/price.test.js › price > applies a discount";

const CONFIG = `version: 1
gates:
  ship:
    conditions:
      - { metric: tests.failed, op: "==", threshold: 0, scope: new }
      - { metric: tests.regressed, op: "==", threshold: 0, scope: new }
`;

/** The project the fixtures were written by, committed; its reports go to the untracked reports/ folder. */
function project() {
  const repo = scratchRepo("show-");
  repo.write({
    "src/price.js": "export const total = (items) => items.reduce((sum, i) => sum + i.price * i.qty, 0);\nexport const discount = (amount, pct) => Math.round(amount * (100 - pct)) / 100;\n",
    "test/price.test.js": "// see test/fixtures/cli/show/README.md\n",
    "shipgate.yaml": CONFIG,
    ".gitignore": ".shipgate/\nreports/\n",
  });
  repo.commit("price");
  const reports = (junit: string) => {
    mkdirSync(join(repo.dir, "reports"), { recursive: true });
    copyFileSync(junit, join(repo.dir, "reports/junit.xml"));
    copyFileSync(LCOV, join(repo.dir, "reports/lcov.info"));
  };
  const run = (...args: string[]) => shipgate(args, { cwd: repo.dir });
  const assess = (...args: string[]) => run("assess", "-r", "reports/junit.xml", "-r", "reports/lcov.info", ...args);
  return { ...repo, reports, run, assess };
}

const newConditions = (gate: GateResult) => gate.conditions.map((c) => ({ id: c.id, value: c.value, items: c.items.map((i) => i.key) }));

describe("previous baseline over re-runs on the same inputs", () => {
  it("regression: assessing the same commit and reports again no longer hides a regression behind the re-run", () => {
    const p = project();
    p.reports(PASS);
    expect(p.assess().code).toBe(0);
    // The bug the failing report was written with, committed (one commit with both results would be flakiness).
    p.write({ "src/price.js": "export const total = (items) => items.reduce((sum, i) => sum + i.price * i.qty, 0);\nexport const discount = (amount, pct) => Math.round(amount * (100 + pct)) / 100;\n" });
    p.commit("discount bug");
    p.reports(FAIL);
    const first = p.assess("--gate", "ship", "--json");
    expect(first.code).toBe(1);
    const a = JSON.parse(first.stdout) as AssessSummary & { gate: GateResult };
    expect(a.snapshot.id).toBe(2);
    expect(a.gate.baseline.snapshot?.id).toBe(1);
    const expected = [
      { id: "new:tests.failed", value: 1, items: [DISCOUNT] },
      { id: "new:tests.regressed", value: 1, items: [DISCOUNT] },
    ];
    expect(newConditions(a.gate)).toEqual(expected);

    // Nothing fixed: the same commit, the same reports, the same config, twice more.
    for (const id of [3, 4]) {
      const again = p.assess("--gate", "ship", "--json");
      expect(again.code).toBe(1);
      const out = JSON.parse(again.stdout) as AssessSummary & { gate: GateResult };
      expect(out.snapshot.id).toBe(id);
      expect(out.gate.baseline.snapshot?.id).toBe(1);
      expect(newConditions(out.gate)).toEqual(expected);
    }
    const gate = p.run("gate", "-g", "ship", "--snapshot", "3");
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain(`✗ ${DISCOUNT}`);

    // Once the inputs change, the re-runs are the previous snapshot again.
    p.write({ "src/price.js": "export const total = (items) => items.reduce((sum, i) => sum + i.price * i.qty, 0);\nexport const discount = (amount, pct) => Math.round(amount * (100 - pct)) / 100;\n" });
    p.commit("fix the discount");
    p.reports(PASS);
    const fixed = JSON.parse(p.assess("--gate", "ship", "--json").stdout) as AssessSummary & { gate: GateResult };
    expect(fixed.gate).toMatchObject({ verdict: "GO", baseline: { snapshot: { id: 4 } } });
  });

  it("says why there is no previous snapshot when every earlier one measured the same inputs", () => {
    const p = project();
    p.reports(FAIL);
    p.assess();
    const out = JSON.parse(p.assess("--gate", "ship", "--json").stdout) as AssessSummary & { gate: GateResult };
    expect(out.gate.baseline.snapshot).toBeNull();
    expect(out.gate.baseline.missing).toMatch(/every snapshot before snapshot 2 on branch main measured the same inputs/);
  });
});

describe("shipgate show", () => {
  it("prints a stored snapshot exactly as assess printed it (text, --json, --markdown) and stores nothing", () => {
    const p = project();
    p.reports(FAIL);
    const text = p.assess();
    p.reports(PASS);
    const json = p.assess("--json");
    const markdown = p.assess("--markdown");
    expect([text.code, json.code, markdown.code]).toEqual([0, 0, 0]);
    expect((JSON.parse(json.stdout) as AssessSummary).coverage.files.map((f) => f.name)).toEqual(["src/price.js"]);

    const shown = p.run("show", "1");
    expect(shown).toMatchObject({ code: 0, stderr: "" });
    expect(shown.stdout).toBe(text.stdout);
    expect(shown.stdout).toContain(`✗ ${DISCOUNT}`);
    expect(p.run("show", "2", "--json").stdout).toBe(json.stdout);
    expect(p.run("show", "--markdown").stdout).toBe(markdown.stdout);
    expect(p.run("show", "latest~1", "--json").stdout).toBe(json.stdout);
    expect(p.run("show", "snapshot:1").stdout).toBe(text.stdout);
    expect(p.run("show", "branch:main", "--markdown").stdout).toBe(markdown.stdout);
    expect(p.run("show", "ref:HEAD", "--markdown").stdout).toBe(markdown.stdout);
    // The newest (3) measured what 2 did: its previous is 1.
    expect(p.run("show", "previous").stdout).toBe(text.stdout);
    expect(p.run("baseline", "set", "before-fix", "1").code).toBe(0);
    expect(p.run("show", "before-fix").stdout).toBe(text.stdout);

    // Nothing new was stored, no collector ran.
    expect((JSON.parse(p.run("history", "--json").stdout) as unknown[]).length).toBe(3);
  });

  it("exits 2 with what to do for a snapshot that does not exist or a reference it cannot read", () => {
    const p = project();
    const none = p.run("show");
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/\[store\] no snapshot in .*shipgate\.db \(there is no store yet\)\n {2}→ run `shipgate assess` first/);
    expect(existsSync(join(p.dir, ".shipgate"))).toBe(false);
    p.reports(PASS);
    p.assess();
    expect(p.run("show", "latest~1")).toMatchObject({ code: 2, stderr: expect.stringMatching(/\[show\] no snapshot latest~1 in .*\n {2}→ `shipgate history` lists the snapshots/) as unknown });
    expect(p.run("show", "7")).toMatchObject({ code: 2, stderr: expect.stringMatching(/\[show\] no snapshot 7 in /) as unknown });
    expect(p.run("show", "nope")).toMatchObject({ code: 2, stderr: expect.stringMatching(/\[show\] "nope" does not exist in .*\n.*baseline set nope/) as unknown });
    expect(p.run("show", "ref:no-such-ref")).toMatchObject({ code: 2, stderr: expect.stringMatching(/git cannot resolve "no-such-ref"/) as unknown });
    expect(p.run("show", "branch:feature")).toMatchObject({ code: 2, stderr: expect.stringMatching(/\[show\] branch:feature names no snapshot: no snapshot was taken on branch feature/) as unknown });
    expect(p.run("show", "what:ever")).toMatchObject({ code: 2, stderr: expect.stringMatching(/\[show\] "what:ever" names no snapshot: use an id from/) as unknown });
  });
});
