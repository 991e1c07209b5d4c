import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { bin, copyOfDemo, shipgate } from "./run-cli.js";

const DATE = ["--date", "2026-11-22"];
/** The plan text with the items under `tasks:` in reverse order (comments stay with the task after them). */
function reverseTasks(text: string): string {
  const start = text.indexOf("\ntasks:\n") + "\ntasks:\n".length;
  const end = text.indexOf("\nrisks:");
  const items = text.slice(start, end).split(/\n(?= {2}- id: )/).map((s) => s.replace(/\n+$/, ""));
  return `${text.slice(0, start)}${items.reverse().join("\n")}\n${text.slice(end)}`;
}
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

describe("shipgate plan on the bundled example plan", () => {
  it("checks it: critical path, P80/P95, schedule, cost, and no file shared by parallel tracks", () => {
    const dir = copyOfDemo();
    const result = shipgate(["plan", "check", ...DATE], { cwd: dir });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("12 tasks in 4 phases, 3 agents, 3 risks, 2 milestones");
    expect(result.stdout).toContain("critical path: MEAS-001 → MEAS-002 → TEST-002 → OPS-001 → REL-001 (5 tasks)");
    expect(result.stdout).toMatch(/duration: expected 14\.8 h .* P80 [\d.]+ h · P95 [\d.]+ h/);
    expect(result.stdout).toContain("conflicts: 0/11 files have overlap");
    const json = JSON.parse(shipgate(["plan", "check", "--json", ...DATE], { cwd: dir }).stdout) as { timing: { critical: string[] }; schedule: { start: string; end: string } };
    expect(json.timing.critical).toEqual(["MEAS-001", "MEAS-002", "TEST-002", "OPS-001", "REL-001"]);
    expect(json.schedule.start).toBe("2026-11-23");
  });

  it("writes a handoff for each agent, the status document, the conflict matrix and a Gantt SVG", () => {
    const dir = copyOfDemo();
    for (const agent of ["claude", "codex", "alice"]) {
      const handoff = shipgate(["plan", "handoff", agent, ...DATE], { cwd: dir });
      expect(handoff.code).toBe(0);
      for (const section of ["## Your role", "## Your tasks, in order", "## Files you own", "## Files you must not modify", "## What to wait for", "## Validation checklist", "## Commit messages", "## Success criteria"]) {
        expect(handoff.stdout, `${agent}: ${section}`).toContain(section);
      }
    }
    const claude = shipgate(["plan", "handoff", "claude", ...DATE], { cwd: dir }).stdout;
    expect(claude).toContain("- **SEC-002** (alice: Add a SECURITY.md and a dependency-audit step to CI, now pending) before OPS-002. You'll know it is ready when this passes: `test -f SECURITY.md`");
    expect(claude).toContain("- `packages/api/src/money.ts` — codex (TEST-001)");
    expect(claude).toContain("`[{task}] {summary}`, e.g. `[MEAS-001] Take the baseline snapshot and publish the readiness score`");

    const status = shipgate(["plan", "status", "--out", "docs/STATUS.md", ...DATE], { cwd: dir });
    expect(status.code).toBe(0);
    const doc = readFileSync(join(dir, "docs/STATUS.md"), "utf8");
    for (const section of ["## Phases", "## Tracks", "## File ownership", "## Deliverables", "## Risks", "## Timeline", "```mermaid"]) expect(doc).toContain(section);
    expect(doc).toContain("**0/12 tasks done**");

    const conflicts = shipgate(["plan", "conflicts"], { cwd: dir });
    expect(conflicts.code).toBe(0);
    expect(conflicts.stdout).toContain("Phase tests");
    expect(conflicts.stdout).toMatch(/packages\/api\/src\/money\.ts\s+\.\s+W/);
    expect(conflicts.stdout).toMatch(/0\/11 files have overlap\n$/);

    expect(shipgate(["plan", "gantt", "--svg", "out/gantt.svg", ...DATE], { cwd: dir }).code).toBe(0);
    const svg = readFileSync(join(dir, "out/gantt.svg"), "utf8");
    const parser = new SaxesParser();
    let rects = 0;
    parser.on("opentag", (tag) => {
      if (tag.name === "rect") rects++;
    });
    parser.write(svg).close();
    expect(rects).toBeGreaterThanOrEqual(12);
    expect(shipgate(["plan", "gantt", ...DATE], { cwd: dir }).stdout).toMatch(/^gantt\n/);
  });

  it("rejects the plan with an injected cycle and a dangling dependency at their lines, then flags a file shared by parallel tracks", () => {
    const dir = copyOfDemo();
    const file = join(dir, "shipgate.plan.yaml");
    const original = readFileSync(file, "utf8");
    const broken = original
      // A cycle: TEST-002 → TEST-003 → TEST-002.
      .replace("    depends_on: [MEAS-001]\n    files: [packages/api/test/validator.test.ts]", "    depends_on: [MEAS-001, TEST-003]\n    files: [packages/api/test/validator.test.ts]")
      .replace("    depends_on: [MEAS-001]\n    files: [packages/api/test/rate-limiter.test.ts]", "    depends_on: [MEAS-001, TEST-002]\n    files: [packages/api/test/rate-limiter.test.ts]")
      // A dangling dependency.
      .replace("    depends_on: [SEC-002]\n", "    depends_on: [SEC-002, SEC-009]\n")
      // claude's worker test also rewrites codex's money.ts, in parallel.
      .replace("    files: [services/worker/tests/test_backoff.py]", "    files: [services/worker/tests/test_backoff.py, packages/api/src/money.ts]");
    writeFileSync(file, broken);
    const rejected = shipgate(["plan", "check"], { cwd: dir });
    expect(rejected.code).toBe(2);
    expect(rejected.stdout).toBe("");
    expect(rejected.stderr).toContain(`shipgate.plan.yaml:${lineOf(broken, "depends_on: [SEC-002, SEC-009]")}: tasks[10].depends_on[1]: unknown task "SEC-009"`);
    expect(rejected.stderr).toMatch(/shipgate\.plan\.yaml:\d+: .*cycle.*TEST-002 → TEST-003 → TEST-002|shipgate\.plan\.yaml:\d+: .*cycle.*TEST-003 → TEST-002 → TEST-003/);
    expect(rejected.stderr).not.toMatch(/at .*\.js:\d+/);

    // Without the cycle and the dangling dependency the plan is valid, and the shared file is flagged.
    writeFileSync(file, broken.replace("depends_on: [MEAS-001, TEST-003]", "depends_on: [MEAS-001]").replace("depends_on: [SEC-002, SEC-009]", "depends_on: [SEC-002]"));
    const flagged = shipgate(["plan", "conflicts"], { cwd: dir });
    expect(flagged.code).toBe(1);
    expect(flagged.stdout).toMatch(/✗ TEST-001 \(codex, packages\/api\/src\/money\.ts\) × TEST-004 \(claude, packages\/api\/src\/money\.ts\): both write|✗ TEST-004 \(claude, packages\/api\/src\/money\.ts\) × TEST-001 \(codex, packages\/api\/src\/money\.ts\): both write/);
    expect(flagged.stdout).toMatch(/1\/11 files have overlap; 1 conflict\(s\)/);
    expect(shipgate(["plan", "check"], { cwd: dir }).code).toBe(1);
  });

  it("regression: reports schema errors, unknown references and cycles in one run (a task's schema error hid its cycle and references)", () => {
    const dir = copyOfDemo();
    const file = join(dir, "shipgate.plan.yaml");
    const broken = readFileSync(file, "utf8")
      // TEST-002 has a bad estimate, waits for TEST-003 (which waits for it) and for a task that does not exist.
      .replace("    estimate: { optimistic: 2, likely: 4, pessimistic: 8 }\n    depends_on: [MEAS-001]\n    files: [packages/api/test/validator.test.ts]", "    estimate: soon\n    depends_on: [MEAS-001, TEST-003, TEST-999]\n    files: [packages/api/test/validator.test.ts]")
      .replace("    depends_on: [MEAS-001]\n    files: [packages/api/test/rate-limiter.test.ts]", "    depends_on: [MEAS-001, TEST-002]\n    files: [packages/api/test/rate-limiter.test.ts]")
      // OPS-002 has an unknown key and an unknown owner.
      .replace("    owner: claude\n    estimate: { optimistic: 1, likely: 2, pessimistic: 4 }\n    depends_on: [SEC-002]", "    owner: claud\n    estimate: { optimistic: 1, likely: 2, pessimistic: 4 }\n    depends_on: [SEC-002]\n    colour: red");
    writeFileSync(file, broken);
    const rejected = shipgate(["plan", "check"], { cwd: dir });
    expect(rejected.code).toBe(2);
    const at = (needle: string) => `shipgate.plan.yaml:${lineOf(broken, needle)}`;
    const lines = rejected.stderr.split("\n").filter((l) => l.startsWith("[plan]") || l.startsWith("error: [plan]")).map((l) => l.replace(/^error: /, ""));
    expect(lines).toEqual([
      `[plan] ${at("id: TEST-002")}: tasks[3]: dependency cycle TEST-002 → TEST-003 → TEST-002`,
      `[plan] ${at("estimate: soon")}: tasks[3].estimate: must be hours, as a number or { optimistic, likely, pessimistic } (got "soon")`,
      `[plan] ${at("depends_on: [MEAS-001, TEST-003, TEST-999]")}: tasks[3].depends_on[2]: unknown task "TEST-999"`,
      `[plan] ${at("owner: claud\n")}: tasks[10].owner: unknown agent "claud"`,
      `[plan] ${at("colour: red")}: tasks[10]: unknown key "colour"`,
    ]);
  });

  it("regression: --git checks commits against the plan's paths when the plan lives in a sub-directory", () => {
    const repo = copyOfDemo();
    execFileSync("sh", ["-c", 'mkdir app && for f in *; do [ "$f" = app ] || mv "$f" app/; done'], { cwd: repo });
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], { cwd: repo, encoding: "utf8" });
    git("add", "-A");
    git("commit", "-qm", "base");
    git("branch", "-M", "main");
    git("checkout", "-qb", "agent/claude/worker-tests");
    // claude changes its own test file, and codex's money.ts.
    writeFileSync(join(repo, "app/services/worker/tests/test_backoff.py"), `${readFileSync(join(repo, "app/services/worker/tests/test_backoff.py"), "utf8")}\n# more\n`);
    writeFileSync(join(repo, "app/packages/api/src/money.ts"), `${readFileSync(join(repo, "app/packages/api/src/money.ts"), "utf8")}\n// touched\n`);
    git("commit", "-qam", "[TEST-004] more tests");
    const result = shipgate(["plan", "conflicts", "--git", "main", "--cwd", "app"], { cwd: repo });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("claude: 1 commit(s), 2 file(s)");
    expect(result.stdout).toMatch(/✗ [0-9a-f]{10} by claude changed packages\/api\/src\/money\.ts, owned by codex/);
    expect(result.stdout).not.toContain("test_backoff.py, which");
    expect(result.stdout).toContain("1 violation(s) of declared ownership");
  });

  it.each([
    ["as written", (text: string) => text],
    ["with its tasks listed backwards (file order against dependency order)", (text: string) => reverseTasks(text)],
  ])("lists the tasks in one order in plan show, the Gantt chart, the handoffs, the status and task next — the plan %s", (_name, edit) => {
    const dir = copyOfDemo();
    const file = join(dir, "shipgate.plan.yaml");
    writeFileSync(file, edit(readFileSync(file, "utf8")));
    const plan = JSON.parse(shipgate(["plan", "show", "--json", ...DATE], { cwd: dir }).stdout) as { id: string; owner: string }[];
    const order = plan.map((t) => t.id);
    expect(order).toEqual(["MEAS-001", "MEAS-002", "TEST-001", "TEST-002", "TEST-003", "TEST-004", "SEC-001", "SEC-002", "SEC-003", "OPS-002", "OPS-001", "REL-001"]);
    const ownerOf = new Map(plan.map((t) => [t.id, t.owner]));
    const show = shipgate(["plan", "show", ...DATE], { cwd: dir }).stdout.split("\n").slice(1, -1).map((l) => l.split(/\s+/)[0]);
    expect(show).toEqual(order);
    const mermaid = [...shipgate(["plan", "gantt", ...DATE], { cwd: dir }).stdout.matchAll(/:(?:crit, )?([A-Z]+-\d+), /g)].map((m) => m[1]);
    expect(mermaid).toEqual(order);
    expect(shipgate(["plan", "gantt", "--svg", "g.svg", ...DATE], { cwd: dir }).code).toBe(0);
    expect([...readFileSync(join(dir, "g.svg"), "utf8").matchAll(/data-task="([^"]+)"/g)].map((m) => m[1])).toEqual(order);
    const status = shipgate(["plan", "status", ...DATE], { cwd: dir }).stdout;
    for (const agent of ["claude", "codex", "alice"]) {
      const mine = order.filter((id) => ownerOf.get(id) === agent);
      const handoff = shipgate(["plan", "handoff", agent, ...DATE], { cwd: dir }).stdout;
      expect([...handoff.matchAll(/^### (\S+) — /gm)].map((m) => m[1]), `handoff ${agent}`).toEqual(mine);
      const track = status.slice(status.indexOf(`### ${agent} (`), status.indexOf("\n\n", status.indexOf(`### ${agent} (`) + 20));
      expect([...track.matchAll(/^\| \S* \| ([A-Z]+-\d+) /gm)].map((m) => m[1]), `status ${agent}`).toEqual(mine);
    }
    // The queue: the next ready task of anyone, recorded done, again and again.
    const claimed: string[] = [];
    for (let i = 0; i < 20; i++) {
      const next = shipgate(["task", "next", "--any", "--json"], { cwd: dir });
      if (next.code !== 0) break;
      const id = (JSON.parse(next.stdout) as { id: string }).id;
      claimed.push(id);
      expect(shipgate(["task", "done", id, "--force", "--reason", "order test"], { cwd: dir }).code).toBe(0);
    }
    expect(claimed).toEqual(order);
    expect((JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string }[]).map((t) => t.id)).toEqual(order);
  });

  it("draws stored task states in the Gantt chart when a store exists, and creates no store otherwise", () => {
    const dir = copyOfDemo();
    expect(shipgate(["plan", "gantt", "--svg", "g.svg", ...DATE], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
    expect(readFileSync(join(dir, "g.svg"), "utf8")).not.toMatch(/data-state="(done|in_progress|blocked)"/);
    expect(shipgate(["task", "done", "MEAS-001", "--force", "--reason", "measured by hand"], { cwd: dir }).code).toBe(0);
    expect(shipgate(["task", "start", "MEAS-002", "--agent", "alice"], { cwd: dir }).code).toBe(0);
    expect(shipgate(["task", "block", "SEC-003", "--reason", "no reviewer"], { cwd: dir }).code).toBe(0);
    expect(shipgate(["plan", "gantt", "--svg", "g.svg", ...DATE], { cwd: dir }).code).toBe(0);
    const states = [...readFileSync(join(dir, "g.svg"), "utf8").matchAll(/data-task="([^"]+)" data-state="([^"]+)"/g)].filter((m) => m[2] !== "pending").map((m) => [m[1], m[2]]);
    expect(states).toEqual([["MEAS-001", "done"], ["MEAS-002", "in_progress"], ["SEC-003", "blocked"]]);
    expect(shipgate(["plan", "gantt", ...DATE], { cwd: dir }).stdout).toContain(":crit, done, MEAS-001, ");
  });

  it("names an unknown agent for a handoff, and a missing plan file", () => {
    const dir = copyOfDemo();
    const unknown = shipgate(["plan", "handoff", "bob"], { cwd: dir });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no agent "bob" in shipgate.plan.yaml; agents: claude, codex, alice');
    const missing = shipgate(["plan", "check", "--plan", "nope.yaml"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nope\.yaml/);
  });
});

describe("shipgate task", () => {
  it("gives the next ready task, claims it, refuses done while acceptance fails, and records every change", () => {
    const dir = copyOfDemo();
    const next = shipgate(["task", "next", "--agent", "claude", "--json"], { cwd: dir });
    expect(next.code).toBe(0);
    expect(JSON.parse(next.stdout)).toMatchObject({ id: "MEAS-001", state: "pending" });
    // codex has nothing ready: its test tasks wait for MEAS-001, and OPS-001's phase (release) waits for the tests and security phases.
    const codex = shipgate(["task", "next", "--agent", "codex"], { cwd: dir });
    expect(codex.code).toBe(1);
    expect(codex.stdout).toContain("no ready task for codex: 0 done, 0 in progress, 4 waiting for dependencies, 0 blocked");

    expect(shipgate(["task", "start", "--agent", "claude"], { cwd: dir }).stdout).toBe("MEAS-001 started by claude: Take the baseline snapshot and publish the readiness score\n");
    const foreign = shipgate(["task", "start", "MEAS-001", "--agent", "codex"], { cwd: dir });
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toContain("MEAS-001 is claude's task, not codex's");
    const twice = shipgate(["task", "start", "MEAS-001", "--agent", "codex", "--any"], { cwd: dir });
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain("MEAS-001 is in_progress (held by claude)");
    const early = shipgate(["task", "start", "TEST-001", "--agent", "codex"], { cwd: dir });
    expect(early.code).toBe(2);
    expect(early.stderr).toContain("TEST-001 waits for MEAS-001 (in_progress), phase baseline (2 tasks not done, e.g. MEAS-001 (in_progress))");

    // The acceptance command fails when the shipgate.yaml it checks is broken; done is refused.
    const config = join(dir, "shipgate.yaml");
    const good = readFileSync(config, "utf8");
    writeFileSync(config, `${good}\nbogus_key: 1\n`);
    const refused = shipgate(["task", "done", "MEAS-001", "--agent", "claude"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/acceptance `node \.\.\/\.\.\/dist\/cli\/main\.js assess --no-run` exited with 2/);
    expect(shipgate(["task", "done", "MEAS-001", "--force"], { cwd: dir }).stderr).toContain("--force needs --reason");
    writeFileSync(config, good);
    const done = shipgate(["task", "done", "MEAS-001", "--agent", "claude"], { cwd: dir });
    expect(done.stdout).toBe("MEAS-001 done (acceptance passed)\n");
    expect(JSON.parse(shipgate(["task", "next", "--agent", "alice", "--json"], { cwd: dir }).stdout)).toMatchObject({ id: "MEAS-002" });
    // The tests phase depends on the whole baseline phase: codex waits for MEAS-002 as well.
    expect(shipgate(["task", "next", "--agent", "codex"], { cwd: dir }).code).toBe(1);

    expect(shipgate(["task", "block", "TEST-004"], { cwd: dir }).stderr).toContain("--reason is required");
    expect(shipgate(["task", "block", "TEST-004", "--reason", "waiting for the CI image"], { cwd: dir }).code).toBe(0);
    const list = JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string; state: string }[];
    expect(list.filter((t) => t.state !== "pending").map((t) => [t.id, t.state])).toEqual([["MEAS-001", "done"], ["TEST-004", "blocked"]]);
  });

  it("regression: a store imported before the plan order (file order in ord) is re-imported in the plan order on upgrade, keeping states", () => {
    const dir = copyOfDemo();
    expect(shipgate(["task", "start", "MEAS-001", "--agent", "claude"], { cwd: dir }).code).toBe(0);
    // Turn the store back into what the previous version wrote: schema 6, claim indexes on priority, file order in ord.
    const db = new Database(join(dir, ".shipgate/shipgate.db"));
    const fileOrder = ["MEAS-001", "MEAS-002", "TEST-001", "TEST-002", "TEST-003", "TEST-004", "SEC-001", "SEC-002", "SEC-003", "OPS-001", "OPS-002", "REL-001"];
    fileOrder.forEach((id, ord) => db.prepare("UPDATE task SET ord = ? WHERE id = ?").run(ord, id));
    db.exec(`DELETE FROM schema_migrations WHERE version = 7;
      DROP INDEX task_claim; DROP INDEX task_claim_owner;
      CREATE INDEX task_claim ON task(priority, slack, id) WHERE removed = 0 AND state IN ('pending', 'failed');
      CREATE INDEX task_claim_owner ON task(owner, priority, slack, id) WHERE removed = 0 AND state IN ('pending', 'failed');`);
    db.close();
    const list = JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string; state: string }[];
    expect(list.map((t) => t.id)).toEqual([...fileOrder.slice(0, 9), "OPS-002", "OPS-001", "REL-001"]);
    expect(list[0]).toMatchObject({ id: "MEAS-001", state: "in_progress" });
  });

  it("keeps task states when the plan file changes, and re-imports only then", () => {
    const dir = copyOfDemo();
    expect(shipgate(["task", "start", "MEAS-001", "--agent", "claude"], { cwd: dir }).code).toBe(0);
    const file = join(dir, "shipgate.plan.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace("Take the baseline snapshot and publish the readiness score", "Take the baseline snapshot"));
    const list = JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string; state: string; title: string }[];
    expect(list.find((t) => t.id === "MEAS-001")).toMatchObject({ state: "in_progress", title: "Take the baseline snapshot" });
  });

  it("never gives one task to two agents that start at the same moment (8 real processes)", async () => {
    const dir = copyOfDemo();
    // Twelve tasks with no dependencies, owned by anyone: every process claims until none is left.
    const file = join(dir, "shipgate.plan.yaml");
    writeFileSync(file, readFileSync(file, "utf8").replace(/\n {4}depends_on: \[[^\]]*\]/g, "").replace(/\nphases:[\s\S]*?\ntasks:/, "\nphases:\n  - id: baseline\n    name: B\n  - id: tests\n    name: T\n  - id: security\n    name: S\n  - id: release\n    name: R\ntasks:"));
    expect(shipgate(["task", "list"], { cwd: dir }).code).toBe(0);
    const claims = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        new Promise<string[]>((resolve) => {
          const script = `for n in 1 2 3 4; do node ${JSON.stringify(bin)} task start --any --agent w${i} --json 2>/dev/null | grep '"id"' || true; done`;
          const child = spawn("sh", ["-c", script], { cwd: dir, env: { ...process.env, NO_COLOR: "1" } });
          let out = "";
          child.stdout.on("data", (d: Buffer) => (out += d.toString()));
          child.on("close", () => resolve([...out.matchAll(/"id": "([^"]+)"/g)].map((m) => m[1] as string)));
        }),
      ),
    );
    const all = claims.flat();
    // OPS-002's ready_when (test -f SECURITY.md) fails: it is blocked, not claimed; the other 11 are claimed once each.
    expect(all.length).toBe(11);
    expect(new Set(all).size).toBe(11);
    expect(all).not.toContain("OPS-002");
    const list = JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string; state: string }[];
    expect(list.find((t) => t.id === "OPS-002")?.state).toBe("blocked");
  });
});
