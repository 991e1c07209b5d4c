import { describe, expect, it } from "vitest";
import { elapsed, renderRunTable } from "../../src/cli/run-table.js";

const row = (task: string, since: number) => ({ task, agent: "claude", attempt: "1/3", step: "agent", since });

describe("the live table of shipgate run", () => {
  it("has one row per running attempt under a header, and nothing when nothing runs", () => {
    expect(renderRunTable([], 0, 100, 10)).toEqual([]);
    expect(renderRunTable([row("TEST-001", 0), { ...row("SEC-1", 55_000), agent: "codex", step: "acceptance" }], 65_000, 100, 10)).toEqual([
      "  TASK      AGENT   ATTEMPT  STEP        TIME",
      "  TEST-001  claude  1/3      agent       1m 05s",
      "  SEC-1     codex   1/3      acceptance  10s",
    ]);
  });

  it("keeps to the terminal: rows beyond its height are counted, lines cut to its width, long ids shortened", () => {
    const rows = Array.from({ length: 6 }, (_, i) => row(`T${i}`, 0));
    expect(renderRunTable(rows, 0, 100, 4)).toEqual([
      "  TASK  AGENT   ATTEMPT  STEP        TIME",
      "  T0    claude  1/3      agent       0s",
      "  T1    claude  1/3      agent       0s",
      "  T2    claude  1/3      agent       0s",
      "  … and 3 more running",
    ]);
    const [, long] = renderRunTable([row("a-very-long-task-identifier-indeed", 0)], 0, 30, 5);
    expect(long).toBe("  a-very-long-task-identi…  c");
  });

  it("writes elapsed time as seconds, minutes, hours", () => {
    expect([0, 7_900, 185_000, 3_725_000].map(elapsed)).toEqual(["0s", "7s", "3m 05s", "1h 02m"]);
  });
});
