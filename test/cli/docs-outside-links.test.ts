import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import type { DocsCheckResult } from "../../src/facts/docs-links.js";
import type { GateResult } from "../../src/gate/types.js";
import { scratchRepo } from "../scratch-repo.js";
import { fixture, shipgate } from "./run-cli.js";

// is-number's README.md:126 (jonschlinkert/is-number): verb writes this line into every README it generates.
const ISSUE_LINE = "Pull requests and stars are always welcome. For bugs and feature requests, [please create an issue](../../issues/new).\n";
const junit = fixture("ingest/junit/vitest-4.1-all-pass.xml");

function releaseGate(dir: string) {
  const assessed = shipgate(["assess", "-r", junit, "--gate", "release", "--json"], { cwd: dir });
  const out = JSON.parse(assessed.stdout) as AssessSummary & { gate: GateResult };
  return { docs: out.docs, condition: out.gate.conditions.find((c) => c.id === "docs.broken_links") };
}

describe("links that leave the repository", () => {
  it("regression: `../../issues/new` in a README was a broken link, and failed the release gate (docs.broken_links == 0)", () => {
    const repo = scratchRepo("docs-outside-");
    repo.write({ ".gitignore": ".shipgate/\n", "README.md": `# is-number\n\n## Contributing\n\n${ISSUE_LINE}\n[gone](docs/gone.md)\n` });
    repo.commit("docs");

    const check = shipgate(["docs", "check"], { cwd: repo.dir });
    expect(check).toEqual({
      code: 1,
      stdout: "README.md:7: docs/gone.md — no such file: docs/gone.md\n1 broken link in 1 file — 1 file and 2 links checked; 1 link outside the repository not checked\n",
      stderr: "[docs] info: README.md:5: ../../issues/new points outside the repository; not checked\n",
    });
    const json = JSON.parse(shipgate(["docs", "check", "--json"], { cwd: repo.dir }).stdout) as DocsCheckResult;
    expect(json.broken.map((b) => b.target)).toEqual(["docs/gone.md"]);
    expect(json.unchecked).toEqual([{ file: "README.md", line: 5, column: 101, target: "../../issues/new", reason: "outside-repository" }]);
    expect(releaseGate(repo.dir)).toMatchObject({ docs: { brokenLinks: 1 }, condition: { verdict: "fail", value: 1 } });

    // With the truly broken link fixed, the gate passes although the issue link is still there.
    repo.write({ "README.md": `# is-number\n\n## Contributing\n\n${ISSUE_LINE}` });
    repo.commit("fix");
    expect(shipgate(["docs", "check"], { cwd: repo.dir })).toMatchObject({ code: 0, stdout: "no broken links — 1 file and 1 link checked; 1 link outside the repository not checked\n" });
    expect(releaseGate(repo.dir)).toMatchObject({ docs: { brokenLinks: 0 }, condition: { verdict: "pass", value: 0 } });
  });
});

describe("docs.ignore in shipgate.yaml", () => {
  it("skips the links it matches in both `docs check` and `assess`", () => {
    const repo = scratchRepo("docs-ignore-");
    repo.write({
      ".gitignore": ".shipgate/\n",
      "shipgate.yaml": 'version: 1\ndocs:\n  ignore: ["docs/generated/**", "http://localhost*/**"]\n',
      "README.md": "# Project\n\n[api](docs/generated/api.md) [local](http://localhost:8080/admin) [gone](docs/gone.md)\n",
    });
    repo.commit("docs");
    const check = shipgate(["docs", "check", "--json"], { cwd: repo.dir });
    expect(check.code).toBe(1);
    const json = JSON.parse(check.stdout) as DocsCheckResult;
    expect(json.broken.map((b) => b.target)).toEqual(["docs/gone.md"]);
    expect(json.external).toEqual([]);
    expect(json.unchecked.map((u) => [u.target, u.reason, u.pattern])).toEqual([
      ["docs/generated/api.md", "ignored", "docs/generated/**"],
      ["http://localhost:8080/admin", "ignored", "http://localhost*/**"],
    ]);
    expect(releaseGate(repo.dir).docs).toMatchObject({ brokenLinks: 1 });

    repo.write({ "shipgate.yaml": 'version: 1\ndocs:\n  ignore: ["docs/generated/**", "http://localhost*/**", "docs/gone.md"]\n' });
    expect(shipgate(["docs", "check"], { cwd: repo.dir })).toMatchObject({ code: 0, stdout: "no broken links — 1 file and 3 links checked; 3 links ignored (docs.ignore)\n" });
    expect(releaseGate(repo.dir)).toMatchObject({ docs: { brokenLinks: 0 }, condition: { verdict: "pass" } });
  });

  it("reads --config, and says which key is wrong when ignore is not a list of patterns", () => {
    const repo = scratchRepo("docs-ignore-config-");
    repo.write({ "README.md": "[gone](gone.md)\n", "ci/shipgate.yaml": 'version: 1\ndocs:\n  ignore: ["gone.md"]\n', "bad.yaml": "version: 1\ndocs:\n  ignore: gone.md\n" });
    repo.commit("docs");
    expect(shipgate(["docs", "check"], { cwd: repo.dir }).code).toBe(1);
    expect(shipgate(["docs", "check", "--config", "ci/shipgate.yaml"], { cwd: repo.dir })).toMatchObject({ code: 0 });
    const bad = shipgate(["docs", "check", "--config", "bad.yaml"], { cwd: repo.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/bad\.yaml:3: docs\.ignore/);
  });
});
