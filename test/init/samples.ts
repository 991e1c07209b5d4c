import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { bin, repoRoot } from "../cli/run-cli.js";

/**
 * Small real projects, one per test runner `shipgate init` supports: three tests, one failing on
 * purpose, over a module with one function no test calls (so coverage is partial).
 */
export type Files = Record<string, string>;

const JS_MODULE_CJS = `function add(a, b) {
  return a + b;
}

function sub(a, b) {
  return a - b;
}

function unused(a) {
  if (a > 0) {
    return 1;
  }
  return 2;
}

module.exports = { add, sub, unused };
`;

const jsTests = (header: string, assert: (actual: string, expected: string) => string) => `${header}
describe("math", () => {
  it("adds", () => {
    ${assert("add(1, 2)", "3")};
  });
  it("subtracts", () => {
    ${assert("sub(3, 2)", "1")};
  });
  it("fails on purpose", () => {
    ${assert("add(1, 1)", "3")};
  });
});
`;

const pkg = (value: object) => `${JSON.stringify({ name: "sample", version: "0.1.0", private: true, ...value }, null, 2)}\n`;

export const SAMPLES: Record<string, Files> = {
  // Also set up for ESLint (one unused variable) and tsc (one type error).
  vitest: {
    "package.json": pkg({ type: "module", scripts: { test: "vitest run" }, devDependencies: { vitest: "^4", "@vitest/coverage-v8": "^4", eslint: "^10", typescript: "^6" } }),
    "src/math.js": JS_MODULE_CJS.replace("module.exports = { add, sub, unused };", "export { add, sub, unused };"),
    "src/typed.ts": "export const answer: number = \"forty-two\";\n",
    "test/math.test.js": jsTests('import { describe, expect, it } from "vitest";\nimport { add, sub } from "../src/math.js";\n', (a, e) => `expect(${a}).toBe(${e})`),
    "eslint.config.js": 'export default [{ files: ["**/*.js"], rules: { "no-unused-vars": "error" } }];\n',
    "src/lint-me.js": "const unusedValue = 1;\n",
    // Its own (empty) vitest config: without one, vitest would take the config of a folder above (here: this repository's).
    "vitest.config.js": "export default { test: {} };\n",
    "tsconfig.json": `${JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "nodenext", target: "es2022", types: [] }, include: ["src/**/*.ts"] }, null, 2)}\n`,
  },
  jest: {
    "package.json": pkg({ scripts: { test: "jest" }, devDependencies: { jest: "^30", "jest-junit": "^17" } }),
    "src/math.js": JS_MODULE_CJS,
    "test/math.test.js": jsTests('const { add, sub } = require("../src/math.js");\n', (a, e) => `expect(${a}).toBe(${e})`),
  },
  mocha: {
    "package.json": pkg({ scripts: { test: "mocha" }, devDependencies: { mocha: "^12", c8: "^12" } }),
    "src/math.js": JS_MODULE_CJS,
    "test/math.test.js": jsTests('const assert = require("node:assert");\nconst { add, sub } = require("../src/math.js");\n', (a, e) => `assert.strictEqual(${a}, ${e})`),
  },
  "node:test": {
    "package.json": pkg({ scripts: { test: "node --test" } }),
    "src/math.js": JS_MODULE_CJS,
    "test/math.test.js": jsTests('const assert = require("node:assert");\nconst { describe, it } = require("node:test");\nconst { add, sub } = require("../src/math.js");\n', (a, e) => `assert.strictEqual(${a}, ${e})`),
  },
  "c8 node:test behind npm run": {
    "package.json": pkg({ scripts: { test: "npm run lint && npm run test:unit", lint: "true", "test:unit": "c8 node --test" }, devDependencies: { c8: "^10" } }),
    "src/math.js": JS_MODULE_CJS,
    "test/math.test.js": jsTests('const assert = require("node:assert");\nconst { describe, it } = require("node:test");\nconst { add, sub } = require("../src/math.js");\n', (a, e) => `assert.strictEqual(${a}, ${e})`),
  },
  pytest: {
    "pyproject.toml": '[project]\nname = "sample"\nversion = "0.1.0"\n',
    "sample/__init__.py": "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n\n\ndef unused(a):\n    if a > 0:\n        return 1\n    return 2\n",
    "tests/test_math.py":
      "from sample import add, sub\n\n\ndef test_adds():\n    assert add(1, 2) == 3\n\n\ndef test_subtracts():\n    assert sub(3, 2) == 1\n\n\ndef test_fails_on_purpose():\n    assert add(1, 1) == 3\n",
  },
  // sqlparse's coverage config: one data file per process, which `coverage json` reads only once combined.
  "pytest-parallel": {
    "pyproject.toml": '[project]\nname = "sample"\nversion = "0.1.0"\n\n[tool.coverage.run]\nsource = ["sample"]\nparallel = true\n',
    "sample/__init__.py": "def add(a, b):\n    return a + b\n\n\ndef sub(a, b):\n    return a - b\n\n\ndef unused(a):\n    if a > 0:\n        return 1\n    return 2\n",
    "tests/test_math.py":
      "from sample import add, sub\n\n\ndef test_adds():\n    assert add(1, 2) == 3\n\n\ndef test_subtracts():\n    assert sub(3, 2) == 1\n\n\ndef test_fails_on_purpose():\n    assert add(1, 1) == 3\n",
  },
  go: {
    "go.mod": "module example.com/sample\n\ngo 1.19\n",
    "math.go": "package sample\n\nfunc Add(a, b int) int { return a + b }\n\nfunc Sub(a, b int) int { return a - b }\n",
    "math_test.go":
      'package sample\n\nimport "testing"\n\nfunc TestAdds(t *testing.T) {\n\tif Add(1, 2) != 3 {\n\t\tt.Fatal("1 + 2 should be 3")\n\t}\n}\n\nfunc TestSubtracts(t *testing.T) {\n\tif Sub(3, 2) != 1 {\n\t\tt.Fatal("3 - 2 should be 1")\n\t}\n}\n\nfunc TestFailsOnPurpose(t *testing.T) {\n\tif Add(1, 1) != 3 {\n\t\tt.Fatal("1 + 1 is not 3")\n\t}\n}\n',
  },
  maven: {
    "pom.xml": `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>example</groupId>
  <artifactId>sample</artifactId>
  <version>0.1.0</version>
  <dependencies>
    <dependency>
      <groupId>junit</groupId>
      <artifactId>junit</artifactId>
      <version>4.13.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
`,
  },
};

