import { describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fixture, repoRoot } from "../cli/run-cli.js";

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const version = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { version: string }).version;

/**
 * The README's install path, as a new user follows it: pack the repository, install the tarball into a
 * scratch project from the npm registry (better-sqlite3 compiles from source: minutes, not seconds), run it.
 */
describe("installing shipgate from a packed tarball", () => {
  it("installs into a scratch project, and `npx shipgate` runs there (it was only runnable inside the clone)", () => {
    const packDir = mkdtempSync(join(tmpdir(), "shipgate-pack-"));
    execFileSync(npm, ["pack", "--pack-destination", packDir, "--silent"], { cwd: repoRoot, stdio: ["ignore", "pipe", "inherit"] });
    const tarball = readdirSync(packDir).find((f) => f.endsWith(".tgz"));
    expect(tarball).toBe(`shipgate-${version}.tgz`);

    const project = mkdtempSync(join(tmpdir(), "shipgate-user-"));
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", version: "1.0.0", private: true }));
    const install = spawnSync(npm, ["install", "--save-dev", "--no-audit", "--no-fund", join(packDir, tarball as string)], { cwd: project, encoding: "utf8", timeout: 600_000 });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stderr).not.toMatch(/EBADENGINE/);

    const npx = (...args: string[]) => spawnSync(npm, ["exec", "--no", "--", "shipgate", ...args], { cwd: project, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "" } });
    const v = npx("--version");
    expect(v.stdout.trim()).toBe(version);
    const assess = npx("assess", "--no-run", "--report", fixture("ingest/junit/vitest-4.1-mixed.xml"), "--json");
    expect([0, 1], assess.stderr).toContain(assess.status);
    expect((JSON.parse(assess.stdout) as { tests: { total: number } }).tests.total).toBeGreaterThan(0);
    // The package ships the JSON Schemas that shipgate.yaml and plans point at.
    expect(readdirSync(join(project, "node_modules/shipgate/schema"))).toContain("shipgate.schema.json");
  }, 900_000);
});

describe("package.json", () => {
  it("installs on Node 20 without EBADENGINE: no locked package requires a newer Node (markdown-link-check 3.15 pulled chalk 6 and commander 15)", async () => {
    const { minVersion, satisfies } = await import("semver");
    const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; engines?: { node?: string } | string[] }> };
    const ours = (JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { engines: { node: string } }).engines.node;
    // What a user installs must run on the oldest Node we claim; the tools we develop with need Node 20.19 (CONTRIBUTING.md).
    const runtimeFloor = minVersion(ours)?.version ?? "unknown";
    const tooNew = Object.entries(lock.packages).flatMap(([path, p]) => {
      const node = p.engines && !Array.isArray(p.engines) ? p.engines.node : undefined;
      if (path === "" || node === undefined) return [];
      const floor = p.dev === true ? "20.19.0" : runtimeFloor;
      return satisfies(floor, node) ? [] : [`${path} needs node ${node} (checked against ${floor})`];
    });
    expect(runtimeFloor).toMatch(/^20\./);
    expect(tooNew).toEqual([]);
  });
});
