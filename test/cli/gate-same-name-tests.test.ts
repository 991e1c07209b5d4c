import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import type { GateResult } from "../../src/gate/types.js";
import { fixture, shipgate, tempDir } from "./run-cli.js";

const ONE_FAILING = fixture("ingest/junit/vitest-4.1-each-one-failing.xml");
const ALL_PASS = fixture("ingest/junit/vitest-4.1-each-all-pass.xml");
const TWELFTH = "test/each.test.ts › parse > handles a case #12";

/** A project holding the test file the vitest reports name. */
function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "test"));
  writeFileSync(join(dir, "test/each.test.ts"), "// test.each(…)(\"handles a case\", …)\n");
  return dir;
}

function assess(dir: string, report: string) {
  const result = shipgate(["assess", "-r", report, "--gate", "release", "--json"], { cwd: dir });
  return { code: result.code, out: JSON.parse(result.stdout) as AssessSummary & { gate: GateResult } };
}
const condition = (gate: GateResult, id: string) => gate.conditions.find((c) => c.id === id);

describe("shipgate assess --gate release with same-named test cases", () => {
  it("regression: 1 failing case of 17 same-named cases is tests.failed 1 and NO-GO, not '0 failed, 1 flaky'", () => {
    const dir = project();
    const { code, out } = assess(dir, ONE_FAILING);
    expect(code).toBe(1);
    expect(out.tests).toMatchObject({ total: 20, passed: 19, failed: 1 });
    expect(out.gate.verdict).toBe("NO-GO");
    const failed = condition(out.gate, "tests.failed");
    expect(failed).toMatchObject({ verdict: "fail", value: 1 });
    expect(failed?.items.map((i) => i.key)).toEqual([TWELFTH]);
    expect(out.gate.flaky).toEqual([]);
  });

  it("names the same case as regressed on the next run, by its stable identity", () => {
    const dir = project();
    const before = assess(dir, ALL_PASS);
    expect(before.out.tests).toMatchObject({ total: 20, passed: 20, failed: 0 });
    expect(condition(before.out.gate, "tests.failed")).toMatchObject({ verdict: "pass", value: 0 });
    const after = assess(dir, ONE_FAILING);
    expect(after.code).toBe(1);
    expect(condition(after.out.gate, "new:tests.regressed")).toMatchObject({ verdict: "fail", value: 1 });
    expect(condition(after.out.gate, "new:tests.regressed")?.items.map((i) => i.key)).toEqual([TWELFTH]);
  });
});
