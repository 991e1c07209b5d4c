import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { GanttResponse } from "../../src/server/api-types.js";
import { createApp } from "../../src/server/app.js";
import { openStore } from "../../src/store/open-store.js";
import { PROGRAM } from "../track/program.js";
import { programServer, type ProgramServer } from "./app-helpers.js";

describe("GET /api/plan/gantt and /api/plan/gantt.svg: the stored plan's chart with stored states", () => {
  let server: ProgramServer;
  beforeAll(async () => {
    server = await programServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("answers the chart model: every stored task once, its stored state, a critical path, the today line", async () => {
    const response = await server.app.request("/api/plan/gantt");
    expect(response.status).toBe(200);
    const chart = (await response.json()) as GanttResponse;
    const bars = chart.sections.flatMap((s) => s.bars);
    const tasks = (await server.store.listTasks()).filter((t) => !t.removed);
    expect(bars.map((b) => b.id).sort()).toEqual(tasks.map((t) => t.id).sort());
    for (const bar of bars) expect(bar.state).toBe(tasks.find((t) => t.id === bar.id)?.state);
    expect(bars.some((b) => b.critical)).toBe(true);
    expect(chart.today).toBe(PROGRAM.now.slice(0, 10));
    expect(chart.omitted).toBe(0);
  });

  it("takes the today line and a bar limit from the query, and refuses bad values with 400 USAGE", async () => {
    const chart = (await (await server.app.request("/api/plan/gantt?date=2026-11-03&maxTasks=2")).json()) as GanttResponse;
    expect(chart.today).toBe("2026-11-03");
    expect(chart.sections.flatMap((s) => s.bars)).toHaveLength(2);
    expect(chart.omitted).toBe(chart.total - 2);
    for (const bad of ["date=yesterday", "maxTasks=0", "maxTasks=x"]) {
      const response = await server.app.request(`/api/plan/gantt?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("USAGE");
    }
  });

  it("draws the same chart as an SVG that may run no script", async () => {
    const response = await server.app.request("/api/plan/gantt.svg");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await response.text()).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
  });

  it("says 404 NOT_FOUND before any plan was imported", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-gantt-empty-"));
    mkdirSync(join(dir, ".shipgate"), { recursive: true });
    writeFileSync(join(dir, "README.md"), "empty\n");
    const store = await openStore(join(dir, ".shipgate", "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
    const app = createApp({ store, cwd: dir, token: "x".repeat(20), now: () => "2026-11-02T08:00:00.000Z" });
    const response = await app.app.request("/api/plan/gantt");
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    app.close();
    await store.close();
  });
});
