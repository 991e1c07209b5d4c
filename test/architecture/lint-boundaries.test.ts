import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BOUNDARY_RULES = ["@typescript-eslint/no-restricted-imports", "no-restricted-syntax", "no-restricted-globals"];

/**
 * The project's own eslint.config.js, with type information switched off for src/ at the end. The
 * probes below are linted as text under paths that exist nowhere on disk (src/gate/lint-probe.ts…): a
 * type-aware rule would need them in the TypeScript project, and a real temporary file under src/ could
 * be left behind by a crashed run (and be picked up by tsc, the build and other tests meanwhile). The
 * boundary rules read only the syntax, so they run unchanged: every other entry of the config, in its
 * order, still applies — the test below checks that the boundary options are the same as without the
 * override.
 */
const withoutTypes = new ESLint({ cwd: ROOT, overrideConfig: [{ ...tseslint.configs.disableTypeChecked, files: ["src/**/*.ts"] }] });

async function lint(path: string, code: string) {
  const [result] = await withoutTypes.lintText(code, { filePath: `${ROOT}${path}` });
  if (result === undefined) throw new Error(`no lint result for ${path}`);
  return result.messages;
}

async function boundaryErrors(path: string, code: string) {
  return (await lint(path, code)).filter((m) => m.ruleId !== null && BOUNDARY_RULES.includes(m.ruleId) && m.severity === 2);
}

describe("lint boundaries: what the pure core may not import", () => {
  it.each([
    { name: "node:fs", path: "src/gate/lint-probe.ts", code: `import { readFileSync } from "node:fs";\nexport const read = readFileSync;\n` },
    { name: "node:fs/promises (a subpath)", path: "src/plan/lint-probe.ts", code: `import { readFile } from "node:fs/promises";\nexport const read = readFile;\n` },
    { name: "fs/promises without node:", path: "src/score/lint-probe.ts", code: `import { readFile } from "fs/promises";\nexport const read = readFile;\n` },
    { name: "child_process without node:", path: "src/gate/lint-probe.ts", code: `import { spawn } from "child_process";\nexport const run = spawn;\n` },
    { name: "a type from an IO built-in", path: "src/track/lint-probe.ts", code: `import type { Socket } from "node:net";\nexport type S = Socket;\n` },
    { name: "os, dns, tls, worker_threads in one file", path: "src/snapshot/lint-probe.ts", code: `import "node:os";\nimport "dns";\nimport "node:tls";\nimport "worker_threads";\n` },
    { name: "a store driver (a value)", path: "src/gate/lint-probe.ts", code: `import { createSqliteDriver } from "../store/drivers/sqlite.js";\nexport const open = createSqliteDriver;\n` },
    { name: "an ingest parser (a value)", path: "src/snapshot/lint-probe.ts", code: `import { parsers } from "../ingest/registry.js";\nexport const all = parsers;\n` },
    { name: "the config loader (a value)", path: "src/plan/lint-probe.ts", code: `import { loadConfig } from "../config/load-config.js";\nexport const load = loadConfig;\n` },
    { name: "the CLI's output (a value)", path: "src/gate/lint-probe.ts", code: `import { createOutput } from "../cli/output.js";\nexport const out = createOutput;\n` },
    { name: "the CLI's output (even a type)", path: "src/gate/lint-probe.ts", code: `import type { Output } from "../cli/output.js";\nexport type O = Output;\n` },
    { name: "a use case of app/", path: "src/track/lint-probe.ts", code: `import { assess } from "../app/assess.js";\nexport const run = assess;\n` },
    { name: "the old pipeline, even a type", path: "src/score/lint-probe.ts", code: `import type { AssessSummary } from "../assess/summary.js";\nexport type S = AssessSummary;\n` },
    { name: "the git adapter from a subfolder", path: "src/plan/sub/lint-probe.ts", code: `import { gitOutput } from "../../git/process.js";\nexport const git = gitOutput;\n` },
    { name: "a re-export of a renderer", path: "src/gate/lint-probe.ts", code: `export { renderGateJunit } from "../report/gate-junit.js";\n` },
    { name: "an IO package", path: "src/plan/lint-probe.ts", code: `import { glob } from "tinyglobby";\nexport const find = glob;\n` },
    { name: 'a dynamic import("node:net")', path: "src/gate/lint-probe.ts", code: `export const load = () => import("node:net");\n` },
    { name: "a dynamic import of anything", path: "src/plan/lint-probe.ts", code: `export const load = (name: string): Promise<unknown> => import(name);\n` },
    { name: "the process global", path: "src/track/lint-probe.ts", code: `export const home = (): string | undefined => process.env.HOME;\n` },
    { name: "fetch", path: "src/score/lint-probe.ts", code: `export const get = (url: string): Promise<Response> => fetch(url);\n` },
  ])("fails on $name", async ({ path, code }) => {
    const errors = await boundaryErrors(path, code);
    expect(errors.length).toBeGreaterThan(0);
    const folder = path.split("/")[1] as string;
    for (const e of errors) expect(e.message).toContain(`src/${folder} is pure core`);
  });

  it.each([
    { name: "a type-only import of ../store/types.js", path: "src/gate/lint-probe.ts", code: `import type { SnapshotRecord } from "../store/types.js";\nexport type S = SnapshotRecord;\n` },
    { name: "a type-only re-export from ../ingest/types.js", path: "src/snapshot/lint-probe.ts", code: `export type { TestCase } from "../ingest/types.js";\n` },
    { name: "a type of config's schema", path: "src/gate/lint-probe.ts", code: `import type { ShipgateConfig } from "../config/schema.js";\nexport type C = ShipgateConfig;\n` },
    { name: "a type of facts/", path: "src/snapshot/lint-probe.ts", code: `import type { RepoFacts } from "../facts/repo-facts.js";\nexport type F = RepoFacts;\n` },
    { name: "a constant of a contract file", path: "src/snapshot/lint-probe.ts", code: `import { ADVISORY_FORMATS } from "../ingest/types.js";\nexport const formats = ADVISORY_FORMATS;\n` },
    { name: "another core module, errors and pure built-ins", path: "src/track/lint-probe.ts", code: `import { createHash } from "node:crypto";\nimport { posix } from "node:path";\nimport { ShipgateError } from "../errors.js";\nimport { pct } from "../score/percent.js";\nexport const all = [createHash, posix, ShipgateError, pct];\n` },
    { name: "a pure package", path: "src/plan/lint-probe.ts", code: `import picomatch from "picomatch";\nexport const match = picomatch;\n` },
  ])("allows $name", async ({ path, code }) => {
    expect(await lint(path, code)).toEqual([]);
  });
});

