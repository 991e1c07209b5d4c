import { describe, expect, it } from "vitest";
import { ShipgateError } from "../../src/errors.js";
import type { StoreEvent } from "../../src/store/types.js";
import { blockers } from "../../src/track/blockers.js";
import type { BlockerEntry, Blockers } from "../../src/track/model.js";

/** A task move as store/task-state.ts `planMove` writes it. */
const move = (id: number, at: string, type: string, task: string, agent: string | null, note: string | null = null): StoreEvent => {
  const to = type === "task.started" ? "in_progress" : type.slice("task.".length);
  return { id, at, type, subject: task, data: { from: "?", to, agent, note, force: false } };
};
const titles = new Map([
  ["B", "API client"],
  ["C", "Importer"],
  ["D", "Vendor feed"],
]);

// Day N = 2026-03-0N.
const events: StoreEvent[] = [
  move(1, "2026-03-01T12:00:00Z", "task.blocked", "D", "lead", "vendor outage"), // before the window, never resolved
  move(2, "2026-03-02T10:00:00Z", "task.blocked", "B", "lead", "waits for the API key"),
  move(3, "2026-03-02T16:00:00Z", "task.pending", "B", "lead", "key arrived"), // B's first period: 6 h
  move(4, "2026-03-03T09:00:00Z", "task.blocked", "B", "lead", "API key revoked"), // blocked again: a second period
  move(5, "2026-03-03T10:00:00Z", "task.started", "C", "a2"),
  move(6, "2026-03-03T12:00:00Z", "task.failed", "C", "a2", "acceptance exited 1"),
  // The dispatcher, out of attempts, blocks the task as its claimer: a blocker like any other.
  move(7, "2026-03-03T12:30:00Z", "task.blocked", "C", "a2", "3 attempts failed: acceptance exited 1"),
  { id: 8, at: "2026-03-03T13:00:00Z", type: "run.finished", subject: "4", data: { task: "C", outcome: "failed" } }, // not a move
  move(9, "2026-03-04T09:00:00Z", "task.started", "B", "a1"), // B's second period: 24 h (resolved by a start)
  move(10, "2026-03-05T09:00:00Z", "task.pending", "C", "lead", "acceptance fixed"), // C's period: 44.5 h
  move(11, "2026-03-05T09:20:00Z", "task.blocked", "E", null, "ready_when: staging down"), // no title known, no agent
];

/** An entry as "task title | by | reason | since → resolvedAt | hours | open", times as dd Thh:mm. */
const entry = (e: BlockerEntry) =>
  [e.task, e.title, e.by ?? "-", e.reason ?? "-", `${e.since.slice(8, 16)} → ${e.resolvedAt?.slice(8, 16) ?? "-"}`, e.hours, e.open ? "open" : "resolved"].join(" | ");
const view = (b: Blockers) => ({ open: b.open.map(entry), log: b.log.map(entry), median: b.medianHoursToResolve });

