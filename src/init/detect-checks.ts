import { constants } from "node:fs";
import { access, readFile } from "node:fs/promises";
import { delimiter, join } from "node:path";
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

/** True when an executable of this name is on PATH. */
async function onPath(name: string): Promise<boolean> {
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir === "") continue;
    try {
      await access(join(dir, name), constants.X_OK);
      return true;
    } catch {
      // Not in this folder.
    }
  }
  return false;
}

/**
 * An audit that needs its own tool, which few machines have: enabled when the tool is on PATH, else written
 * commented out with how to get it — a missing tool would stop the first `assess` with "command not found".
 */
async function unlessMissing(tool: string, install: string): Promise<Pick<ProposedCollector, "disabled">> {
  return (await onPath(tool)) ? {} : { disabled: `${tool} is not installed here (${install}); uncomment this once it is` };
}

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
    // npx --no refuses a package that is not installed ("npx canceled due to missing packages"): a config
    // without eslint in package.json (left behind, or from a template) would stop the first assess.
    const installed = "eslint" in deps;
    out.push({
      name: "eslint",
      kind: "lint",
      why: `${eslintConfig}: ESLint's JSON report`,
      // -o writes the report only when ESLint ran (exit 0 or 1), and creates its folder.
      command: "npx --no -- eslint --format json --output-file reports/eslint.json --ignore-pattern 'reports/**' .",
      timeout: "10m",
      reports: [{ path: "reports/eslint.json", format: "eslint" }],
      outputDirs: ["reports"],
      ...(installed ? {} : { disabled: `${eslintConfig} is there but eslint is not in package.json (npm install --save-dev eslint); uncomment this once it is` }),
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

  // Rust and Go: the audit each ecosystem's own tool gives, on the lockfile or module it was set up with.
  for (const dir of await dirsWith(root, ["Cargo.lock"])) {
    out.push({
      name: nameIn(dir, "cargo-audit"),
      kind: "security",
      why: `${dir === "." ? "Cargo.lock" : `Cargo.lock in ${dir}`}: cargo audit's JSON`,
      command: captureStdout("cargo audit --json", "reports/cargo-audit.json"),
      timeout: "5m",
      ...placeIn(dir, [{ path: "reports/cargo-audit.json", format: "cargo-audit" }]),
      note: "fetches the RustSec advisory database: needs the network",
      ...(await unlessMissing("cargo-audit", "cargo install cargo-audit")),
    });
  }
  for (const dir of await dirsWith(root, ["go.mod"])) {
    out.push({
      name: nameIn(dir, "govulncheck"),
      kind: "security",
      why: `${dir === "." ? "go.mod" : `go.mod in ${dir}`}: govulncheck's JSON (only vulnerabilities the code calls count)`,
      command: captureStdout("govulncheck -format json ./...", "reports/govulncheck.json"),
      timeout: "10m",
      ...placeIn(dir, [{ path: "reports/govulncheck.json", format: "govulncheck" }]),
      note: "asks vuln.go.dev: needs the network",
      ...(await unlessMissing("govulncheck", "go install golang.org/x/vuln/cmd/govulncheck@latest")),
    });
  }
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
      ...(await unlessMissing("ruff", "pipx install ruff")),
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
      ...(await unlessMissing("mypy", "pipx install mypy, or add it to the project's dev dependencies")),
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
      ...placeIn(dir, [{ path: "reports/pip-audit.json", format: "pip-audit" }]),
      note: "asks PyPI's vulnerability service: needs the network",
      ...(await unlessMissing("pip-audit", "pipx install pip-audit")),
    });
  }
  return out;
}
