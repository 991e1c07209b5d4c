import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/config/load-plan.js";
import type { Plan, PlanTask } from "../../src/plan/types.js";
import { BRIEF_MAX_LIST, renderBrief, type BriefInput } from "../../src/report/brief.js";

const DEMO = fileURLToPath(new URL("../../examples/demo/shipgate.plan.yaml", import.meta.url));
const demo = () => parsePlan(readFileSync(DEMO, "utf8"), "shipgate.plan.yaml", "yaml");
const WORKSPACE = "/repo/.shipgate/worktrees/TEST-001";

function input(plan: Plan, over: Partial<BriefInput> = {}): BriefInput {
  return { plan, taskId: "TEST-001", done: [], attempt: 1, previousFailure: null, workspace: WORKSPACE, ...over };
}
const section = (brief: string, heading: string) => {
  const from = brief.indexOf(`## ${heading}`);
  const to = brief.indexOf("\n## ", from + 1);
  return brief.slice(from, to < 0 ? undefined : to + 1);
};

function task(id: string, extra: Partial<PlanTask> = {}): PlanTask {
  return { id, title: `Task ${id}`, phase: "p", priority: "P2", owner: "a", estimate: { optimistic: 1, likely: 1, pessimistic: 1 }, dependsOn: [], files: [], reads: [], deliverables: [], acceptance: null, readyWhen: null, tags: [], ...extra };
}
function planOf(tasks: PlanTask[], extra: Partial<Plan> = {}): Plan {
  return {
    version: 1, project: null, start: "2026-03-02", commitConvention: "{task}: {summary}",
    agents: [{ id: "a", kind: "cli", command: "agent {prompt_file}", ratePerHour: null, capacity: 8, emails: [], branch: null }],
    phases: [{ id: "p", name: "p", start: null, dependsOn: [] }], tasks, risks: [], milestones: [], ...extra,
  };
}

