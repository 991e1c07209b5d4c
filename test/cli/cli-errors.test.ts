import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { copyOfDemo, fixture, shipgate, tempDir } from "./run-cli.js";

/** Exit 2, the message on stderr, no stack trace. */
function refused(args: string[], cwd: string, message: RegExp, env: NodeJS.ProcessEnv = {}) {
  const result = shipgate(args, { cwd, env });
  expect(result.stderr).toMatch(message);
  expect(result.code).toBe(2);
  expect(result.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
  return result;
}

describe("bad flags and paths exit 2 with what is wrong and what to do, and create nothing", () => {
  it.each([
    ["2026-02-30", /--date 2026-02-30 is not a day: 2026-02 has no day 30/],
    ["2026-13-01", /--date 2026-13-01 is not a day: there is no month 13/],
    ["2027-02-29", /--date 2027-02-29 is not a day: 2027-02 has no day 29/],
    ["garbage", /--date must look like 2026-12-31 \(a day as YYYY-MM-DD; got "garbage"\)/],
    ["2026-1-05", /--date must look like 2026-12-31/],
  ])("regression: gate --date %s is refused, not used to judge waivers", (day, message) => {
    const dir = tempDir();
    refused(["gate", "--date", day], dir, message);
    refused(["plan", "show", "--date", day], dir, message);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("takes a real leap day; without a store, gate and show say so and create none", () => {
    const dir = tempDir();
    // Past the date check: there is simply no snapshot yet.
    refused(["gate", "--date", "2028-02-29"], dir, /\[store\] no snapshot in .*shipgate\.db \(there is no store yet\)\n {2}→ run `shipgate assess` first/);
    refused(["show"], dir, /there is no store yet/);
    refused(["baseline", "set", "main"], dir, /there is no store yet/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("regression: --db in a folder that does not exist is an error naming the folder, not a new empty store", () => {
    const dir = tempDir();
    const result = refused(["history", "--db", "nope/store.db"], dir, /\[store\] nope\/store\.db: the folder .*\/nope does not exist/);
    expect(result.stderr).toMatch(/→ create it first \(mkdir -p .*\/nope\) or fix the path; nothing was created/);
    refused(["assess", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml"), "--db", join(dir, "a/b/c.db")], dir, /the folder .*\/a\/b does not exist/);
    expect(existsSync(join(dir, "nope"))).toBe(false);
    expect(existsSync(join(dir, "a"))).toBe(false);
    refused(["history", "--db", dir], dir, /is a directory, not a database file\n {2}→ name a file, e.g. .*\/shipgate\.db/);
    // The default store's folder is still created on first use by a command that writes (history only reads).
    expect(shipgate(["assess", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml")], { cwd: dir }).code).toBe(0);
    expect(existsSync(join(dir, ".shipgate/shipgate.db"))).toBe(true);
  });

  it("regression: a directory where shipgate.yaml should be, or named by --config or --plan, says so", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "shipgate.yaml"));
    mkdirSync(join(dir, "plans"));
    refused(["gate"], dir, /\[config\] shipgate\.yaml is a directory, not a config file\n {2}→ shipgate reads its settings from the file shipgate\.yaml: rename or move that directory, or pass --config FILE/);
    refused(["gate", "--config", "plans"], dir, /\[config\] plans is a directory, not a config file\n {2}→ pass --config the YAML file itself/);
    refused(["plan", "check", "--plan", "plans"], dir, /\[plan\] plans is a directory, not a plan file\n {2}→ pass --plan the plan file itself/);
  });

  it("regression: --cwd that does not exist (or is a file) is refused before a store is created in it", () => {
    const dir = tempDir();
    refused(["history", "--cwd", "missing"], dir, /\[cli\] --cwd missing: no such directory/);
    refused(["assess", "--cwd", "missing", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml")], dir, /--cwd missing: no such directory/);
    refused(["docs", "check", "--cwd", fixture("ingest/junit/vitest-4.1-all-pass.xml")], dir, /is a file, not a directory/);
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("refuses an unknown snapshot for a baseline, a task state that does not exist, and a folder as output file", () => {
    const dir = copyOfDemo();
    expect(shipgate(["assess", "--no-run"], { cwd: dir }).code).toBe(0);
    refused(["baseline", "set", "main", "7"], dir, /\[baseline\] no snapshot 7 in .*\n {2}→ `shipgate history` lists the snapshots/);
    refused(["baseline", "set", "main", "latest~1"], dir, /\[baseline\] no snapshot latest~1/);
    refused(["task", "list", "--state", "doing"], dir, /--state must be one of pending, in_progress, done, failed, blocked \(got "doing"\)/);
    mkdirSync(join(dir, "out"));
    refused(["plan", "gantt", "--svg", "out"], dir, /\[plan\] --svg out: cannot write .*\/out: it is a directory/);
    refused(["plan", "status", "--out", "out"], dir, /\[plan\] --out out: cannot write .*\/out: it is a directory/);
  });
});

describe("task fail, block and reset on a task another agent holds", () => {
  it("regression: are refused like done, unless --any with a --reason", () => {
    const dir = copyOfDemo();
    const noAgent = { SHIPGATE_AGENT: "" };
    expect(shipgate(["task", "start", "MEAS-001", "--agent", "claude"], { cwd: dir }).code).toBe(0);

    refused(["task", "fail", "MEAS-001", "--agent", "codex", "--reason", "looks stuck"], dir, /\[task\] MEAS-001 is in progress, held by claude, not codex\n {2}→ claude moves it; to move another agent's task anyway: --any --reason "…"/);
    refused(["task", "block", "MEAS-001", "--agent", "codex", "--reason", "x"], dir, /held by claude, not codex/);
    refused(["task", "block", "MEAS-001", "--reason", "x"], dir, /MEAS-001 is in progress, held by claude\n {2}→ pass --agent claude if you are claude/, noAgent);
    // done too, when the caller names no agent (it used to let anyone without --agent finish claude's task).
    refused(["task", "done", "MEAS-001"], dir, /MEAS-001 was started by claude\n {2}→ pass --agent claude if you are claude; --force --reason overrides/, noAgent);

    // Its holder may park it; parked, it is still the holder's.
    expect(shipgate(["task", "block", "MEAS-001", "--agent", "claude", "--reason", "waiting for CI"], { cwd: dir }).code).toBe(0);
    refused(["task", "reset", "MEAS-001", "--agent", "codex"], dir, /MEAS-001 is blocked, held by claude, not codex/);
    refused(["task", "reset", "MEAS-001", "--agent", "codex", "--any"], dir, /--any needs --reason/);
    const taken = shipgate(["task", "reset", "MEAS-001", "--agent", "codex", "--any", "--reason", "claude left the project"], { cwd: dir });
    expect(taken).toMatchObject({ code: 0, stdout: "MEAS-001 pending: claude left the project\n" });

    // Nobody holds a pending task: anyone may block it, as before.
    expect(shipgate(["task", "block", "MEAS-001", "--reason", "waiting for the CI image"], { cwd: dir, env: noAgent }).code).toBe(0);
    expect(shipgate(["task", "reset", "MEAS-001"], { cwd: dir, env: noAgent }).code).toBe(0);
    const list = JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string; state: string }[];
    expect(list.find((t) => t.id === "MEAS-001")?.state).toBe("pending");
  });
});
