import { describe, expect, it } from "vitest";
import { isBusy, retryBusy } from "../../src/store/sqlite/connection.js";

describe("regression: two workers opening one SQLite file now and then died with 'database is locked' (an extended SQLITE_BUSY code was not retried)", () => {
  it("counts SQLITE_BUSY and its extended codes as busy, and nothing else", () => {
    for (const code of ["SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT", "SQLITE_BUSY_RECOVERY", "SQLITE_BUSY_TIMEOUT"]) expect(isBusy({ code }), code).toBe(true);
    for (const code of ["SQLITE_LOCKED", "SQLITE_CONSTRAINT", "SQLITE_BUSYX", undefined, 5]) expect(isBusy({ code }), String(code)).toBe(false);
  });

  it("retries a call refused with SQLITE_BUSY_SNAPSHOT until it goes through", () => {
    let calls = 0;
    const result = retryBusy(() => {
      calls++;
      if (calls < 3) throw Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY_SNAPSHOT" });
      return "written";
    });
    expect(result).toBe("written");
    expect(calls).toBe(3);
  });
});
