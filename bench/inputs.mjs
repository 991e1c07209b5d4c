// Benchmark inputs: generated once by the shared gen.mjs, reused while they are still what it would write.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The shared generator: `../shared/bench/gen.mjs` next to the repository, or `SHIPGATE_BENCH_GEN`. */
export function locateGenerator(root) {
  const fromEnv = process.env.SHIPGATE_BENCH_GEN;
  const path = fromEnv ? resolve(fromEnv) : resolve(root, "../shared/bench/gen.mjs");
  if (!existsSync(path)) {
    const how = fromEnv ? `SHIPGATE_BENCH_GEN points to ${path}, which does not exist` : `${path} does not exist`;
    throw new Error(`[bench] input generator not found: ${how}. Check out the shared bench next to this repository, or set SHIPGATE_BENCH_GEN=/path/to/gen.mjs.`);
  }
  return path;
}

/**
 * Returns `{ path, bytes, reused }` for one input. gen.mjs is deterministic, so a file whose size
 * matches what this generator (same content hash, same count) wrote last time is the same file.
 * Existing files without that record are regenerated once, because their origin is unknown.
 */
export function ensureInput({ gen, dataDir, kind, fileName, count }) {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, fileName);
  const manifestPath = join(dataDir, "inputs.json");
  const manifest = existsSync(manifestPath) ? JSON.parse(readFileSync(manifestPath, "utf8")) : {};
  const genSha256 = createHash("sha256").update(readFileSync(gen)).digest("hex");
  const known = manifest[fileName];
  if (known && known.genSha256 === genSha256 && known.count === count && existsSync(path) && statSync(path).size === known.bytes) {
    return { path, bytes: known.bytes, reused: true };
  }

  process.stdout.write(`generating ${fileName} (${kind}, ${count}) with ${gen} …\n`);
  // Write beside and rename, so an interrupted run never leaves a truncated file under the real name.
  const tmp = `${path}.tmp`;
  const run = spawnSync(process.execPath, [gen, kind, tmp, String(count)], { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) {
    rmSync(tmp, { force: true });
    throw new Error(`[bench] ${gen} ${kind} failed (exit ${run.status ?? run.signal})`);
  }
  renameSync(tmp, path);
  const bytes = statSync(path).size;
  manifest[fileName] = { kind, count, bytes, genSha256 };
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return { path, bytes, reused: false };
}
