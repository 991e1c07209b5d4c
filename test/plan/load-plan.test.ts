import { beforeAll, describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPlan, PLAN_FILE } from "../../src/config/load-plan.js";
import { ShipgateError } from "../../src/errors.js";

const GEN = fileURLToPath(new URL("../support/generate.mjs", import.meta.url));
const DIR = fileURLToPath(new URL("../../.test-tmp/plan-load/", import.meta.url));

const PLAN = `version: 1
agents:
  - id: claude
    kind: cli
phases:
  - id: build
    name: Build
tasks:
  - id: T1
    title: one
    phase: build
    owner: claude
    estimate: 2
  - id: T2
    title: two
    phase: build
    owner: bob
    estimate: { optimistic: 3, likely: 2, pessimistic: 1 }
    depends_on: [T1, T9]
`;

/** Writes `text` to DIR/name and returns the error loadPlan throws for it. */
async function errorOf(name: string, text: string | null): Promise<ShipgateError> {
  if (text !== null) writeFileSync(join(DIR, name), text);
  try {
    await loadPlan(name, { cwd: DIR });
  } catch (error) {
    expect(error).toBeInstanceOf(ShipgateError);
    return error as ShipgateError;
  }
  throw new Error("expected the plan to be rejected");
}

beforeAll(() => {
  mkdirSync(DIR, { recursive: true });
});

describe("loadPlan", () => {
  it("reads a valid plan with its hash and text", async () => {
    const text = PLAN.replace("owner: bob", "owner: claude").replace("{ optimistic: 3, likely: 2, pessimistic: 1 }", "3").replace("T1, T9", "T1");
    writeFileSync(join(DIR, PLAN_FILE), text);
    const loaded = await loadPlan(PLAN_FILE, { cwd: DIR });
    expect(loaded.file).toBe(join(DIR, PLAN_FILE));
    expect(loaded.hash).toBe(createHash("sha256").update(readFileSync(join(DIR, PLAN_FILE))).digest("hex"));
    expect(loaded.text).toBe(text);
    expect(loaded.plan.tasks.map((t) => [t.id, t.dependsOn])).toEqual([["T1", []], ["T2", ["T1"]]]);
  });

  it("lists every problem with file:line in one PLAN_INVALID", async () => {
    const error = await errorOf("bad.yaml", PLAN);
    expect(error.code).toBe("PLAN_INVALID");
    expect(error.message).toMatchInlineSnapshot(`
      "[plan] bad.yaml:17: tasks[1].owner: unknown agent "bob"
      [plan] bad.yaml:18: tasks[1].estimate: must be optimistic ≤ likely ≤ pessimistic (got 3, 2, 1)
      [plan] bad.yaml:19: tasks[1].depends_on[1]: unknown task "T9""
    `);
    expect(error.hint).toMatch(/docs\/plan\.md/);
  });

  it("gives the line of a YAML syntax error", async () => {
    const error = await errorOf("syntax.yaml", "version: 1\ntasks:\n  - id: [T1\n");
    expect(error.code).toBe("PLAN_INVALID");
    expect(error.message).toMatch(/^\[plan\] syntax\.yaml:4: not valid YAML: /);
  });

  it("names lines in a JSON plan", async () => {
    const data = {
      version: 1,
      agents: [{ id: "claude", kind: "cli" }],
      phases: [{ id: "build", name: "Build" }],
      tasks: [
        { id: "T1", title: "one", phase: "build", owner: "claude", estimate: 1 },
        { id: "T1", title: "again", phase: "buld", owner: "claude", estimate: 1 },
      ],
    };
    const error = await errorOf("plan.json", JSON.stringify(data, null, 2));
    expect(error.message).toMatchInlineSnapshot(`
      "[plan] plan.json:24: tasks[1].id: duplicate task id "T1" (first used by tasks[0] at line 17)"
    `);
  });

  it("reads JSON by its first character whatever the extension, and gives the line of a syntax error", async () => {
    const error = await errorOf("plan.txt", '{\n  "version": 1,\n  "tasks": [\n    {"id": "T1",}\n  ]\n}\n');
    expect(error.code).toBe("PLAN_INVALID");
    expect(error.message).toMatch(/^\[plan\] plan\.txt:4: not valid JSON: /);
  });

  it("reads a file with a byte-order mark", async () => {
    const error = await errorOf("bom.yaml", `\uFEFF${PLAN}`);
    expect(error.message.split("\n")[0]).toBe('[plan] bom.yaml:17: tasks[1].owner: unknown agent "bob"');
  });

  it("says to pass --plan when the file is missing", async () => {
    const error = await errorOf("missing.plan.yaml", null);
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toBe("[plan] missing.plan.yaml: no such file");
    expect(error.hint).toMatch(/--plan/);
  });

  it("validates a generated 2 000-task plan without problems", async () => {
    execFileSync(process.execPath, [GEN, "plan", join(DIR, "gen-2000.yaml"), "2000"]);
    const { plan } = await loadPlan("gen-2000.yaml", { cwd: DIR });
    expect(plan.tasks).toHaveLength(2000);
    expect(plan.agents.map((a) => a.id)).toEqual(["claude", "codex", "gemini", "human-1", "human-2", "ci-bot"]);
    expect(plan.tasks.some((t) => t.dependsOn.length > 1)).toBe(true);
  });
});

describe("the published plan JSON Schema", () => {
  it("matches the code (npm run schema rewrites it)", async () => {
    const { planJsonSchema } = await import("../../src/plan/validate-plan.js");
    const published = JSON.parse(readFileSync(new URL("../../schema/shipgate.plan.schema.json", import.meta.url), "utf8")) as unknown;
    expect(published).toEqual(planJsonSchema());
  });
});

