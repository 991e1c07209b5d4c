import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import { fixture, shipgate, tempDir } from "./run-cli.js";

describe("shipgate assess --report on pip-audit, cargo audit and govulncheck output", () => {
  const reports = [
    "ingest/pip-audit/pip-audit-2.9-many-vulns.json",
    "ingest/cargo-audit/cargo-audit-unknown-cvss-v3-v4.json",
    "ingest/govulncheck/govulncheck-test-source-call.json",
  ];
  const args = reports.flatMap((report) => ["--report", fixture(report)]);

  it("shows the security counts the three reports add up to, and --json has them with each report as evidence", () => {
    const dir = tempDir();
    const text = shipgate(["assess", "--no-run", ...args], { cwd: dir });
    expect(text.stderr).not.toMatch(/internal error/);
    expect(text.code).toBe(0);
    // pip-audit 29 (unrated: moderate), cargo audit 3 high + 7 moderate, govulncheck 2 called (unrated: moderate).
    expect(text.stdout).toContain("security  critical 0 · high 3 · moderate 38 · low 0");
    expect(text.stdout).toMatch(/from .*pip-audit-2\.9-many-vulns\.json \(pip-audit/);
    expect(text.stdout).toMatch(/from .*govulncheck-test-source-call\.json \(govulncheck/);

    const json = shipgate(["assess", "--no-run", "--json", ...args], { cwd: dir });
    expect(json.code).toBe(0);
    const { security, categories, sources } = JSON.parse(json.stdout) as AssessSummary;
    expect(security).toMatchObject({ critical: 0, high: 3, moderate: 38, low: 0 });
    expect(security.advisories).toHaveLength(41);
    expect(security.evidence.map((index) => sources[index]?.format)).toEqual(["pip-audit", "cargo-audit", "govulncheck"]);
    expect(categories.security.score).not.toBeNull();
  });

  it("treats a clean report of each as audited with nothing found, not as unknown", () => {
    const clean = ["pip-audit/pip-audit-unknown-clean.json", "cargo-audit/cargo-audit-unknown-clean.json", "govulncheck/govulncheck-test-binary-devel-clean.json"];
    const result = shipgate(["assess", "--no-run", "--json", ...clean.flatMap((report) => ["--report", fixture(`ingest/${report}`)])], { cwd: tempDir() });
    expect(result.code).toBe(0);
    const { security, categories } = JSON.parse(result.stdout) as AssessSummary;
    expect(security).toMatchObject({ critical: 0, high: 0, moderate: 0, low: 0, advisories: [] });
    expect(categories.security.score).toBe(100);
  });
});
