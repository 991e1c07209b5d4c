import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { copyOfDemo, shipgate } from "./run-cli.js";

describe("assess --gate with a baseline that names nothing", () => {
  it.each([
    ["ref:no-such-ref", /\[gate\] baseline ref:no-such-ref: git cannot resolve "no-such-ref"/],
    ["snapshot:99", /no snapshot 99 in /],
    ["main", /baseline "main" does not exist/],
  ])("regression: --baseline %s stored the snapshot, then exited 2 (the help says nothing is stored then)", (baseline, message) => {
    const dir = copyOfDemo();
    execFileSync("git", ["-c", "user.email=t@t", "-c", "user.name=t", "commit", "-q", "--allow-empty", "-m", "init"], { cwd: dir });
    const run = shipgate(["assess", "--no-run", "--gate", "release", "--baseline", baseline], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toContain("nothing was assessed or stored");
    expect(shipgate(["history", "--json"], { cwd: dir }).stdout.trim()).toBe("[]");
  });
});
