#!/usr/bin/env node
// A deterministic repository and lcov reports for the assess golden test (test/golden/assess.test.ts):
// enough files that path resolution, packages, the coverage merge across reports and the stored rows
// are all exercised, small enough that the test stays quick. Same arguments give byte-identical output.
//
// Usage: node test/support/gen-assess-input.mjs <outDir> [files=1500]
//   <outDir>/repo/…          source files (most of the ones the reports name), package.json manifests
//   <outDir>/repo/coverage/lcov.info     relative, absolute (another machine's CI), Windows and ./ paths
//   <outDir>/repo/coverage/shard-2.info  a second report covering a fifth of the files again, hits differing
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { prng } from "./generate.mjs";


const PACKAGES = ["packages/api", "packages/web", "packages/core", "services/worker", "tools"];
const DIRS = ["src", "src/util", "src/store", "lib", "test"];
const WORDS = ["money", "queue", "cache", "auth", "plan", "gate", "report", "index", "parse", "store"];

/** One source file's lcov record; `hits(line)` decides each DA. */
function record(path, lines, rand, skew = 0) {
  const out = ["TN:", `SF:${path}`];
  const functions = 1 + Math.floor(rand() * 4);
  for (let f = 0; f < functions; f++) out.push(`FN:${1 + f * 7},fn_${f}`);
  let fnHit = 0;
  for (let f = 0; f < functions; f++) {
    const n = rand() < 0.6 ? Math.floor(rand() * 50) + skew : 0;
    if (n > 0) fnHit++;
    out.push(`FNDA:${n},fn_${f}`);
  }
  out.push(`FNF:${functions}`, `FNH:${fnHit}`);
  let lh = 0;
  let brf = 0;
  let brh = 0;
  for (let l = 1; l <= lines; l++) {
    if (rand() < 0.15) continue; // not executable: no DA line
    if (rand() < 0.1) {
      for (let b = 0; b < 2; b++) {
        const taken = rand();
        const n = taken < 0.2 ? "-" : String(Math.floor(taken * 6) - 1 + skew);
        brf++;
        if (n !== "-" && n !== "0") brh++;
        out.push(`BRDA:${l},0,${b},${n}`);
      }
    }
    const n = rand() < 0.7 ? Math.floor(rand() * 20) + skew : skew;
    if (n > 0) lh++;
    out.push(`DA:${l},${n}`);
  }
  const lf = out.filter((x) => x.startsWith("DA:")).length;
  if (brf > 0) out.push(`BRF:${brf}`, `BRH:${brh}`);
  out.push(`LF:${lf}`, `LH:${lh}`, "end_of_record");
  return out.join("\n");
}

export function generate(outDir, files = 1500) {
  const rand = prng(0xa55e5501);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const repo = join(outDir, "repo");
  const write = (path, text) => {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  write("package.json", `${JSON.stringify({ name: "generated", private: true, workspaces: ["packages/*"] }, null, 2)}\n`);
  for (const p of PACKAGES) if (p !== "tools") write(`${p}/package.json`, `${JSON.stringify({ name: p.split("/")[1] }, null, 2)}\n`);
  write("README.md", "# generated\n\nSee [the docs](docs/index.md).\n");

  const main = [];
  const shard = [];
  for (let i = 0; i < files; i++) {
    const pkg = pick(PACKAGES);
    const path = `${pkg}/${pick(DIRS)}/${pick(WORDS)}_${i}.${pick(["ts", "ts", "js", "py"])}`;
    const kind = rand();
    // Most files exist in the repository; some were deleted since the report was written.
    if (kind < 0.9) write(path, `// ${path}\n`);
    let named;
    if (kind < 0.55) named = path;
    else if (kind < 0.7) named = `/home/runner/work/generated/generated/${path}`;
    else if (kind < 0.78) named = `C:\\ci\\generated\\${path.replace(/\//g, "\\")}`;
    else if (kind < 0.85) named = `./${path}`;
    else if (kind < 0.9) named = path.slice(pkg.length + 1); // relative to its package: resolved by suffix or not at all
    else named = `gone/${path}`;
    const lines = int(5, 60);
    main.push(record(named, lines, rand));
    if (rand() < 0.2) shard.push(record(named, lines + (rand() < 0.3 ? 3 : 0), rand, rand() < 0.5 ? 1 : 0));
  }
  write("coverage/lcov.info", `${main.join("\n")}\n`);
  write("coverage/shard-2.info", `${shard.join("\n")}\n`);
  return { repo, reports: ["coverage/lcov.info", "coverage/shard-2.info"] };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [out, files] = process.argv.slice(2);
  if (!out) {
    console.error("usage: node test/support/gen-assess-input.mjs <outDir> [files]");
    process.exit(2);
  }
  generate(out, files === undefined ? undefined : Number(files));
}
