import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dbCopyCommand } from "../../src/cli/commands/db.js";
import type { CliIo } from "../../src/cli/output.js";
import { openStore } from "../../src/store/open-store.js";
import { AT, sampleSnapshot } from "../store/conformance.js";

const io = (isTty: boolean, isCi: boolean): CliIo & { err: string[] } => {
  const err: string[] = [];
  return { err, stdout: () => undefined, stderr: (t) => void err.push(t), isTty, isCi, color: false, env: { SHIPGATE_NOW: AT } };
};

describe("db copy progress", () => {
  it("rewrites one line per table in place on a terminal, and prints one plain line per table in CI", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-db-"));
    const store = await openStore(join(dir, "a.db"), { at: AT });
    await store.saveSnapshot(sampleSnapshot(1));
    await store.close();

    const tty = io(true, false);
    expect(await dbCopyCommand({ cwd: dir, from: "a.db", to: "b.db" }, tty)).toBe(0);
    const text = tty.err.join("");
    expect(text).toContain("\r\u001b[K[db] copying snapshot 1/1\n");
    expect(text).toContain("\r\u001b[K[db] verifying source 2/2\n");
    expect(text.split("\n").length).toBe(2 * 13 + 1);

    const ci = io(true, true);
    expect(await dbCopyCommand({ cwd: dir, from: "a.db", to: "c.db" }, ci)).toBe(0);
    expect(ci.err.join("")).not.toContain("\r");
    expect(ci.err.slice(0, 2)).toEqual(["[db] copied snapshot: 1 row\n", "[db] copied source: 2 rows\n"]);
  });
});
