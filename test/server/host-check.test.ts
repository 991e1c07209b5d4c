import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { programServer, type ProgramServer } from "./app-helpers.js";

describe("regression: a loopback server answered any Host header (a page on another site could read the API through DNS rebinding)", () => {
  let server: ProgramServer;
  beforeAll(async () => {
    server = await programServer({ allowedHosts: ["localhost", "127.0.0.1", "::1"] });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("answers localhost, 127.0.0.1 and [::1] with or without a port", async () => {
    for (const host of ["localhost", "127.0.0.1:7077", "[::1]:7077", "LOCALHOST:1"]) {
      const response = await server.app.request("http://x/api/tasks", { headers: { Host: host } });
      expect(response.status, host).toBe(200);
    }
  });

  it("refuses another name with 403 FORBIDDEN_HOST, on the API, the dashboard and /metrics alike", async () => {
    for (const [host, path] of [
      ["evil.example", "/api/tasks"],
      ["evil.example:7077", "/"],
      ["127.0.0.1.evil.example", "/metrics"],
      ["", "/api/snapshots"],
    ] as const) {
      const response = await server.app.request(`http://x${path}`, { headers: { Host: host } });
      expect(response.status, `${host} ${path}`).toBe(403);
      const body = (await response.json()) as { error: { code: string; hint: string } };
      expect(body.error.code).toBe("FORBIDDEN_HOST");
      expect(body.error.hint).toContain("--allow-host");
    }
  });
});
