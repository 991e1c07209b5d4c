import { describe, expect, it } from "vitest";
import { burndown, movesFromEvents, type BurndownDay, type BurndownImport, type BurndownMove } from "../../src/track/burndown.js";
import { ShipgateError } from "../../src/errors.js";
import type { StoreEvent, TaskState } from "../../src/store/types.js";

const plan = (at: string, tasks: Record<string, number>): BurndownImport => ({ at, tasks: Object.entries(tasks).map(([id, expectedHours]) => ({ id, expectedHours })) });
const mv = (at: string, task: string, to: TaskState): BurndownMove => ({ at, task, to });

/** A row as [date, scopeTasks, scopeHours, doneTasks, doneHours, remainingTasks, remainingHours, idealHours, idealTasks, notes]. */
type Row = [string, number, number, number, number, number, number, number | null, number | null, string?];
function rows(days: BurndownDay[]): Row[] {
  return days.map((d) => {
    const notes = [
      ...d.added.map((id) => `+${id}`),
      ...d.removed.map((id) => `-${id}`),
      ...d.reestimated.map((r) => `~${r.id} ${r.from}->${r.to}`),
    ].join(" ");
    const row: Row = [d.date, d.scopeTasks, d.scopeHours, d.doneTasks, d.doneHours, d.remainingTasks, d.remainingHours, d.idealHours, d.idealTasks];
    if (notes !== "") row.push(notes);
    return row;
  });
}

