import { isAbsolute } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TrackerResponse, TrackerSummaryResponse } from "../../src/server/api-types.js";
import { programServer, type ProgramServer } from "./app-helpers.js";

describe("GET /api/tracker?view=summary: the tracker without its per-task and per-run rows", () => {
  let server: ProgramServer;
  beforeAll(async () => {
    server = await programServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("is the full tracker minus tasks, runs, flow.cycles and flow.estimates, every other figure equal", async () => {
    const full = (await (await server.app.request("/api/tracker")).json()) as TrackerResponse;
    const summary = (await (await server.app.request("/api/tracker?view=summary")).json()) as TrackerSummaryResponse & Record<string, unknown>;
    expect(full.tasks.length).toBeGreaterThan(0);
    expect(full.flow.cycles.length).toBeGreaterThan(0);
    expect(summary).not.toHaveProperty("tasks");
    expect(summary).not.toHaveProperty("runs");
    expect(summary.flow).not.toHaveProperty("cycles");
    expect(summary.flow).not.toHaveProperty("estimates");
    const { tasks: _t, runs: _r, flow, ...rest } = full;
    const { cycles: _c, estimates: _e, ...flowRest } = flow;
    expect(summary).toEqual({ ...rest, flow: flowRest });
    expect(summary.flow.cycleTime).toEqual(full.flow.cycleTime);
  });

  it("regression: names the plan relative to the server's folder, as `shipgate track --json` does (it answered the server's absolute path)", async () => {
    const full = (await (await server.app.request("/api/tracker")).json()) as TrackerResponse;
    expect(full.plan?.source).toBeTruthy();
    expect(isAbsolute(full.plan?.source ?? "/")).toBe(false);
  });

  it("takes asOf with it, and refuses another view with 400 USAGE", async () => {
    const past = (await (await server.app.request("/api/tracker?view=summary&asOf=2026-11-06")).json()) as TrackerSummaryResponse;
    expect(past.asOf).toBe("2026-11-06");
    const response = await server.app.request("/api/tracker?view=everything");
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("USAGE");
  });
});
