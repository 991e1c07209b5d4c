import { describe, expect, it } from "vitest";
import { copyOfDemo, shipgate } from "./run-cli.js";

interface Summary {
  collectors: { name: string }[];
  tests: { total: number };
}

describe("assess --only / --skip", () => {
  it("reads only the named collectors, or all but the skipped ones (one failing collector blocked every run)", () => {
    const dir = copyOfDemo();
    const only = shipgate(["assess", "--no-run", "--only", "worker-pytest", "--json"], { cwd: dir });
    expect(only.code, only.stderr).toBe(0);
    const onlySummary = JSON.parse(only.stdout) as Summary;
    expect(onlySummary.collectors.map((c) => c.name)).toEqual(["worker-pytest"]);

    const skip = shipgate(["assess", "--no-run", "--skip", "deps-audit", "--skip", "worker-mypy", "--json"], { cwd: dir });
    expect(skip.code, skip.stderr).toBe(0);
    expect((JSON.parse(skip.stdout) as Summary).collectors.map((c) => c.name)).toEqual(["api-vitest", "api-static", "worker-ruff", "worker-pytest"]);
  });

  it("refuses a name that is no collector, listing the collectors (a typo would silently measure less)", () => {
    const dir = copyOfDemo();
    const run = shipgate(["assess", "--no-run", "--skip", "npm-audit"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("[assess] --skip npm-audit: no such collector in shipgate.yaml");
    expect(run.stderr).toContain("its collectors: api-vitest, api-static, worker-ruff, worker-mypy, worker-pytest, deps-audit");
    expect(shipgate(["history", "--json"], { cwd: dir }).stdout.trim()).toBe("[]");
  });
});
