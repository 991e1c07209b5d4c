import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { PYTHON_MARKERS, dirsWith, firstExisting, nameIn, placeIn, readPackageJson } from "./detect-stack.js";
import { captureStdout } from "./shell.js";
import type { ProposedCollector } from "./types.js";

const ESLINT_CONFIGS = [
  "eslint.config.js",
  "eslint.config.mjs",
  "eslint.config.cjs",
  "eslint.config.ts",
  "eslint.config.mts",
  "eslint.config.cts",
  ".eslintrc",
  ".eslintrc.js",
  ".eslintrc.cjs",
  ".eslintrc.json",
  ".eslintrc.yml",
  ".eslintrc.yaml",
];

async function text(root: string, name: string): Promise<string> {
  return readFile(join(root, name), "utf8").catch(() => "");
}

/**
 * The lint, type and security collectors the repository is already set up for: a tool's config file
 * or lockfile must be there. Every command only reads the code (never `--fix`, never a formatter).
 */
export async function detectChecks(root: string): Promise<ProposedCollector[]> {
  const out: ProposedCollector[] = [];
  const pkg = await readPackageJson(join(root, "package.json"));
  const deps = { ...pkg?.dependencies, ...pkg?.devDependencies };

  const eslintConfig = (await firstExisting(root, ESLINT_CONFIGS)) ?? (pkg?.eslintConfig ? "package.json#eslintConfig" : undefined);
  if (eslintConfig) {
    out.push({
      name: "eslint",
      kind: "lint",
      why: `${eslintConfig}: ESLint's JSON report`,
      // -o writes the report only when ESLint ran (exit 0 or 1), and creates its folder.
      command: "npx --no -- eslint --format json --output-file reports/eslint.json --ignore-pattern 'reports/**' .",
      timeout: "10m",
      reports: [{ path: "reports/eslint.json", format: "eslint" }],
      outputDirs: ["reports"],
    });
  }

  const tsconfig = await text(root, "tsconfig.json");
  if (tsconfig && "typescript" in deps) {
    out.push({
      name: "tsc",
      kind: "types",
      why: "tsconfig.json and typescript in package.json: the compiler's diagnostics, nothing emitted",
      command: captureStdout("npx --no -- tsc --noEmit --pretty false -p tsconfig.json", "reports/tsc.txt"),
      timeout: "10m",
      reports: [{ path: "reports/tsc.txt", format: "tsc" }],
      outputDirs: ["reports"],
      ...(/"references"\s*:/.test(tsconfig) ? { note: "tsconfig.json has project references: point -p at the project that holds the files, or use tsc -b" } : {}),
    });
  }

  const lockfile = await firstExisting(root, ["package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock"]);
  if (lockfile === "pnpm-lock.yaml") {
    out.push({
      name: "pnpm-audit",
      kind: "security",
      why: "pnpm-lock.yaml: pnpm audit's JSON (npm 6's report shape)",
      command: captureStdout("pnpm audit --json", "reports/pnpm-audit.json"),
      timeout: "5m",
      reports: [{ path: "reports/pnpm-audit.json", format: "npm-audit" }],
      outputDirs: ["reports"],
      note: "asks the registry: needs the network",
    });
  } else if (lockfile === "yarn.lock") {
    out.push({
      name: "yarn-audit",
      kind: "security",
      why: "yarn.lock: yarn's audit",
      command: captureStdout("yarn audit --json", "reports/yarn-audit.json"),
      timeout: "5m",
      reports: [{ path: "reports/yarn-audit.json" }],
      outputDirs: ["reports"],
      disabled: "shipgate cannot read yarn's audit output yet (yarn 1 writes JSON lines, yarn 2+ `yarn npm audit` its own JSON)",
    });
  } else if (lockfile) {
    out.push({
      name: "npm-audit",
      kind: "security",
      why: `${lockfile}: npm audit's JSON`,
      command: captureStdout("npm audit --json", "reports/npm-audit.json"),
      timeout: "5m",
      reports: [{ path: "reports/npm-audit.json", format: "npm-audit" }],
      outputDirs: ["reports"],
      note: "asks the registry: needs the network",
    });
  }

  for (const dir of await dirsWith(root, PYTHON_MARKERS)) out.push(...(await pythonChecks(root, dir)));
  return out;
}

/** ruff, mypy and pip-audit for the Python project in `dir`, from its own config files. */
async function pythonChecks(root: string, dir: string): Promise<ProposedCollector[]> {
  const out: ProposedCollector[] = [];
  const here = join(root, dir);
  const where = (what: string) => (dir === "." ? what : `${what} in ${dir}`);
  const pyproject = await text(here, "pyproject.toml");

  const ruffConfig = (await firstExisting(here, ["ruff.toml", ".ruff.toml"])) ?? (/^\[tool\.ruff\b/m.test(pyproject) ? "[tool.ruff] in pyproject.toml" : undefined);
  if (ruffConfig) {
    out.push({
      name: nameIn(dir, "ruff"),
      kind: "lint",
      why: `${where(ruffConfig)}: ruff's JSON output`,
      // --no-fix: a `fix = true` in the user's config would otherwise rewrite their code.
      command: captureStdout("ruff check --no-fix --output-format json .", "reports/ruff.json"),
      timeout: "10m",
      ...placeIn(dir, [{ path: "reports/ruff.json", format: "ruff" }]),
    });
  }

  const mypyConfig =
    (await firstExisting(here, ["mypy.ini", ".mypy.ini"])) ??
    (/^\[tool\.mypy\b/m.test(pyproject) ? "[tool.mypy] in pyproject.toml" : /^\[mypy\]/m.test(await text(here, "setup.cfg")) ? "[mypy] in setup.cfg" : undefined);
  if (mypyConfig) {
    out.push({
      name: nameIn(dir, "mypy"),
      kind: "types",
      why: `${where(mypyConfig)}: mypy's diagnostics`,
      command: captureStdout("mypy .", "reports/mypy.txt"),
      timeout: "15m",
      ...placeIn(dir, [{ path: "reports/mypy.txt", format: "mypy" }]),
    });
  }

  const requirements = await firstExisting(here, ["requirements.txt", "requirements-dev.txt", "pyproject.toml"]);
  if (requirements) {
    out.push({
      name: nameIn(dir, "pip-audit"),
      kind: "security",
      why: `${where(requirements)}: pip-audit`,
      command: captureStdout(`pip-audit --format json${requirements.startsWith("requirements") ? ` -r ${requirements}` : " ."}`, "reports/pip-audit.json"),
      timeout: "5m",
      ...placeIn(dir, [{ path: "reports/pip-audit.json" }]),
      disabled: "shipgate cannot read pip-audit's JSON yet; it reads osv-scanner's (`osv-scanner --format json -r .`)",
    });
  }
  return out;
}
