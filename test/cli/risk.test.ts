import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withStore } from "../../src/store/open-store.js";
import type { RiskView } from "../../src/track/model.js";
import { shipgate, tempDir } from "./run-cli.js";

const PLAN =
  "version: 1\nagents:\n  - { id: alice, kind: human }\nphases:\n  - { id: p, name: P }\ntasks:\n  - { id: T1, title: one, phase: p, owner: alice, estimate: 1 }\n" +
  "risks:\n" +
  "  - { id: R1, description: Region outage, impact: high, probability: medium, mitigation: second region, owner: alice, status: open }\n" +
  "  - { id: R2, description: Flaky tests, impact: low, probability: high, status: accepted }\n" +
  "  - { id: R3, description: Key person leaves, impact: critical, probability: low, status: open }\n";

function project(plan = PLAN): string {
  const dir = tempDir();
  writeFileSync(join(dir, "shipgate.plan.yaml"), plan);
  return dir;
}

const at = (dir: string, time: string) => ({ cwd: dir, env: { SHIPGATE_NOW: time, SHIPGATE_AGENT: "" } });
const storeOf = (dir: string) => join(dir, ".shipgate/shipgate.db");

interface ListJson {
  plan: string;
  asOf: string;
  at: string;
  risks: RiskView[];
}

