import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { repoRoot, shipgate, tempDir } from "./run-cli.js";

const write = (dir: string, files: Record<string, string>) => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
};

/**
 * A PATH holding only stand-ins for these tools, so that what init finds installed does not depend on the
 * machine running the tests (init looks for pip-audit, ruff, mypy, cargo-audit and govulncheck on PATH).
 */
function pathWith(tools: string[]): NodeJS.ProcessEnv {
  const bin = tempDir();
  for (const tool of tools) {
    writeFileSync(join(bin, tool), "#!/bin/sh\n");
    chmodSync(join(bin, tool), 0o755);
  }
  return { PATH: bin };
}

const schemaLine = /^# yaml-language-server: \$schema=(\S+)$/m;

describe("shipgate init", () => {
  it.each([
    ["vitest", { "package.json": JSON.stringify({ devDependencies: { vitest: "^4" } }) }, ["vitest"]],
    ["jest", { "package.json": JSON.stringify({ devDependencies: { jest: "^30" } }) }, ["jest"]],
    ["mocha", { "package.json": JSON.stringify({ scripts: { test: "mocha" } }) }, ["mocha"]],
    ["node:test", { "package.json": JSON.stringify({ scripts: { test: "node --test" } }) }, ["node-test"]],
    ["pytest", { "pyproject.toml": "[project]\nname='x'\n" }, ["pytest"]],
    ["go", { "go.mod": "module x\n" }, ["go-test"]],
    ["maven", { "pom.xml": "<project/>" }, ["maven-surefire"]],
    [
      "an npm workspace monorepo",
      {
        "package.json": JSON.stringify({ workspaces: ["packages/*"] }),
        "packages/api/package.json": JSON.stringify({ name: "@acme/api", devDependencies: { vitest: "^4" } }),
        "packages/web/package.json": JSON.stringify({ name: "web", devDependencies: { jest: "^30" } }),
      },
      ["acme-api-vitest", "web-jest"],
    ],
    [
      "a polyglot repository (Python, Go and Maven in folders, a Maven module not run twice)",
      {
        "package.json": JSON.stringify({ devDependencies: { vitest: "^4" } }),
        "services/worker/pyproject.toml": "[project]\nname = 'worker'\n\n[tool.ruff]\n",
        "tools/cli/go.mod": "module cli\n",
        "java/pom.xml": "<project/>",
        "java/core/pom.xml": "<project/>",
        "node_modules/dep/pyproject.toml": "",
      },
      ["vitest", "services-worker-pytest", "tools-cli-go-test", "java-maven-surefire", "services-worker-ruff"],
    ],
  ])("detects %s and writes a valid, commented shipgate.yaml", (_title, files, names) => {
    const dir = tempDir();
    write(dir, files);
    const result = shipgate(["init"], { cwd: dir, env: pathWith(["ruff"]) });
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, "shipgate.yaml"), "utf8");
    const { config } = parseConfig(text, "shipgate.yaml");
    expect(config.collectors.map((c) => c.name)).toEqual(names);
    expect(config.collectors.every((c) => c.command && c.reports.length > 0)).toBe(true);
    // Reports are named from the repository root; the command runs in its folder.
    for (const c of config.collectors) if (c.cwd) expect(c.reports.every((r) => (typeof r === "string" ? r : r.path).startsWith(`${c.cwd}/`))).toBe(true);
  });

  it("writes the maven collector so that every module runs and writes Surefire reports, even after a failing test", () => {
    // Maven cannot run here (no Maven Central for its plugins): the real run is missing, the text is checked.
    const dir = tempDir();
    write(dir, { "pom.xml": "<project/>" });
    shipgate(["init"], { cwd: dir });
    const [maven] = parseConfig(readFileSync(join(dir, "shipgate.yaml"), "utf8"), "shipgate.yaml").config.collectors;
    expect(maven?.command).toBe("mvn -B test -Dmaven.test.failure.ignore=true");
    expect(maven?.reports).toEqual([{ path: "**/target/surefire-reports/TEST-*.xml", format: "junit" }]);
  });

  it("proposes the lint, type and audit collectors the repository is set up for, none of which modifies source", () => {
    // ruff and mypy are "installed" (on PATH), pip-audit is not.
    const dir = tempDir();
    write(dir, {
      "package.json": JSON.stringify({ devDependencies: { typescript: "^6", eslint: "^10" } }),
      "package-lock.json": "{}",
      "eslint.config.js": "export default [];",
      "tsconfig.json": "{}",
      "pyproject.toml": "[project]\nname = 'x'\n\n[tool.ruff]\nfix = true\n\n[tool.mypy]\nstrict = true\n",
    });
    const result = JSON.parse(shipgate(["init", "--json"], { cwd: dir, env: pathWith(["ruff", "mypy"]) }).stdout) as { collectors: { name: string; kind: string; command: string; reports: { format?: string }[]; disabled?: string }[] };
    const byName = new Map(result.collectors.map((c) => [c.name, c]));
    expect(result.collectors.map((c) => [c.kind, c.name, c.disabled ? "commented out" : "on"])).toEqual([
      ["tests", "pytest", "on"],
      ["lint", "eslint", "on"],
      ["lint", "ruff", "on"],
      ["types", "tsc", "on"],
      ["types", "mypy", "on"],
      ["security", "npm-audit", "on"],
      ["security", "pip-audit", "commented out"],
    ]);
    expect(byName.get("eslint")?.command).toContain("eslint --format json --output-file reports/eslint.json");
    expect(byName.get("tsc")?.command).toContain("tsc --noEmit --pretty false -p tsconfig.json > reports/tsc.txt.part");
    // Regression: ruff without --no-fix applied `fix = true` from the user's config and rewrote their code.
    expect(byName.get("ruff")?.command).toContain("ruff check --no-fix --output-format json .");
    expect(byName.get("npm-audit")?.command).toContain("npm audit --json > reports/npm-audit.json.part");
    for (const c of result.collectors) expect(c.command).not.toMatch(/--fix(?!\S)|--write|\bprettier\b|\bblack\b|ruff format/);
    // Every enabled report has a reader: its format is one shipgate.yaml accepts (checked by parseConfig) or detected.
    const text = readFileSync(join(dir, "shipgate.yaml"), "utf8");
    expect(parseConfig(text, "shipgate.yaml").config.collectors.map((c) => c.name)).toEqual(["pytest", "eslint", "ruff", "tsc", "mypy", "npm-audit"]);
    // pip-audit is not installed here: written commented out (it would stop the first assess with "command not found").
    expect(byName.get("pip-audit")?.reports).toEqual([{ path: "reports/pip-audit.json", format: "pip-audit" }]);
    expect(text).toMatch(/# Not enabled: pip-audit is not installed here \(pipx install pip-audit\)[^\n]*\n {2}# - name: pip-audit\n/);
  });

  it.each([
    ["no coverage config: only the project's files are measured", { "pyproject.toml": "[project]\nname = 'x'\n" }, " --source=. "],
    ["regression: --source=. replaced the project's own [tool.coverage.run] source and measured its tests too", { "pyproject.toml": "[tool.coverage.run]\nsource = ['src']\n" }, " "],
    ["a .coveragerc is kept too", { "setup.py": "", ".coveragerc": "[run]\nsource = pkg\n" }, " "],
  ])("pytest: %s", (_title, files, flags) => {
    const dir = tempDir();
    write(dir, files);
    const result = JSON.parse(shipgate(["init", "--json", "--stdout"], { cwd: dir }).stdout) as { collectors: { name: string; command: string }[] };
    expect(result.collectors.find((c) => c.name === "pytest")?.command).toContain(`python3 -m coverage run${flags}-m pytest`);
  });

  it.each([
    ["pnpm-lock.yaml", "pnpm-audit", "pnpm audit --json", false],
    ["yarn.lock", "yarn-audit", "yarn audit --json", true],
  ])("proposes the audit of %s", (lockfile, name, command, disabled) => {
    const dir = tempDir();
    write(dir, { "package.json": "{}", [lockfile]: "" });
    const result = JSON.parse(shipgate(["init", "--json"], { cwd: dir }).stdout) as { collectors: { name: string; command: string; disabled?: string }[] };
    expect(result.collectors).toHaveLength(1);
    expect(result.collectors[0]).toMatchObject({ name, command: expect.stringContaining(command) as string });
    expect(Boolean(result.collectors[0]?.disabled)).toBe(disabled);
  });

  it("proposes cargo audit for a Cargo.lock and govulncheck for a go.mod, enabled only where the tool is installed", () => {
    const dir = tempDir();
    write(dir, { "Cargo.lock": "", "svc/go.mod": "module example.com/svc\n\ngo 1.19\n" });
    type Result = { collectors: { name: string; kind: string; command: string; reports: { path: string; format?: string }[]; disabled?: string }[] };
    const security = (env?: NodeJS.ProcessEnv) => (JSON.parse(shipgate(["init", "--json", "--stdout"], { cwd: dir, ...(env ? { env } : {}) }).stdout) as Result).collectors.filter((c) => c.kind === "security");
    const missing = security(pathWith([]));
    expect(missing.map((c) => [c.name, c.reports, c.disabled])).toEqual([
      ["cargo-audit", [{ path: "reports/cargo-audit.json", format: "cargo-audit" }], "cargo-audit is not installed here (cargo install cargo-audit); uncomment this once it is"],
      ["svc-govulncheck", [{ path: "svc/reports/govulncheck.json", format: "govulncheck" }], "govulncheck is not installed here (go install golang.org/x/vuln/cmd/govulncheck@latest); uncomment this once it is"],
    ]);
    expect(missing[0]?.command).toContain("cargo audit --json");
    expect(missing[1]?.command).toContain("govulncheck -format json ./...");
    // With both tools on PATH, both are enabled.
    expect(security(pathWith(["cargo-audit", "govulncheck"])).map((c) => [c.name, c.disabled ?? "on"])).toEqual([
      ["cargo-audit", "on"],
      ["svc-govulncheck", "on"],
    ]);
  });

  it("writes a linter or type checker that is not installed commented out (eslint without the package, mypy not on PATH stopped the first assess)", () => {
    const dir = tempDir();
    write(dir, { "package.json": "{}", ".eslintrc.json": "{}", "pyproject.toml": "[tool.mypy]\nstrict = true\n" });
    const result = JSON.parse(shipgate(["init", "--json", "--stdout"], { cwd: dir, env: pathWith([]) }).stdout) as { collectors: { name: string; disabled?: string }[] };
    const disabled = Object.fromEntries(result.collectors.filter((c) => c.name !== "pytest").map((c) => [c.name, c.disabled]));
    expect(disabled.eslint).toBe(".eslintrc.json is there but eslint is not in package.json (npm install --save-dev eslint); uncomment this once it is");
    expect(disabled.mypy).toMatch(/^mypy is not installed here/);
  });

  it.each([
    ["node --test behind `npm run test:unit` (it was not found: no test collector at all)", { test: "npm run lint && npm run test:unit", "test:unit": "node --test", lint: "eslint ." }, {}, "node --test --experimental-test-coverage", "reports/lcov.info"],
    ["`c8 node --test` two scripts down: the project's c8 measures", { test: "npm run unit", unit: "npm run cov", cov: "c8 --100 node --test" }, { c8: "^10" }, "npx --no -- c8 --reporter=lcovonly", "reports/coverage/lcov.info"],
  ])("finds %s", (_title, scripts, devDependencies, command, lcov) => {
    const dir = tempDir();
    write(dir, { "package.json": JSON.stringify({ scripts, devDependencies }) });
    const result = JSON.parse(shipgate(["init", "--json", "--stdout"], { cwd: dir }).stdout) as { collectors: { name: string; command: string; reports: { path: string }[] }[] };
    expect(result.collectors.map((c) => c.name)).toEqual(["node-test"]);
    expect(result.collectors[0]?.command).toContain(command);
    expect(result.collectors[0]?.command).toContain("--test-reporter=junit --test-reporter-destination=reports/junit.xml");
    expect(result.collectors[0]?.reports.map((r) => r.path)).toEqual(["reports/junit.xml", lcov]);
  });

  it("does not propose tsc for a tsconfig.json without typescript installed (npx would fetch a different package)", () => {
    const dir = tempDir();
    write(dir, { "package.json": "{}", "tsconfig.json": "{}" });
    expect(JSON.parse(shipgate(["init", "--json"], { cwd: dir }).stdout)).toMatchObject({ collectors: [] });
  });

  it("writes a config with no collectors, and says how to add one, when nothing is detected", () => {
    const dir = tempDir();
    expect(shipgate(["init"], { cwd: dir }).stdout).toContain("with 0 collector(s)");
    const text = readFileSync(join(dir, "shipgate.yaml"), "utf8");
    expect(parseConfig(text, "shipgate.yaml").config.collectors).toEqual([]);
    expect(text).toContain("#  - name: tests");
  });

  it("never overwrites an existing config without --force", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "shipgate.yaml"), "mine");
    const result = shipgate(["init"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/shipgate\.yaml already exists\n {2}→ pass --force/);
    expect(readFileSync(join(dir, "shipgate.yaml"), "utf8")).toBe("mine");
    expect(existsSync(join(dir, ".gitignore"))).toBe(false);
    expect(shipgate(["init", "--force"], { cwd: dir }).code).toBe(0);
  });

  it("prints the proposal with --stdout without writing; --json says what it detected and wrote", () => {
    const dir = tempDir();
    write(dir, { "package.json": JSON.stringify({ devDependencies: { vitest: "^4" } }) });
    expect(shipgate(["init", "--stdout"], { cwd: dir }).stdout).toContain("name: vitest");
    expect(existsSync(join(dir, "shipgate.yaml"))).toBe(false);
    const json = JSON.parse(shipgate(["init", "--json"], { cwd: dir }).stdout) as { collectors: { name: string; why: string }[]; wrote: { config: string; gitignore: { added: string[] } } };
    expect(json.collectors[0]).toMatchObject({ name: "vitest", why: expect.stringContaining("vitest in package.json") as string });
    expect(json.wrote).toEqual({ config: join(dir, "shipgate.yaml"), gitignore: { path: join(dir, ".gitignore"), added: [".shipgate/", "/reports/"] } });
    expect(existsSync(join(dir, "shipgate.yaml"))).toBe(true);
  });

  it("adds .shipgate/ and the reports folders to .gitignore once, keeping what was there", () => {
    const dir = tempDir();
    write(dir, {
      ".gitignore": "node_modules/\n.shipgate",
      "package.json": JSON.stringify({ workspaces: ["packages/*"], devDependencies: { vitest: "^4" } }),
      "packages/web/package.json": JSON.stringify({ name: "web", devDependencies: { jest: "^30" } }),
    });
    expect(shipgate(["init"], { cwd: dir }).stdout).toContain("added /reports/ /packages/web/reports/ to .gitignore");
    const once = readFileSync(join(dir, ".gitignore"), "utf8");
    expect(once).toBe("node_modules/\n.shipgate\n\n# shipgate: its local store and the reports its collectors write\n/reports/\n/packages/web/reports/\n");
    expect(shipgate(["init", "--force"], { cwd: dir }).stdout).toContain(".gitignore already ignores what shipgate writes");
    expect(readFileSync(join(dir, ".gitignore"), "utf8")).toBe(once);
  });

  it("regression: the $schema line pointed at a file that does not exist; it names the schema shipgate publishes, relative to the config", () => {
    // In shipgate's own repository: schema/ (published in the package's files).
    const own = shipgate(["init", "--stdout"]).stdout;
    expect(schemaLine.exec(own)?.[1]).toBe("schema/shipgate.schema.json");
    const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { files: string[] };
    expect(pkg.files).toContain("schema");
    expect(existsSync(join(repoRoot, "schema/shipgate.schema.json"))).toBe(true);
    // In a project that installs shipgate: its node_modules copy.
    const dir = tempDir();
    write(dir, { "node_modules/shipgate/schema/shipgate.schema.json": "{}" });
    const installed = shipgate(["init", "--stdout"], { cwd: dir }).stdout;
    expect(schemaLine.exec(installed)?.[1]).toBe("node_modules/shipgate/schema/shipgate.schema.json");
    // Run from elsewhere (npx, a global install): no line that would point at nothing.
    const bare = tempDir();
    expect(shipgate(["init", "--stdout"], { cwd: bare }).stdout).not.toMatch(schemaLine);
  });
});

describe("shipgate --help and --version", () => {
  it("explains every command", () => {
    const help = shipgate(["--help"]);
    expect(help.code).toBe(0);
    for (const command of ["init", "assess", "history", "diff", "gate", "baseline"]) expect(help.stdout).toContain(command);
    const assess = shipgate(["assess", "--help"]);
    expect(assess.stdout).toContain("--report <file>");
    expect(assess.stdout).toContain("Exit codes: 0 ok (GO with --gate), 1 NO-GO (with --gate), 2 usage");
    const gate = shipgate(["gate", "--help"]);
    expect(gate.stdout).toContain("Exit codes: 0 GO, 1 NO-GO, 2 usage or config error");
  });

  it("prints the package version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    expect(shipgate(["--version"]).stdout.trim()).toBe(pkg.version);
  });
});
