import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GateRun } from "../../src/app/run-gate.js";
import { scratchRepo } from "../scratch-repo.js";
import { fixture, shipgate } from "./run-cli.js";

const PASS = fixture("cli/show/vitest-4.1-price-pass.xml");

const CONFIG = `version: 1
gates:
  tests:
    conditions:
      - { metric: tests.failed, op: "==", threshold: 0 }
      - { metric: tests.errored, op: "==", threshold: 0 }
`;

const PRICE = "export const total = (items) => items.reduce((sum, i) => sum + i.price * i.qty, 0);\n";

/** A committed project with a passing JUnit report in the untracked reports/ folder. */
function project() {
  const repo = scratchRepo("gate-stale-");
  repo.write({ "src/price.js": PRICE, "shipgate.yaml": CONFIG, ".gitignore": ".shipgate/\nreports/\n" });
  const commit = repo.commit("price");
  mkdirSync(join(repo.dir, "reports"), { recursive: true });
  copyFileSync(PASS, join(repo.dir, "reports/junit.xml"));
  const run = (args: string[], env: NodeJS.ProcessEnv = {}) => shipgate(args, { cwd: repo.dir, env });
  const assess = () => run(["assess", "-r", "reports/junit.xml"]);
  const gateJson = () => {
    const r = run(["gate", "-g", "tests", "--json"]);
    expect(r.code).toBe(0);
    return { ...r, result: JSON.parse(r.stdout) as GateRun };
  };
  return { ...repo, head: commit, run, assess, gateJson };
}

describe("shipgate gate on the newest snapshot says when the checkout has changed since", () => {
  it("regression: gate judged an older snapshot after the working tree changed and said GO without a word", () => {
    const p = project();
    expect(p.assess().code).toBe(0);

    const fresh = p.run(["gate", "-g", "tests"]);
    expect(fresh.code).toBe(0);
    expect(fresh.stdout).not.toContain("warning");
    expect(fresh.stderr).not.toContain("warning");
    expect(p.gateJson().result.stale).toBeNull();

    p.write({ "src/price.js": `${PRICE}export const broken = ;\n` });
    const text = p.run(["gate", "-g", "tests"]);
    // The verdict is the stored snapshot's, as computed: judging a stored snapshot is a valid use.
    expect(text.code).toBe(0);
    const expected = `snapshot 1 measured commit ${p.head.slice(0, 10)} (clean); the working tree has changed since: run \`shipgate assess\` to measure it`;
    const lines = text.stdout.split("\n");
    const at = lines.findIndex((l) => l.startsWith("  snapshot 1 ("));
    expect(lines[at + 1]).toBe(`  warning: ${expected}`);
    expect(text.stdout).toContain("GO: all 2 conditions hold");
    expect(text.stderr).toContain(`[gate] warning: ${expected}`);

    const json = p.gateJson();
    expect(json.result.verdict).toBe("GO");
    expect(json.result.stale).toMatchObject({ reason: "working-tree", measured: { commit: p.head, dirty: false, tree: null }, now: { commit: p.head, dirty: true } });
    expect(json.result.stale?.now.tree).toMatch(/^[0-9a-f]{40}$/);
    expect(json.stderr).toContain("[gate] warning:");

    // Measuring the changed tree makes the newest snapshot current again; the same changes stay the same tree.
    expect(p.assess().code).toBe(0);
    const dirtyFresh = p.gateJson();
    expect(dirtyFresh.result.snapshot.id).toBe(2);
    expect(dirtyFresh.result.stale).toBeNull();
    expect(dirtyFresh.stderr).not.toContain("warning");

    p.write({ "src/price.js": PRICE });
    expect(p.gateJson().result.stale).toMatchObject({ reason: "working-tree", measured: { dirty: true }, now: { dirty: false, tree: null } });
  });

  it("names the new commit when HEAD moved, and stays quiet when a snapshot is named with --snapshot", () => {
    const p = project();
    expect(p.assess().code).toBe(0);
    p.write({ "src/more.js": "export const more = 1;\n" });
    const next = p.commit("more");

    const text = p.run(["gate", "-g", "tests"]);
    expect(text.stdout).toContain(`warning: snapshot 1 measured commit ${p.head.slice(0, 10)} (clean); the checkout is now at commit ${next.slice(0, 10)} (clean): run \`shipgate assess\``);
    expect(p.gateJson().result.stale).toMatchObject({ reason: "commit", now: { commit: next, dirty: false } });

    const named = p.run(["gate", "-g", "tests", "--snapshot", "1", "--json"]);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).not.toHaveProperty("stale");
    expect(named.stderr).not.toContain("warning");
  });

  it("warns in the markdown report and as a GitHub Actions annotation", () => {
    const p = project();
    expect(p.assess().code).toBe(0);
    p.write({ "src/price.js": `${PRICE}// changed\n` });

    const md = p.run(["gate", "-g", "tests", "--markdown"]);
    expect(md.stdout).toMatch(/\n> \[!WARNING\]\n> snapshot 1 measured commit [0-9a-f]{10} \(clean\); the working tree has changed since/);

    const gha = p.run(["gate", "-g", "tests"], { GITHUB_ACTIONS: "true" });
    expect(gha.code).toBe(0);
    expect(gha.stdout).toMatch(/^::warning title=shipgate gate tests%3A stale snapshot::snapshot 1 measured commit [0-9a-f]{10} \(clean\); the working tree has changed since/m);
  });
});
