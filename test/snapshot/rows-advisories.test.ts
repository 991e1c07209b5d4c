import { describe, expect, it } from "vitest";
import { buildSnapshotRows, type ReadReport } from "../../src/snapshot/rows.js";
import { createPathResolver } from "../../src/ingest/paths.js";
import type { Advisory } from "../../src/ingest/types.js";

/** One parsed audit report holding one advisory. */
function audit(format: "npm-audit" | "osv", advisory: Partial<Advisory>): ReadReport {
  return {
    source: { path: `${format}.json`, absolutePath: `/r/${format}.json`, sha256: format, bytes: 1, format, detected: true },
    result: {
      format,
      tests: [],
      coverage: [],
      diagnostics: [],
      advisories: [{ id: "GHSA-38f5-ghc2-fcmv", aliases: [], package: "cross-spawn", versions: ["7.0.3"], severity: "moderate", title: "ReDoS", url: null, fixAvailable: null, ecosystem: "npm", ...advisory }],
    },
    reportDir: ".",
    collector: null,
  };
}

const rows = (reports: ReadReport[]) => buildSnapshotRows(reports, createPathResolver({ root: "/r", files: new Set(), source: "git" })).advisories;

describe("the same advisory from two tools", () => {
  it("regression: keeps the more severe rating whatever the report order (npm audit high + OSV low said high 0 in one order)", () => {
    const npm = audit("npm-audit", { severity: "high", fixAvailable: true });
    const osv = audit("osv", { id: "GHSA-38f5-ghc2-fcmv", aliases: ["CVE-2024-21538"], severity: "low", versions: ["7.0.3", "6.0.5"] });
    for (const order of [[npm, osv], [osv, npm]]) {
      const merged = rows(order);
      expect(merged).toHaveLength(1);
      expect(merged[0]).toMatchObject({ severity: "high", fixAvailable: true, aliases: ["CVE-2024-21538"] });
      expect([...(merged[0]?.versions ?? [])].sort()).toEqual(["6.0.5", "7.0.3"]);
    }
  });

  it("matches by an alias too, and counts it once", () => {
    const npm = audit("npm-audit", { id: "GHSA-38f5-ghc2-fcmv", severity: "moderate" });
    const osv = audit("osv", { id: "CVE-2024-21538", aliases: ["GHSA-38f5-ghc2-fcmv"], severity: "critical" });
    expect(rows([npm, osv]).map((a) => [a.advisoryId, a.severity])).toEqual([["GHSA-38f5-ghc2-fcmv", "critical"]]);
  });
});