describe("burndown: a three-week program (calendar days, day N = 2026-03-0N, ends 2026-03-21)", () => {
  // Initial plan, imported before the program: A8 B8 C4 D4 E4 F4 G8 = 7 tasks, 40 h.
  // The ideal line is frozen at day 1 (baseline = from): 40 h → 0 over 20 days = 2 h a day; 7 tasks → 0.35 a day.
  const imports = [
    plan("2026-02-27T10:00:00Z", { A: 8, B: 8, C: 4, D: 4, E: 4, F: 4, G: 8 }),
    plan("2026-03-05T12:00:00Z", { A: 8, B: 8, C: 4, D: 4, E: 4, F: 4, G: 8, H: 6 }), // day 5: H added
    plan("2026-03-08T09:00:00Z", { A: 8, B: 8, C: 4, D: 4, F: 4, G: 8, H: 6 }), // day 8: E (pending) removed
    plan("2026-03-10T08:00:00Z", { A: 8, B: 8, C: 4, D: 4, F: 10, G: 8, H: 6 }), // day 10: F re-estimated 4 → 10
  ];
  const moves = [
    mv("2026-02-27T12:00:00Z", "C", "in_progress"), // before `from`: counts for day 1
    mv("2026-02-28T16:00:00Z", "C", "done"),
    mv("2026-03-02T09:00:00Z", "A", "in_progress"),
    mv("2026-03-02T15:00:00Z", "A", "done"),
    mv("2026-03-03T09:00:00Z", "B", "in_progress"),
    mv("2026-03-04T23:59:59.999Z", "B", "done"), // the last instant of day 4 still belongs to day 4
    mv("2026-03-07T10:00:00Z", "G", "done"), // forced from pending
    mv("2026-03-09T09:00:00Z", "D", "in_progress"), // several moves in one day: the last (done) wins
    mv("2026-03-09T10:00:00Z", "D", "blocked"),
    mv("2026-03-09T11:00:00Z", "D", "pending"),
    mv("2026-03-09T12:00:00Z", "D", "in_progress"),
    mv("2026-03-09T17:00:00Z", "D", "done"),
    mv("2026-03-11T09:00:00Z", "F", "in_progress"),
    mv("2026-03-12T10:00:00Z", "G", "pending"), // done then reset: not done from day 12 on
    mv("2026-03-13T09:00:00Z", "H", "in_progress"),
    mv("2026-03-14T09:00:00Z", "H", "done"),
    mv("2026-03-15T09:00:00Z", "F", "done"),
    mv("2026-03-17T09:00:00Z", "G", "done"), // after the as-of day: ignored
  ];

  it("matches the hand-computed table, day by day", () => {
    const days = burndown({ imports, moves, from: "2026-03-01", to: "2026-03-16", end: "2026-03-21" });
    expect(rows(days)).toEqual<Row[]>([
      // date         scope  h   done  h  rem  h   ideal h  tasks
      ["2026-03-01", 7, 40, 1, 4, 6, 36, 40, 7], // C done before from
      ["2026-03-02", 7, 40, 2, 12, 5, 28, 38, 6.65], // A done
      ["2026-03-03", 7, 40, 2, 12, 5, 28, 36, 6.3], // B started only
      ["2026-03-04", 7, 40, 3, 20, 4, 20, 34, 5.95], // B done at 23:59:59.999
      ["2026-03-05", 8, 46, 3, 20, 5, 26, 32, 5.6, "+H"], // scope grows, the ideal does not
      ["2026-03-06", 8, 46, 3, 20, 5, 26, 30, 5.25], // no events: carried, not a gap
      ["2026-03-07", 8, 46, 4, 28, 4, 18, 28, 4.9], // G done
      ["2026-03-08", 7, 42, 4, 28, 3, 14, 26, 4.55, "-E"], // E removed: out of scope, not "not done"
      ["2026-03-09", 7, 42, 5, 32, 2, 10, 24, 4.2], // D: five moves, the last (done) wins
      ["2026-03-10", 7, 48, 5, 32, 2, 16, 22, 3.85, "~F 4->10"],
      ["2026-03-11", 7, 48, 5, 32, 2, 16, 20, 3.5],
      ["2026-03-12", 7, 48, 4, 24, 3, 24, 18, 3.15], // G reset to pending: no longer done
      ["2026-03-13", 7, 48, 4, 24, 3, 24, 16, 2.8],
      ["2026-03-14", 7, 48, 5, 30, 2, 18, 14, 2.45], // H done
      ["2026-03-15", 7, 48, 6, 40, 1, 8, 12, 2.1], // F done at its new estimate
      ["2026-03-16", 7, 48, 6, 40, 1, 8, 10, 1.75], // G's done on day 17 is after the as-of day
    ]);
  });

  it("gives the same figures whatever order the events arrive in", () => {
    const a = burndown({ imports, moves, from: "2026-03-01", to: "2026-03-16", end: "2026-03-21" });
    const b = burndown({ imports: [...imports].reverse(), moves: [...moves].reverse().sort((x, y) => x.at.localeCompare(y.at)), from: "2026-03-01", to: "2026-03-16", end: "2026-03-21" });
    expect(b).toEqual(a);
  });

  it("freezes the ideal line at a later baseline, with no ideal before it", () => {
    const days = burndown({ imports, moves, from: "2026-03-01", to: "2026-03-06", end: "2026-03-21", baseline: "2026-03-05" });
    // Baseline day 5: scope 8 tasks, 46 h, 16 days to the end → 2.875 h and 0.5 tasks a day.
    expect(days.map((d) => [d.date, d.idealHours, d.idealTasks])).toEqual([
      ["2026-03-01", null, null],
      ["2026-03-02", null, null],
      ["2026-03-03", null, null],
      ["2026-03-04", null, null],
      ["2026-03-05", 46, 8],
      ["2026-03-06", 43.13, 7.5], // 46 × 15/16 = 43.125
    ]);
  });

  it("reads a time with an offset on its UTC day", () => {
    // 2026-03-02T01:00+02:00 is 2026-03-01T23:00Z: day 1.
    const days = burndown({ imports: [plan("2026-03-01T00:00:00Z", { X: 2 })], moves: [mv("2026-03-02T01:00:00+02:00", "X", "done")], from: "2026-03-01", to: "2026-03-01", end: "2026-03-02" });
    expect(days[0]?.doneTasks).toBe(1);
  });

  it("keeps the ideal at 0 after the program's end", () => {
    const days = burndown({ imports, moves, from: "2026-03-20", to: "2026-03-23", end: "2026-03-21" });
    // Baseline day 20: the scope then is 48 h (F re-estimated to 10 on day 10); one day to the end.
    expect(days.map((d) => d.idealHours)).toEqual([48, 0, 0, 0]);
  });
});

