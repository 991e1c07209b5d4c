import { afterEach, expect, it } from "vitest";
import { dayParam } from "../../src/server/params.js";
import { programServer, type ProgramServer } from "./app-helpers.js";

let server: ProgramServer | undefined;
afterEach(async () => {
  await server?.dispose();
  server = undefined;
});

// Found by the issue 13 trial on unjs/ufo (docs/trials/issue-13): V8's Date.parse reads 2025-02-30 as March 2, so
// GET /api/gate?date=2025-02-30 answered 200 with "evaluatedOn": "2025-02-30" (the CLI's --date refuses it), and
// /api/tracker?asOf=2025-02-30 failed deep in the tracker with a message about the burn-down.
it("a day parameter that is not in the calendar (2025-02-30, 2025-04-31) is a 400 USAGE, not a gate evaluated on it", async () => {
  server = await programServer();
  for (const path of ["/api/gate?date=2025-02-30", "/api/gate?date=2025-04-31", "/api/tracker?asOf=2025-02-30", "/api/tracker?asOf=2025-02-29"]) {
    const response = await server.app.request(path);
    expect(response.status, path).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code, path).toBe("USAGE");
    expect(body.error.message, path).toMatch(/must be a day of the calendar, YYYY-MM-DD \(got "2025-0[24]-(29|30|31)"\)/);
  }
  expect(dayParam("2024-02-29", "date")).toBe("2024-02-29");
  expect(dayParam("2025-12-31", "date")).toBe("2025-12-31");
  expect(() => dayParam("2025-13-01", "date")).toThrow(/must be a day of the calendar/);
});
