import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withStore } from "../../src/store/open-store.js";
import { shipgate, tempDir } from "./run-cli.js";

/** A plan with two tasks of agent "a", T2 after T1. */
function planProject(): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, "shipgate.plan.yaml"),
    "version: 1\nagents:\n  - { id: a, kind: human }\nphases:\n  - { id: p, name: P }\ntasks:\n" +
      "  - { id: T1, title: one, phase: p, owner: a, estimate: 1 }\n  - { id: T2, title: two, phase: p, owner: a, estimate: 1, depends_on: [T1] }\n",
  );
  return dir;
}

describe("shipgate task and SHIPGATE_NOW", () => {
  it("stamps the plan import and every task move with SHIPGATE_NOW", async () => {
    const dir = planProject();
    const at = (time: string) => ({ cwd: dir, env: { SHIPGATE_NOW: time } });
    expect(shipgate(["task", "start", "--agent", "a"], at("2026-12-01T09:00:00Z")).code).toBe(0);
    expect(shipgate(["task", "done", "T1", "--agent", "a"], at("2026-12-01T10:30:00+01:00")).code).toBe(0);
    expect(shipgate(["task", "block", "T2", "--reason", "no reviewer"], at("2026-12-02T08:00:00Z")).code).toBe(0);
    const events = await withStore(join(dir, ".shipgate/shipgate.db"), { mustExist: true }, (store) => store.listEvents());
    expect(events.map((e) => [e.type, e.subject, e.at])).toEqual([
      ["plan.imported", expect.any(String), "2026-12-01T09:00:00.000Z"],
      ["task.started", "T1", "2026-12-01T09:00:00.000Z"],
      ["task.done", "T1", "2026-12-01T09:30:00.000Z"],
      ["task.blocked", "T2", "2026-12-02T08:00:00.000Z"],
    ]);
  });

  it("refuses a malformed SHIPGATE_NOW as a one-line USAGE error (and its hint), before any store is created", () => {
    const dir = planProject();
    for (const args of [["task", "start", "--agent", "a"], ["task", "list"], ["task", "block", "T1", "--reason", "x"]]) {
      const result = shipgate(args, { cwd: dir, env: { SHIPGATE_NOW: "yesterday" } });
      expect(result).toEqual({
        code: 2,
        stdout: "",
        stderr: 'error: [cli] SHIPGATE_NOW="yesterday" is not an ISO 8601 date-time\n  → e.g. SHIPGATE_NOW=2026-12-01T09:00:00Z, or unset it to use the clock\n',
      });
    }
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  });
});