describe("burndown: rules one by one", () => {
  const base = plan("2026-03-01T00:00:00Z", { X: 4, Y: 4 });

  const cases: { title: string; imports: BurndownImport[]; moves: BurndownMove[]; expected: Row[] }[] = [
    {
      title: "the last of several moves in one day wins, even when it leaves done",
      imports: [base],
      moves: [mv("2026-03-02T08:00:00Z", "X", "in_progress"), mv("2026-03-02T09:00:00Z", "X", "done"), mv("2026-03-02T10:00:00Z", "X", "pending"), mv("2026-03-02T11:00:00Z", "X", "in_progress")],
      expected: [
        ["2026-03-01", 2, 8, 0, 0, 2, 8, 8, 2],
        ["2026-03-02", 2, 8, 0, 0, 2, 8, 4, 1],
      ],
    },
    {
      title: "a move at the same instant as the import that adds its task counts (imports first)",
      imports: [base, plan("2026-03-02T12:00:00Z", { X: 4, Y: 4, Z: 2 })],
      moves: [mv("2026-03-02T12:00:00Z", "Z", "done")],
      expected: [
        ["2026-03-01", 2, 8, 0, 0, 2, 8, 8, 2],
        ["2026-03-02", 3, 10, 1, 2, 2, 8, 4, 1, "+Z"],
      ],
    },
    {
      title: "a done task that is removed leaves both scope and done; re-added, it is done again",
      imports: [base, plan("2026-03-02T12:00:00Z", { Y: 4 }), plan("2026-03-03T12:00:00Z", { X: 5, Y: 4 })],
      moves: [mv("2026-03-01T10:00:00Z", "X", "done")],
      expected: [
        ["2026-03-01", 2, 8, 1, 4, 1, 4, 8, 2],
        ["2026-03-02", 1, 4, 0, 0, 1, 4, 4, 1, "-X"],
        ["2026-03-03", 2, 9, 1, 5, 1, 4, 0, 0, "+X"],
      ],
    },
    {
      title: "moves of a task in no import are kept for when it joins, and never counted before",
      imports: [base, plan("2026-03-02T12:00:00Z", { X: 4, Y: 4, W: 3 })],
      moves: [mv("2026-03-01T10:00:00Z", "W", "done")],
      expected: [
        ["2026-03-01", 2, 8, 0, 0, 2, 8, 8, 2],
        ["2026-03-02", 3, 11, 1, 3, 2, 8, 4, 1, "+W"],
      ],
    },
    {
      title: "the first import of all is the initial scope, not work added (even after from)",
      imports: [plan("2026-03-02T12:00:00Z", { X: 4, Y: 4 })],
      moves: [],
      expected: [
        ["2026-03-01", 0, 0, 0, 0, 0, 0, 0, 0],
        ["2026-03-02", 2, 8, 0, 0, 2, 8, 0, 0],
      ],
    },
    {
      title: "an empty history gives empty days, not an error",
      imports: [],
      moves: [],
      expected: [
        ["2026-03-01", 0, 0, 0, 0, 0, 0, 0, 0],
        ["2026-03-02", 0, 0, 0, 0, 0, 0, 0, 0],
      ],
    },
  ];
  it.each(cases)("$title", ({ imports, moves, expected }) => {
    // end = day 3: the ideal falls by half the baseline a day.
    expect(rows(burndown({ imports, moves, from: "2026-03-01", to: expected.at(-1)?.[0] ?? "2026-03-01", end: "2026-03-03" }))).toEqual(expected);
  });

  it("with workingDays lists Monday–Friday only, folds a weekend into the Monday and burns the ideal on working days", () => {
    // 2026-03-06 is a Friday; the program ends Friday 2026-03-13: 5 working days after the baseline.
    const days = burndown({
      imports: [plan("2026-03-05T10:00:00Z", { X: 4, Y: 4 }), plan("2026-03-08T10:00:00Z", { X: 4, Y: 4, Z: 2 })], // Z added on Sunday
      moves: [mv("2026-03-07T10:00:00Z", "X", "done")], // Saturday
      from: "2026-03-06",
      to: "2026-03-10",
      end: "2026-03-13",
      workingDays: true,
    });
    expect(rows(days)).toEqual<Row[]>([
      ["2026-03-06", 2, 8, 0, 0, 2, 8, 8, 2],
      ["2026-03-09", 3, 10, 1, 4, 2, 6, 6.4, 1.6, "+Z"], // 8 × 4/5, 2 × 4/5
      ["2026-03-10", 3, 10, 1, 4, 2, 6, 4.8, 1.2],
    ]);
  });

  it("refuses bad dates with a message that says which", () => {
    const message = (options: Partial<Parameters<typeof burndown>[0]>) => {
      try {
        burndown({ imports: [], moves: [], from: "2026-03-01", to: "2026-03-02", end: "2026-03-03", ...options });
      } catch (error) {
        expect(error).toBeInstanceOf(ShipgateError);
        return `${(error as ShipgateError).code}: ${(error as Error).message}`;
      }
      return "no error";
    };
    expect(message({ from: "2026-02-30" })).toMatchInlineSnapshot(`"USAGE: [track] the burn-down's from must be a date YYYY-MM-DD (got "2026-02-30")"`);
    expect(message({ to: "2026-02-28" })).toMatchInlineSnapshot(`"USAGE: [track] the burn-down's as-of day 2026-02-28 is before its first day 2026-03-01"`);
    expect(message({ baseline: "2026-02-28" })).toMatchInlineSnapshot(`"USAGE: [track] the burn-down's baseline 2026-02-28 is before its first day 2026-03-01"`);
    expect(message({ end: "2026-03-01", baseline: "2026-03-02" })).toMatchInlineSnapshot(`"USAGE: [track] the program ends 2026-03-01, before its baseline 2026-03-02: the ideal line has nowhere to go"`);
    expect(message({ moves: [mv("yesterday", "X", "done")] })).toMatchInlineSnapshot(`"USAGE: [track] the move of X has a time that is not an ISO 8601 date-time with a zone, such as 2026-03-01T09:00:00Z (got "yesterday")"`);
    // Read in the machine's zone, this time would move between days depending on TZ.
    expect(message({ imports: [plan("2026-03-01T23:30:00", { X: 1 })] })).toMatchInlineSnapshot(`"USAGE: [track] the plan import of 1 task has a time that is not an ISO 8601 date-time with a zone, such as 2026-03-01T09:00:00Z (got "2026-03-01T23:30:00")"`);
  });
});