describe("shipgate risk", () => {
  it("records status updates as risk.updated events stamped by SHIPGATE_NOW, with the note and who set it", async () => {
    const dir = project();
    const set = shipgate(["risk", "set", "R1", "--status", "mitigated", "--note", "fallback region live", "--agent", "bob"], at(dir, "2026-12-02T10:00:00+01:00"));
    expect(set).toEqual({ code: 0, stdout: "R1: open → mitigated (by bob): fallback region live\n", stderr: "" });
    expect(shipgate(["risk", "set", "R1", "--status", "closed"], at(dir, "2026-12-03T10:00:00Z")).stdout).toBe("R1: mitigated → closed\n");
    // --agent defaults to SHIPGATE_AGENT, as for the task commands.
    const json = shipgate(["risk", "set", "R2", "--status", "open", "--note", "", "--json"], { cwd: dir, env: { SHIPGATE_NOW: "2026-12-03T11:00:00Z", SHIPGATE_AGENT: "carol" } });
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      previous: "accepted",
      risk: {
        id: "R2", description: "Flaky tests", impact: "low", probability: "high", mitigation: null, owner: null, status: "open", exposure: 3,
        updates: [{ at: "2026-12-03T11:00:00.000Z", status: "open", note: null, by: "carol" }],
      },
    });
    const events = await withStore(storeOf(dir), { mustExist: true }, (store) => store.listEvents({ type: "risk.updated" }));
    expect(events.map((e) => [e.subject, e.at, e.data])).toEqual([
      ["R1", "2026-12-02T09:00:00.000Z", { status: "mitigated", note: "fallback region live", by: "bob" }],
      ["R1", "2026-12-03T10:00:00.000Z", { status: "closed", note: null, by: null }],
      ["R2", "2026-12-03T11:00:00.000Z", { status: "open", note: null, by: "carol" }],
    ]);
  });

  it("lists the plan's risks, highest exposure first, with the status of the last update else the plan's, and replays --as-of a past day", () => {
    const dir = project();
    expect(shipgate(["risk", "set", "R1", "--status", "mitigated", "--note", "fallback region live", "--agent", "bob"], at(dir, "2026-12-02T10:00:00Z")).code).toBe(0);
    expect(shipgate(["risk", "set", "R1", "--status", "closed", "--note", "second region\nin production"], at(dir, "2026-12-03T10:00:00Z")).code).toBe(0);

    const now = shipgate(["risk", "list"], at(dir, "2026-12-04T09:00:00Z"));
    expect(now.code).toBe(0);
    expect(now.stdout).toBe(
      "risks of shipgate.plan.yaml as of 2026-12-04: 1 open, 1 accepted, 1 closed\n\n" +
        "ID  STATUS    IMPACT    PROBABILITY  EXPOSURE  OWNER  LAST UPDATE\n" +
        "R1  closed    high      medium       6         alice  2026-12-03 10:00: second region\n" +
        "R3  open      critical  low          4         -      as planned\n" +
        "R2  accepted  low       high         3         -      as planned\n",
    );

    const past = shipgate(["risk", "list", "--as-of", "2026-12-02", "--json"], at(dir, "2026-12-04T09:00:00Z"));
    const list = JSON.parse(past.stdout) as ListJson;
    expect({ plan: list.plan, asOf: list.asOf, at: list.at }).toEqual({ plan: "shipgate.plan.yaml", asOf: "2026-12-02", at: "2026-12-02T23:59:59.999Z" });
    expect(list.risks.map((r) => [r.id, r.status, r.exposure, r.updates.length])).toEqual([["R1", "mitigated", 6, 1], ["R3", "open", 4, 0], ["R2", "accepted", 3, 0]]);
    expect(list.risks[0]).toEqual({
      id: "R1", description: "Region outage", impact: "high", probability: "medium", mitigation: "second region", owner: "alice", status: "mitigated", exposure: 6,
      updates: [{ at: "2026-12-02T10:00:00.000Z", status: "mitigated", note: "fallback region live", by: "bob" }],
    });
    // Before any update: the plan's statuses.
    const before = JSON.parse(shipgate(["risk", "list", "--as-of", "2026-12-01", "--json"], at(dir, "2026-12-04T09:00:00Z")).stdout) as ListJson;
    expect(before.risks.map((r) => r.status)).toEqual(["open", "open", "accepted"]);
    // Today is replayed up to now, not to the end of the day.
    const today = JSON.parse(shipgate(["risk", "list", "--json"], at(dir, "2026-12-03T09:59:00Z")).stdout) as ListJson;
    expect({ asOf: today.asOf, at: today.at, r1: today.risks[0]?.status }).toEqual({ asOf: "2026-12-03", at: "2026-12-03T09:59:00.000Z", r1: "mitigated" });
  });

  it("lists the plan's own statuses without a store, and creates none", () => {
    const dir = project();
    const result = shipgate(["risk", "list", "--json"], at(dir, "2026-12-04T09:00:00Z"));
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as ListJson).risks.map((r) => [r.id, r.status])).toEqual([["R1", "open"], ["R3", "open"], ["R2", "accepted"]]);
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
    const none = project(PLAN.slice(0, PLAN.indexOf("risks:")));
    expect(shipgate(["risk", "list"], at(none, "2026-12-04T09:00:00Z"))).toEqual({ code: 0, stdout: "shipgate.plan.yaml lists no risks (add them under risks:, docs/plan.md)\n", stderr: "" });
  });

  it("regression: an unknown risk id created the store and imported the plan before it was refused; now it writes nothing", () => {
    const dir = project();
    expect(shipgate(["risk", "set", "R9", "--status", "closed"], at(dir, "2026-12-02T11:00:00Z")).code).toBe(2);
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  });

  it("refuses an unknown risk id (NOT_FOUND naming the plan's risks) and writes no event", async () => {
    const dir = project();
    expect(shipgate(["risk", "set", "R1", "--status", "mitigated"], at(dir, "2026-12-02T10:00:00Z")).code).toBe(0);
    const result = shipgate(["risk", "set", "R9", "--status", "closed"], at(dir, "2026-12-02T11:00:00Z"));
    expect(result).toEqual({
      code: 2,
      stdout: "",
      stderr: 'error: [risk] shipgate.plan.yaml has no risk "R9" (its risks: R1, R2, R3)\n  → use one of the plan\'s risk ids, or add the risk to its risks: section\n',
    });
    const events = await withStore(storeOf(dir), { mustExist: true }, (store) => store.listEvents({ type: "risk.updated" }));
    expect(events.map((e) => e.subject)).toEqual(["R1"]);
    const none = project(PLAN.slice(0, PLAN.indexOf("risks:")));
    expect(shipgate(["risk", "set", "R1", "--status", "closed"], at(none, "2026-12-02T11:00:00Z")).stderr).toBe(
      'error: [risk] shipgate.plan.yaml lists no risks, so there is no risk "R1"\n  → add it to the plan\'s risks: section (id, description, impact, probability; docs/plan.md)\n',
    );
  });

  it("refuses a bad --status or --as-of as USAGE (exit 2) before a store is created", () => {
    const dir = project();
    expect(shipgate(["risk", "set", "R1", "--status", "done"], at(dir, "2026-12-02T10:00:00Z"))).toEqual({
      code: 2,
      stdout: "",
      stderr: 'error: [risk] --status must be one of open, mitigated, accepted, closed (got "done")\n  → e.g. shipgate risk set R1 --status mitigated --note "what changed"\n',
    });
    expect(shipgate(["risk", "set", "R1"], at(dir, "2026-12-02T10:00:00Z"))).toMatchObject({ code: 2, stderr: expect.stringContaining("required option '--status <status>' not specified") as unknown });
    expect(shipgate(["risk", "list", "--as-of", "2026-02-30"], at(dir, "2026-12-02T10:00:00Z"))).toMatchObject({ code: 2, stderr: expect.stringContaining("--as-of 2026-02-30 is not a day") as unknown });
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  });

  it("says in --help what each status means for the tracker and how updates are stored", () => {
    const set = shipgate(["risk", "set", "--help"]);
    expect(set.code).toBe(0);
    expect(set.stdout).toContain("open | mitigated | accepted | closed");
    expect(set.stdout).toContain("risk.updated");
    const list = shipgate(["risk", "list", "--help"]);
    expect(list.stdout).toContain("--as-of <YYYY-MM-DD>");
    expect(shipgate(["risk", "--help"]).stdout).toMatch(/set \[options\] <id>[\s\S]*list/);
  });
});
