import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/load-config.js";
import { shipgate, tempDir } from "./run-cli.js";

const write = (dir: string, files: Record<string, string>) => {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, ".."), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
};

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
  ])("detects %s and writes a valid, commented shipgate.yaml", (_title, files, names) => {
    const dir = tempDir();
    write(dir, files);
    const result = shipgate(["init"], { cwd: dir });
    expect(result.code).toBe(0);
    const text = readFileSync(join(dir, "shipgate.yaml"), "utf8");
    expect(text).toMatch(/^# yaml-language-server: \$schema=/);
    const { config } = parseConfig(text, "shipgate.yaml");
    expect(config.collectors.map((c) => c.name)).toEqual(names);
    expect(config.collectors.every((c) => c.command && c.reports.length > 0)).toBe(true);
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
    expect(shipgate(["init", "--force"], { cwd: dir }).code).toBe(0);
  });

  it("prints the proposal with --stdout and --json without writing", () => {
    const dir = tempDir();
    write(dir, { "package.json": JSON.stringify({ devDependencies: { vitest: "^4" } }) });
    expect(shipgate(["init", "--stdout"], { cwd: dir }).stdout).toContain("name: vitest");
    const json = JSON.parse(shipgate(["init", "--json"], { cwd: dir }).stdout) as { collectors: { name: string }[] };
    expect(json.collectors[0]?.name).toBe("vitest");
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