export function writeFiles(dir: string, files: Files): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/**
 * A sample project in its own git repository under the repository's gitignored .test-tmp/, so that
 * `npx --no` and Node's module resolution find the runners this repository installs.
 */
export function makeSample(name: string): string {
  mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, ".test-tmp", `init-${name.replace(/\W/g, "-")}-`));
  writeFiles(dir, SAMPLES[name] as Files);
  spawnSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

/**
 * The environment for a nested run: ours without the variables the outer vitest sets (an inner
 * vitest would take them as its own) and with CI unset, as in run-cli.ts.
 */
function cleanEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^(VITEST|TINYPOOL|NODE_V8_COVERAGE$|NODE_OPTIONS$|TEST$|NODE_ENV$)/.test(key)) continue;
    env[key] = value;
  }
  return { ...env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "", ...extra };
}

export function runShipgate(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [bin, ...args], { cwd, encoding: "utf8", env: cleanEnv(env), timeout: 300_000 });
}

const works = (command: string, args: string[]) => spawnSync(command, args, { encoding: "utf8", stdio: "pipe" }).status === 0;

/** A folder holding a `python3` that has pytest and coverage.py, or undefined when this machine has none. */
export function pythonBinDir(): string | undefined {
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (!works(python, ["-c", "import pytest, coverage"])) continue;
    const real = spawnSync(python, ["-c", "import sys; print(sys.executable)"], { encoding: "utf8" }).stdout.trim();
    const dir = mkdtempSync(join(tmpdir(), "shipgate-python-"));
    symlinkSync(real, join(dir, "python3"));
    return dir;
  }
  return undefined;
}

/** Why the Go sample cannot run here, or undefined when go and gotestsum are installed. */
export function goMissing(): string | undefined {
  if (!works("go", ["version"])) return "go is not installed";
  if (!works("gotestsum", ["--version"])) return "gotestsum is not installed";
  return undefined;
}
