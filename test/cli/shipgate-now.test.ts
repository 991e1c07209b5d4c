import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { copyOfDemo, shipgate } from "./run-cli.js";

describe("SHIPGATE_NOW", () => {
  it("regression: assess and gate stamped the clock's time on the snapshot and the gate's event, not SHIPGATE_NOW", () => {
    const dir = copyOfDemo();
    const env = { SHIPGATE_NOW: "2026-12-01T09:00:00Z" };
    expect(shipgate(["assess", "--no-run", "--gate", "release"], { cwd: dir, env }).code).toBeLessThan(2);
    expect(shipgate(["gate"], { cwd: dir, env: { SHIPGATE_NOW: "2026-12-02T09:00:00Z" } }).code).toBeLessThan(2);
    const history = JSON.parse(shipgate(["history", "--json"], { cwd: dir }).stdout) as { takenAt: string }[];
    expect(history.map((s) => s.takenAt)).toEqual(["2026-12-01T09:00:00.000Z"]);
    const db = new Database(join(dir, ".shipgate/shipgate.db"), { readonly: true });
    expect(db.prepare("SELECT type, at FROM event ORDER BY id").all()).toEqual([
      { type: "snapshot.created", at: "2026-12-01T09:00:00.000Z" },
      { type: "gate.evaluated", at: "2026-12-01T09:00:00.000Z" },
      { type: "gate.evaluated", at: "2026-12-02T09:00:00.000Z" },
    ]);
    db.close();
  });
});
