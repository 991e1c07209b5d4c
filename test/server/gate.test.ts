import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiError, GateResult } from "../../src/server/api-types.js";
import { programServer, type ProgramServer } from "./app-helpers.js";

describe("GET /api/gate", () => {
  let s: ProgramServer;
  beforeAll(async () => {
    s = await programServer();
    execFileSync("git", ["init", "-q"], { cwd: s.dir });
  });
  afterAll(async () => s.dispose());

  it("judges a snapshot with a named gate and records no gate.evaluated event (a read)", async () => {
    const before = await s.store.listEvents({ type: "gate.evaluated" });
    const response = await s.app.request("/api/gate?gate=release&snapshot=latest&baseline=snapshot:1");
    const result = (await response.json()) as GateResult;
    expect(response.status).toBe(200);
    expect(result.gate).toBe("release");
    expect(["GO", "NO-GO"]).toContain(result.verdict);
    expect(await s.store.listEvents({ type: "gate.evaluated" })).toEqual(before);
  });

  it("refuses an unknown gate, a bad baseline and a bad date with 400", async () => {
    for (const query of ["gate=nope", "baseline=weird:x", "date=tomorrow"]) {
      const response = await s.app.request(`/api/gate?${query}`);
      expect([query, response.status, ((await response.json()) as ApiError).error.code]).toEqual([query, 400, "USAGE"]);
    }
  });
});
