import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { TaskRecord } from "../../src/store/types.js";
import { copyOfDemo, shipgate } from "./run-cli.js";

const DATE = ["--date", "2026-11-22"];

/** The bundled example (its plan has 12 tasks for claude, codex and alice), with no .shipgate/ store. */
function project() {
  const dir = copyOfDemo();
  expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  return { dir, run: (...args: string[]) => shipgate(args, { cwd: dir }), hasStore: () => existsSync(join(dir, ".shipgate")) };
}

describe("read-only commands in a folder without a store", () => {
  it("regression: history, diff and baseline list created .shipgate/shipgate.db; they now read an empty history", () => {
    const p = project();
    expect(p.run("history")).toEqual({ code: 0, stdout: "no snapshots yet: run `shipgate assess`\n", stderr: "" });
    expect(p.run("history", "--json")).toMatchObject({ code: 0, stdout: "[]\n" });
    const diff = p.run("diff");
    expect(diff.code).toBe(2);
    expect(diff.stderr).toMatch(/\[diff\] no snapshot latest~1 in .*\.shipgate\/shipgate\.db \(no store yet\)\n {2}→ `shipgate history` lists the snapshots/);
    expect(p.run("baseline", "list")).toEqual({ code: 0, stdout: "no baselines yet: `shipgate baseline set NAME [SNAPSHOT]` names one\n", stderr: "" });
    expect(p.run("baseline", "list", "--json")).toMatchObject({ code: 0, stdout: "[]\n" });
    expect(p.hasStore()).toBe(false);
    // A --db file that does not exist yet is not created either (its folder must exist, as before).
    expect(p.run("history", "--db", "other.db")).toMatchObject({ code: 0, stdout: "no snapshots yet: run `shipgate assess`\n" });
    expect(existsSync(join(p.dir, "other.db"))).toBe(false);
  });

  it("regression: plan show, status and handoff created a store to import the plan; they now work from the plan, every task pending", () => {
    const p = project();
    expect(p.run("plan", "check", ...DATE)).toMatchObject({ code: 0, stderr: "" });
    const show = p.run("plan", "show", "--json", ...DATE);
    expect(show.code).toBe(0);
    const tasks = JSON.parse(show.stdout) as { id: string; state: string | null }[];
    expect(tasks).toHaveLength(12);
    expect(new Set(tasks.map((t) => t.state))).toEqual(new Set(["pending"]));
    expect(p.run("plan", "show", ...DATE)).toMatchObject({ code: 0, stdout: expect.stringContaining("MEAS-001") as unknown });
    expect(p.run("plan", "gantt", ...DATE)).toMatchObject({ code: 0, stdout: expect.stringMatching(/^gantt\n/) as unknown });
    expect(p.run("plan", "status", ...DATE)).toMatchObject({ code: 0, stdout: expect.stringContaining("**0/12 tasks done**") as unknown });
    expect(p.run("plan", "handoff", "claude", ...DATE)).toMatchObject({ code: 0, stdout: expect.stringContaining("## Your tasks, in order") as unknown });
    expect(p.run("plan", "conflicts")).toMatchObject({ code: 0 });
    expect(p.hasStore()).toBe(false);
  });

  it("regression: task list and task next imported the plan into a new store; they now compute the states without writing", () => {
    const p = project();
    const list = p.run("task", "list", "--json");
    expect(list.code).toBe(0);
    const tasks = JSON.parse(list.stdout) as TaskRecord[];
    expect(tasks).toHaveLength(12);
    expect(tasks.every((t) => t.state === "pending")).toBe(true);
    expect(p.run("task", "list", "--state", "done")).toEqual({ code: 0, stdout: "no tasks\n", stderr: "" });
    const next = p.run("task", "next", "--agent", "claude");
    expect(next.code).toBe(0);
    expect(next.stdout).toMatch(/^MEAS-001 .* pending .*\n {2}start it: shipgate task start MEAS-001 --agent claude\n$/);
    expect(p.hasStore()).toBe(false);

    // Commands that change state still create the store, and the read commands then see what they did.
    expect(p.run("task", "start", "MEAS-001", "--agent", "claude", "--force")).toMatchObject({ code: 0 });
    expect(p.hasStore()).toBe(true);
    const after = JSON.parse(p.run("task", "list", "--json").stdout) as TaskRecord[];
    expect(after.find((t) => t.id === "MEAS-001")).toMatchObject({ state: "in_progress", claimedBy: "claude" });
  });
});
