import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { expect } from "vitest";
import { sqliteProbe, testCrashMidSnapshot } from "./crash.js";

testCrashMidSnapshot(
  "sqlite",
  () => join(mkdtempSync(join(tmpdir(), "shipgate-crash-")), "shipgate.db"),
  sqliteProbe,
  (db) => {
    // The file itself is sound after recovery.
    const raw = new Database(db);
    expect(raw.pragma("integrity_check", { simple: true })).toBe("ok");
    raw.close();
  },
);