describe("burndown against a naive replay", () => {
  /** mulberry32: a seeded generator, so a failure replays. */
  function random(seed: number) {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  /** Per day, rescans every import and move up to the day's end: slow, obviously right. */
  function naive(imports: BurndownImport[], moves: BurndownMove[], days: string[], fromMs: number) {
    const byTime = <T extends { at: string }>(xs: T[]) => [...xs].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    const sortedImports = byTime(imports);
    const sortedMoves = byTime(moves);
    let prevEnd = -Infinity;
    return days.map((date) => {
      const end = Date.parse(`${date}T00:00:00Z`) + 86_400_000;
      const before = sortedImports.filter((i) => Date.parse(i.at) < end);
      const scope = new Map((before.at(-1)?.tasks ?? []).map((t) => [t.id, t.expectedHours]));
      const state = new Map<string, TaskState>();
      for (const m of sortedMoves) if (Date.parse(m.at) < end) state.set(m.task, m.to);
      const done = [...scope].filter(([id]) => state.get(id) === "done");
      const notes: string[] = [];
      before.forEach((imp, k) => {
        const ms = Date.parse(imp.at);
        if (k === 0 || ms < fromMs || ms < prevEnd) return;
        const old = new Map((before[k - 1]?.tasks ?? []).map((t) => [t.id, t.expectedHours]));
        const next = new Map(imp.tasks.map((t) => [t.id, t.expectedHours]));
        for (const id of old.keys()) if (!next.has(id)) notes.push(`-${id}`);
        for (const [id, h] of next) if (!old.has(id)) notes.push(`+${id}`);
        else if (old.get(id) !== h) notes.push(`~${id} ${old.get(id)}->${h}`);
      });
      prevEnd = end;
      const hours = (xs: [string, number][]) => Math.round(xs.reduce((s, [, h]) => s + h, 0) * 100) / 100;
      return { date, scopeTasks: scope.size, scopeHours: hours([...scope]), doneTasks: done.length, doneHours: hours(done), notes: notes.sort() };
    });
  }

  it.each([1, 2, 3, 4, 5])("agrees on a random history (seed %i)", (seed) => {
    const rnd = random(seed);
    const pick = <T,>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)] as T;
    const ids = Array.from({ length: 30 }, (_, i) => `T${i}`);
    const at = () => new Date(Date.UTC(2026, 2, 1) + Math.floor((rnd() * 25 - 3) * 86_400_000)).toISOString(); // 2026-02-26 … 2026-03-25
    const imports = Array.from({ length: 8 }, () => plan(at(), Object.fromEntries(ids.filter(() => rnd() < 0.7).map((id) => [id, pick([1, 2.5, 4, 1 / 3])]))));
    const moves = Array.from({ length: 200 }, () => mv(at(), pick(ids), pick(["pending", "in_progress", "done", "done", "failed", "blocked"] as const)));
    const options = { imports, moves, from: "2026-03-01", to: "2026-03-21", end: "2026-03-21", workingDays: seed % 2 === 0 };
    const got = burndown(options).map((d) => ({
      date: d.date, scopeTasks: d.scopeTasks, scopeHours: d.scopeHours, doneTasks: d.doneTasks, doneHours: d.doneHours,
      notes: [...d.added.map((id) => `+${id}`), ...d.removed.map((id) => `-${id}`), ...d.reestimated.map((r) => `~${r.id} ${r.from}->${r.to}`)].sort(),
    }));
    expect(got).toEqual(naive(imports, moves, got.map((d) => d.date), Date.parse("2026-03-01T00:00:00Z")));
  });
});

describe("movesFromEvents", () => {
  it("keeps task moves from stored events, in order, and skips everything else", () => {
    const ev = (id: number, type: string, subject: string | null, data: unknown): StoreEvent => ({ id, at: `2026-03-01T0${id}:00:00Z`, type, subject, data });
    const events = [
      ev(1, "plan.imported", null, { hash: "h", source: "plan.yaml", tasks: 2, added: 2, updated: 0, removed: 0 }),
      ev(2, "task.started", "X", { from: "pending", to: "in_progress", agent: "a", note: null, force: false }),
      ev(3, "run.started", "X", { task: "X", agent: "a", attempt: 1, epoch: 1, leaseExpiresAt: "2026-03-01T04:00:00Z" }),
      ev(4, "task.done", "X", { from: "in_progress", to: "done", agent: "a", note: null, force: false }),
      ev(5, "task.done", "Y", { to: "finished" }),
    ];
    expect(movesFromEvents(events)).toEqual([mv("2026-03-01T02:00:00Z", "X", "in_progress"), mv("2026-03-01T04:00:00Z", "X", "done")]);
  });
});
