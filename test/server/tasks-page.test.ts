import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskListResponse } from "../../src/server/api-types.js";
import { programServer, type ProgramServer } from "./app-helpers.js";

describe("GET /api/tasks?limit=&offset=: a page of the tasks, with their count", () => {
  let server: ProgramServer;
  beforeAll(async () => {
    server = await programServer();
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("answers the tasks in plan order from offset, at most limit, and X-Total-Count on every answer (304 included)", async () => {
    const all = await server.app.request("/api/tasks");
    const tasks = (await all.json()) as TaskListResponse;
    expect(all.headers.get("x-total-count")).toBe(String(tasks.length));
    const page = await server.app.request("/api/tasks?limit=3&offset=2");
    expect(((await page.json()) as TaskListResponse).map((t) => t.id)).toEqual(tasks.slice(2, 5).map((t) => t.id));
    expect(page.headers.get("x-total-count")).toBe(String(tasks.length));
    const again = await server.app.request("/api/tasks?limit=3&offset=2", { headers: { "If-None-Match": page.headers.get("etag") ?? "" } });
    expect(again.status).toBe(304);
    expect(again.headers.get("x-total-count")).toBe(String(tasks.length));
    const past = (await (await server.app.request(`/api/tasks?offset=${tasks.length}`)).json()) as TaskListResponse;
    expect(past).toEqual([]);
    const done = await server.app.request("/api/tasks?state=done&limit=1");
    expect(done.headers.get("x-total-count")).toBe(String(tasks.filter((t) => t.state === "done").length));
  });

  it("refuses a limit or offset that is not a count with 400 USAGE", async () => {
    for (const bad of ["limit=0", "limit=10001", "offset=-1", "limit=x"]) {
      const response = await server.app.request(`/api/tasks?${bad}`);
      expect(response.status, bad).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("USAGE");
    }
  });
});
