// V8's young generation under a cap, in a fresh process (the test worker's heap has grown already).
// Runs the built module (npm run build first).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../cli/run-cli.js";

const MODULE = join(repoRoot, "dist/app/young-generation.js");

/** Keeps a quarter of a million small objects alive, as a report parser does, and prints the young generation's size (MB) at each step. */
const SCRIPT = `
const { capYoungGeneration, youngGenerationBytes } = await import(${JSON.stringify(MODULE)});
const keep = [];
const grow = async () => {
  for (let round = 0; round < 50; round++) {
    for (let i = 0; i < 5000; i++) keep.push({ i, text: "line " + i });
    await new Promise((r) => setImmediate(r));
  }
};
const mb = () => youngGenerationBytes() / 1048576;
const sizes = { start: mb() };
const lift = process.argv.includes("--capped") ? capYoungGeneration(4 * 1048576) : () => {};
await grow();
sizes.during = mb();
lift();
await grow();
await grow();
sizes.after = mb();
console.log(JSON.stringify(sizes));
`;

function run(capped: boolean): { start: number; during: number; after: number } {
  const child = spawnSync(process.execPath, ["--input-type=module", "-e", SCRIPT, ...(capped ? ["--", "--capped"] : [])], { encoding: "utf8" });
  expect(child.status, child.stderr).toBe(0);
  return JSON.parse(child.stdout) as { start: number; during: number; after: number };
}

describe("capYoungGeneration", () => {
  it("keeps the young generation at the cap while it is on, and lets it grow again once lifted", () => {
    const free = run(false);
    expect(free.start).toBeLessThan(4);
    expect(free.during).toBeGreaterThan(4);
    const capped = run(true);
    expect(capped.during).toBeLessThanOrEqual(4);
    expect(capped.after).toBeGreaterThan(capped.during);
  });
});