describe("lint boundaries: entry points", () => {
  it.each([
    { name: "an adapter importing cli/", path: "src/report/lint-probe.ts", code: `import { createOutput } from "../cli/output.js";\nexport const out = createOutput;\n` },
    { name: "an adapter importing cli/ dynamically", path: "src/ingest/lint-probe.ts", code: `export const load = () => import("../cli/output.js");\n` },
    { name: "server/ importing cli/", path: "src/server/lint-probe.ts", code: `import type { Output } from "../cli/output.js";\nexport type O = Output;\n` },
    { name: "app/ importing server/", path: "src/app/lint-probe.ts", code: `import { createApp } from "../server/app.js";\nexport const app = createApp;\n` },
    { name: "app/ importing mcp/ dynamically", path: "src/app/lint-probe.ts", code: `export const load = () => import("../mcp/server.js");\n` },
    { name: "app/ importing cli/ (even a type)", path: "src/app/lint-probe.ts", code: `import type { Output } from "../cli/output.js";\nexport type O = Output;\n` },
    { name: "app/ importing telemetry/", path: "src/app/lint-probe.ts", code: `import { tracer } from "../telemetry/tracer.js";\nexport const t = tracer;\n` },
    { name: "the library API exporting a command", path: "src/lint-probe.ts", code: `export { createProgram } from "./cli/program.js";\n` },
  ])("fails on $name", async ({ path, code }) => {
    expect(await boundaryErrors(path, code)).not.toEqual([]);
  });

  it.each([
    { name: "cli/ importing cli/, server/ and app/", path: "src/cli/commands/lint-probe.ts", code: `import { createOutput } from "../output.js";\nimport { createApp } from "../../server/app.js";\nimport { assess } from "../../app/assess.js";\nexport const all = [createOutput, createApp, assess];\n` },
    { name: "app/ importing adapters and the core", path: "src/app/lint-probe.ts", code: `import { openStore } from "../store/open-store.js";\nimport { evaluateGate } from "../gate/evaluate.js";\nexport const all = [openStore, evaluateGate];\n` },
    { name: "a runner named cli inside exec/", path: "src/exec/runners/lint-probe.ts", code: `import { start } from "./cli.js";\nexport const run = start;\n` },
  ])("allows $name", async ({ path, code }) => {
    expect(await boundaryErrors(path, code)).toEqual([]);
  });
});

describe("lint boundaries: the test's config", () => {
  it("applies the same boundary options as eslint.config.js without the override", async () => {
    const plain = new ESLint({ cwd: ROOT });
    for (const path of ["src/gate/lint-probe.ts", "src/snapshot/x/lint-probe.ts", "src/app/lint-probe.ts", "src/report/lint-probe.ts", "src/lint-probe.ts"]) {
      const [a, b] = await Promise.all([plain.calculateConfigForFile(`${ROOT}${path}`), withoutTypes.calculateConfigForFile(`${ROOT}${path}`)]) as { rules: Record<string, unknown> }[];
      for (const rule of BOUNDARY_RULES) expect(b?.rules[rule], `${rule} for ${path}`).toEqual(a?.rules[rule]);
      expect(a?.rules["@typescript-eslint/no-restricted-imports"], path).toBeDefined();
    }
  });
});