describe("renderBrief", () => {
  it("tells a cli agent its task, its files, what others own, how it is judged and what is done (the demo plan, first attempt)", () => {
    const plan = demo();
    const done = [{ id: "MEAS-001", title: "Take the baseline snapshot and publish the readiness score" }, { id: "MEAS-002", title: "Agree on the release gate and its waivers" }];
    expect(renderBrief(input(plan, { done }))).toMatchInlineSnapshot(`
      "# TEST-001 — Fix the negative-amount bug in formatMoney

      You are **codex**, a command-line agent, working on one task of the plan **demo hardening**, run by shipgate. Work in \`/repo/.shipgate/worktrees/TEST-001\` and nowhere else. When you exit, shipgate checks your work (see *When you are done*); the task is done only when every check passes.

      - Task **TEST-001**, phase **tests** (Test hardening), priority **P0**
      - Attempt 1 of 3

      ## Deliverables

      - formatMoney(-500, "EUR") returns "-€5.00"

      ## Files

      You may change only these (shipgate checks your diff: a change to any other file fails the attempt):

      - \`packages/api/src/money.ts\`

      Read these for context; do not change them:

      - \`packages/api/test/money.test.ts\`

      Do not touch these, except where they are your files above: they belong to tasks not done yet.

      - \`.github/workflows/*.yml\` — alice (SEC-002)
      - \`.github/workflows/shipgate.yml\` — claude (OPS-002)
      - \`packages/api/src/health.ts\` — codex (OPS-001)
      - \`packages/api/src/index.ts\` — codex (OPS-001)
      - \`packages/api/test/rate-limiter.test.ts\` — codex (TEST-003)
      - \`packages/api/test/validator.test.ts\` — codex (TEST-002)
      - \`SECURITY.md\` — alice (SEC-002)
      - \`services/worker/src/worker/backoff.py\` — claude (SEC-001)
      - \`services/worker/tests/test_backoff.py\` — claude (TEST-004)

      ## When you are done

      Commit your work with a message in the plan's convention \`[{task}] {summary}\`, e.g. \`[TEST-001] Fix the negative-amount bug in formatMoney\`. Then exit.

      The acceptance command: shipgate runs it in your workspace after you exit; your work counts only when it passes.

      \`\`\`sh
      cd packages/api && ../../../../node_modules/.bin/vitest run test/money.test.ts
      \`\`\`

      ## Done already

      - MEAS-001 — Take the baseline snapshot and publish the readiness score (this task builds on it)
      - MEAS-002 — Agree on the release gate and its waivers
      "
    `);
  });

  it("says why the last attempt failed, with its output cleaned and fenced longer than any backtick run in it", () => {
    const tail = "\u001b[31mFAIL\u001b[0m test/money.test.ts > formats -500\n\u001b]8;;https://evil.example\u0007link\u001b]8;;\u0007\n```\nexpected '-€5.00', got '€-5.00'\n````\r\nbell\u0007 done\n";
    const brief = renderBrief(input(demo(), { attempt: 2, previousFailure: { outcome: "failed", note: "acceptance exited 1", tail } }));
    expect(section(brief, "The last attempt")).toMatchInlineSnapshot(`
      "## The last attempt

      Attempt 2 of 3: the last attempt failed: acceptance exited 1

      Its output ended with:

      \`\`\`\`\`text
      FAIL test/money.test.ts > formats -500
      link
      \`\`\`
      expected '-€5.00', got '€-5.00'
      \`\`\`\`
      bell done
      \`\`\`\`\`

      Fix the cause; do not repeat what failed.

      "
    `);
    expect(brief).toContain("- Attempt 2 of 3\n");
  });

  it("words each outcome, and a retry whose failure is not known", () => {
    const words = (["timeout", "error", "lost", "cancelled"] as const).map((outcome) =>
      renderBrief(input(demo(), { attempt: 3, previousFailure: { outcome, note: null, tail: "" } })).split("\n").find((l) => l.startsWith("Attempt 3")),
    );
    expect(words).toMatchInlineSnapshot(`
      [
        "Attempt 3 of 3: the last attempt failed (timed out).",
        "Attempt 3 of 3: the last attempt failed (could not run).",
        "Attempt 3 of 3: the last attempt failed (lost: its worker stopped renewing the lease).",
        "Attempt 3 of 3: the last attempt failed (cancelled).",
      ]
    `);
    expect(section(renderBrief(input(demo(), { attempt: 2, previousFailure: null })), "The last attempt")).toMatchInlineSnapshot(`
      "## The last attempt

      Attempt 2 of 3: an earlier attempt did not finish. Check what it left in the workspace before you start over.

      "
    `);
  });

  it("names the gate, warns instead of failing under ownership: warn, and says when there is no acceptance or no file", () => {
    const plan = planOf([task("A-1", { title: "Write the `docs`", deliverables: ["a *page*"] })], {
      execution: { workspace: "in-place", leaseSeconds: 60, heartbeatSeconds: 15, maxParallel: null, ownership: "warn", gate: "release" },
    });
    expect(renderBrief({ plan, taskId: "A-1", done: [], attempt: 1, previousFailure: null, workspace: "/repo", maxAttempts: 1 })).toMatchInlineSnapshot(`
      "# A-1 — Write the \\\`docs\\\`

      You are **a**, a command-line agent, working on one task of the plan, run by shipgate. Work in \`/repo\` and nowhere else. When you exit, shipgate checks your work (see *When you are done*); the task is done only when every check passes.

      - Task **A-1**, phase **p**, priority **P2**
      - Attempt 1 of 1

      ## Deliverables

      - a \\*page\\*

      ## Files

      This task changes no files: shipgate checks your diff, and a change to any other file is reported.

      ## When you are done

      Commit your work with a message in the plan's convention \`{task}: {summary}\`, e.g. \`\` A-1: Write the \`docs\` \`\`. Then exit.

      This task has no acceptance command: it counts as done when you exit with status 0 and your changes stay within your files.

      Then the quality gate **release** of shipgate.yaml must pass in your workspace (\`shipgate gate --gate release\`).

      ## Done already

      Nothing yet: this is among the first tasks.
      "
    `);
  });

  it("bounds every list: the files of open tasks, what is done, the task's own patterns", () => {
    const mine = task("ME", { files: Array.from({ length: 60 }, (_, i) => `mine/${i}.ts`), dependsOn: ["D-69"] });
    const others = Array.from({ length: 200 }, (_, i) => task(`O-${i}`, { files: [`other/${String(i).padStart(3, "0")}.ts`] }));
    const done = Array.from({ length: 70 }, (_, i) => ({ id: `D-${i}`, title: `Done ${i}` }));
    const brief = renderBrief({ plan: planOf([mine, ...others]), taskId: "ME", done, attempt: 1, previousFailure: null, workspace: "/w" });
    const files = section(brief, "Files");
    expect(files.split("\n").filter((l) => l.startsWith("- `other/"))).toHaveLength(BRIEF_MAX_LIST);
    expect(files).toContain("- … and 150 more\n");
    expect(files).toContain("- … and 10 more\n");
    const doneList = section(brief, "Done already").split("\n").filter((l) => l.startsWith("- "));
    expect(doneList[0]).toBe("- D-69 — Done 69 (this task builds on it)");
    expect(doneList.at(-1)).toBe("- … and 20 more");
  });

  it("leaves out the files of tasks done, and marks an own pattern another open task shares", () => {
    const plan = planOf([
      task("ME", { files: ["src/api/**"], reads: ["docs/api.md"] }),
      task("DONE", { files: ["src/api/old.ts"] }),
      task("OPEN", { owner: "b", files: ["src/api/client.ts", "README.md"] }),
      task("SAME", { owner: "b", files: ["src/api/**"] }),
    ]);
    expect(section(renderBrief({ plan, taskId: "ME", done: [{ id: "DONE", title: "x" }], attempt: 1, previousFailure: null, workspace: "/w" }), "Files")).toMatchInlineSnapshot(`
      "## Files

      You may change only these (shipgate checks your diff: a change to any other file fails the attempt):

      - \`src/api/**\` — also in b (OPEN), b (SAME), not done yet: change only what this task needs

      Read these for context; do not change them:

      - \`docs/api.md\`

      Do not touch these, except where they are your files above: they belong to tasks not done yet.

      - \`README.md\` — b (OPEN)
      - \`src/api/client.ts\` — b (OPEN)

      "
    `);
  });
});
