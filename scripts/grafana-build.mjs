// Runs the dashboard builder (scripts/grafana/*.ts) on Node 20, which cannot load TypeScript: each file is transpiled
// with the project's TypeScript into a temporary folder, and write.js is imported from there. Type checking is
// `npm run typecheck` (tsconfig.json includes scripts/grafana). Usage: node scripts/grafana-build.mjs [--check]
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const here = join(root, "scripts", "grafana");
const out = mkdtempSync(join(tmpdir(), "shipgate-grafana-"));
try {
  writeFileSync(join(out, "package.json"), '{"type":"module"}\n');
  for (const file of readdirSync(here).filter((f) => f.endsWith(".ts"))) {
    const { outputText } = ts.transpileModule(readFileSync(join(here, file), "utf8"), {
      compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: file,
    });
    writeFileSync(join(out, file.replace(/\.ts$/, ".js")), outputText);
  }
  const { writeDashboard } = await import(pathToFileURL(join(out, "write.js")).href);
  process.exitCode = writeDashboard(root, process.argv.includes("--check"));
} finally {
  rmSync(out, { recursive: true, force: true });
}