describe("blockers: a small history, read at several moments", () => {
  it.each([
    {
      // B blocked at 09:00 is 0.5 h old; D (before the window) is open but not in the log.
      from: "2026-03-02",
      at: "2026-03-03T09:30:00Z",
      open: ["D | Vendor feed | lead | vendor outage | 01T12:00 → - | 45.5 | open", "B | API client | lead | API key revoked | 03T09:00 → - | 0.5 | open"],
      log: ["B | API client | lead | waits for the API key | 02T10:00 → 02T16:00 | 6 | resolved", "B | API client | lead | API key revoked | 03T09:00 → - | 0.5 | open"],
      median: 6,
    },
    {
      // B's second period resolved (24 h); C still blocked since 12:30 (29.5 h); the median of 6 and 24 is 15.
      from: "2026-03-02",
      at: "2026-03-04T18:00:00Z",
      open: ["D | Vendor feed | lead | vendor outage | 01T12:00 → - | 78 | open", "C | Importer | a2 | 3 attempts failed: acceptance exited 1 | 03T12:30 → - | 29.5 | open"],
      log: [
        "B | API client | lead | waits for the API key | 02T10:00 → 02T16:00 | 6 | resolved",
        "B | API client | lead | API key revoked | 03T09:00 → 04T09:00 | 24 | resolved",
        "C | Importer | a2 | 3 attempts failed: acceptance exited 1 | 03T12:30 → - | 29.5 | open",
      ],
      median: 15,
    },
    {
      // A window from day 3: B's first period is out of the log (and of the median).
      from: "2026-03-03",
      at: "2026-03-04T18:00:00Z",
      open: ["D | Vendor feed | lead | vendor outage | 01T12:00 → - | 78 | open", "C | Importer | a2 | 3 attempts failed: acceptance exited 1 | 03T12:30 → - | 29.5 | open"],
      log: ["B | API client | lead | API key revoked | 03T09:00 → 04T09:00 | 24 | resolved", "C | Importer | a2 | 3 attempts failed: acceptance exited 1 | 03T12:30 → - | 29.5 | open"],
      median: 24,
    },
    {
      // C resolved after 44.5 h: the median of 6, 24, 44.5 is 24. E's 20 minutes are 0.33 h; its title is its id.
      from: "2026-03-02",
      at: "2026-03-05T09:40:00Z",
      open: ["D | Vendor feed | lead | vendor outage | 01T12:00 → - | 93.67 | open", "E | E | - | ready_when: staging down | 05T09:20 → - | 0.33 | open"],
      log: [
        "B | API client | lead | waits for the API key | 02T10:00 → 02T16:00 | 6 | resolved",
        "B | API client | lead | API key revoked | 03T09:00 → 04T09:00 | 24 | resolved",
        "C | Importer | a2 | 3 attempts failed: acceptance exited 1 | 03T12:30 → 05T09:00 | 44.5 | resolved",
        "E | E | - | ready_when: staging down | 05T09:20 → - | 0.33 | open",
      ],
      median: 24,
    },
    {
      // Before any blocker in the window: an empty log and no median; D is already open.
      from: "2026-03-02",
      at: "2026-03-02T09:00:00Z",
      open: ["D | Vendor feed | lead | vendor outage | 01T12:00 → - | 21 | open"],
      log: [],
      median: null,
    },
  ])("from $from, at $at", ({ from, at, open, log, median }) => {
    expect(view(blockers({ events, titles, from, at }))).toEqual({ open, log, median });
  });

  it("ignores a move after the moment wherever the list places it", () => {
    // Times are stamped by callers and need not grow with ids: event 20 (day 4) is listed before event 21 (day 3),
    // event 22 (day 5) after it. On day 3 neither later move resolves B, and event 21 is not skipped.
    const shuffled = [
      move(20, "2026-03-04T08:00:00Z", "task.pending", "B", "lead"),
      move(21, "2026-03-03T08:00:00Z", "task.blocked", "B", "lead", "waits"),
      move(22, "2026-03-05T08:00:00Z", "task.pending", "B", "lead"),
    ];
    const b = blockers({ events: shuffled, titles, from: "2026-03-03", at: "2026-03-03T20:00:00Z" });
    expect(b.open.map(entry)).toEqual(["B | API client | lead | waits | 03T08:00 → - | 12 | open"]);
  });

  it("refuses a first day that is not a date, or after the moment", () => {
    for (const [from, at, message] of [
      ["2026-3-2", "2026-03-04T00:00:00Z", `[track] the blocker log's first day must be a date YYYY-MM-DD (got "2026-3-2")`],
      ["2026-03-05", "2026-03-04T23:59:59Z", "[track] the blocker log's first day 2026-03-05 is after its moment 2026-03-04T23:59:59Z"],
    ] as const) {
      expect(() => blockers({ events, titles, from, at })).toThrow(ShipgateError);
      expect(() => blockers({ events, titles, from, at })).toThrow(message);
    }
  });
});
