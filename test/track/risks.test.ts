import { describe, expect, it } from "vitest";
import { ShipgateError } from "../../src/errors.js";
import type { PlanRisk } from "../../src/plan/types.js";
import type { StoreEvent } from "../../src/store/types.js";
import type { RiskView } from "../../src/track/model.js";
import { parseRiskEvent, RISK_EVENT, riskEventData, risks } from "../../src/track/risks.js";

const risk = (id: string, impact: PlanRisk["impact"], probability: PlanRisk["probability"], status: PlanRisk["status"] = "open"): PlanRisk => ({
  id,
  description: `risk ${id}`,
  impact,
  probability,
  mitigation: null,
  owner: "lead",
  status,
});
// Plan order R1 R2 R3 R4. Exposure: R1 high×medium = 3×2 = 6; R2 critical×high = 4×3 = 12; R3 low×low = 1; R4 medium×high = 2×3 = 6.
const planRisks = [risk("R1", "high", "medium"), risk("R2", "critical", "high"), risk("R3", "low", "low", "mitigated"), risk("R4", "medium", "high")];

const update = (id: number, at: string, subject: string | null, data: unknown, type = RISK_EVENT): StoreEvent => ({ id, at, type, subject, data });
// Day N = 2026-03-0N.
const events: StoreEvent[] = [
  update(1, "2026-03-02T10:00:00Z", "R1", riskEventData("mitigated", "fallback vendor signed", "lead")),
  update(2, "2026-03-03T10:00:00Z", "R9", riskEventData("closed", null, "lead")), // no such risk in the plan: ignored
  update(3, "2026-03-03T11:00:00Z", "R2", { status: "gone", note: "typo", by: "lead" }), // malformed: ignored
  update(4, "2026-03-03T12:00:00Z", "R3", null), // malformed: ignored
  update(5, "2026-03-03T12:30:00Z", "R3", riskEventData("open", null, "a1"), "task.blocked"), // another event type: ignored
  update(6, "2026-03-04T10:00:00Z", "R1", riskEventData("closed", "vendor live", "a1")),
  update(7, "2026-03-04T11:00:00Z", null, riskEventData("closed", null, null)), // no subject: ignored
];

/** A risk as "id exposure status [update, …]", updates as "dd Thh:mm status by note". */
const line = (r: RiskView) =>
  `${r.id} ${r.exposure} ${r.status} [${r.updates.map((u) => `${u.at.slice(8, 16)} ${u.status} ${u.by ?? "-"} ${u.note ?? "-"}`).join(", ")}]`;

describe("risks: the plan's risks with their status updates, as of a moment", () => {
  it.each([
    // Before any update: the plan's statuses. Exposure desc; R1 and R4 tie at 6 and keep plan order.
    ["2026-03-02T09:00:00Z", ["R2 12 open []", "R1 6 open []", "R4 6 open []", "R3 1 mitigated []"]],
    // Between R1's two updates: the first one's status.
    ["2026-03-03T00:00:00Z", ["R2 12 open []", "R1 6 mitigated [02T10:00 mitigated lead fallback vendor signed]", "R4 6 open []", "R3 1 mitigated []"]],
    // At the second update's own instant: it counts.
    [
      "2026-03-04T10:00:00Z",
      ["R2 12 open []", "R1 6 closed [02T10:00 mitigated lead fallback vendor signed, 04T10:00 closed a1 vendor live]", "R4 6 open []", "R3 1 mitigated []"],
    ],
  ] as const)("at %s", (at, expected) => {
    expect(risks({ planRisks, events, at }).map(line)).toEqual(expected);
  });

  it("keeps every plan field and leaves the plan's risks unchanged", () => {
    const [r2] = risks({ planRisks, events, at: "2026-03-05T00:00:00Z" });
    expect(r2).toEqual({ ...planRisks[1], exposure: 12, updates: [] });
    expect(planRisks[0]?.status).toBe("open");
  });

  it("spans the matrix from 1 (low/low) to 12 (critical/high)", () => {
    const impacts = ["low", "medium", "high", "critical"] as const;
    const probabilities = ["low", "medium", "high"] as const;
    const all = impacts.flatMap((i) => probabilities.map((p) => risk(`${i}/${p}`, i, p)));
    const byId = new Map(risks({ planRisks: all, events: [], at: "2026-03-02T00:00:00Z" }).map((r) => [r.id, r.exposure]));
    expect(impacts.map((i) => probabilities.map((p) => byId.get(`${i}/${p}`)))).toEqual([
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
      [4, 8, 12],
    ]);
  });

  it("refuses a moment without a zone", () => {
    expect(() => risks({ planRisks, events, at: "2026-03-04T10:00" })).toThrow(ShipgateError);
  });
});

describe("the risk.updated payload", () => {
  it("round-trips what riskEventData builds; an empty note is null", () => {
    expect(parseRiskEvent(riskEventData("accepted", "cost of fix too high", "lead"))).toEqual({ status: "accepted", note: "cost of fix too high", by: "lead" });
    expect(riskEventData("closed", "", null)).toEqual({ status: "closed", note: null, by: null });
  });

  it.each([
    [{ status: "mitigated", note: "n", by: "b" }, { status: "mitigated", note: "n", by: "b" }],
    [{ status: "open" }, { status: "open", note: null, by: null }], // note and by may be absent
    [{ status: "closed", note: 42, by: ["x"] }, { status: "closed", note: null, by: null }], // not strings: null
    [{ status: "resolved" }, null], // not a risk status
    [{ note: "no status" }, null],
    [{ status: null }, null],
    ["closed", null],
    [null, null],
    [undefined, null],
    [[{ status: "open" }], null],
  ])("%j → %j", (data, expected) => {
    expect(parseRiskEvent(data)).toEqual(expected);
  });
});
