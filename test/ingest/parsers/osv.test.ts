import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { npmAuditParser } from "../../../src/ingest/parsers/npm-audit.js";
import { isOsvScannerHead } from "../../../src/ingest/advisory-heads.js";
import { cvss3BaseScore, osvParser, severityOfScore } from "../../../src/ingest/parsers/osv.js";
import type { AdvisorySeverity } from "../../../src/ingest/types.js";
import { advisoryFixtures, countBySeverity, FIXTURES } from "./advisory-fixtures.js";
import { parseFailure } from "./json-coverage-fixtures.js";

const parser = osvParser;
const FOLDER = "osv";

/** One entry of osv/EXPECTED.json: where a report comes from and what it holds, or how a bad input was made. */
interface Expected {
  tool?: string;
  version?: string;
  /** max_severity of every group, in report order, as OSV-Scanner wrote it (null: absent). */
  groupsMaxSeverity?: (string | null)[];
  /** What shipgate reports: one per group and package version. */
  advisories?: { total: number } & Partial<Record<AdvisorySeverity, number>>;
  /** Groups without any rating, counted as moderate with a warning. */
  unrated?: number;
  madeFrom?: string;
  command?: string;
  expect?: string;
}

interface OsvReport {
  results: { source: { path: string }; packages: { package: { name: string }; vulnerabilities?: OsvRecord[]; groups?: { max_severity?: string }[] }[] }[];
}
interface OsvRecord {
  id: string;
  severity?: { type: string; score: string }[];
}

const { reports, path, text, parseFixture, parseText, parseInChunks, otherFixtures } = advisoryFixtures<Expected>(parser, FOLDER, "osv.json");

const report = (name: string) => JSON.parse(text(name)) as OsvReport;

describe("osvParser", () => {
  describe.each(reports)("%s", (name, entry) => {
    it("reports one advisory per group and package version, counted by severity as in EXPECTED.json", async () => {
      const result = await parseFixture(name);
      expect(result.format).toBe("osv");
      expect(result.tool).toEqual({ name: "osv-scanner" });
      expect(result.tests).toEqual([]);
      expect(result.coverage).toEqual([]);
      expect(countBySeverity(result.advisories ?? [])).toEqual(entry.advisories);
    });

    it("records the groups' max_severity in EXPECTED.json, one advisory each", async () => {
      const groups = report(name).results.flatMap((result) => result.packages.flatMap((pkg) => pkg.groups ?? []));
      expect(groups.map((group) => group.max_severity ?? null)).toEqual(entry.groupsMaxSeverity ?? []);
      expect((await parseFixture(name)).advisories).toHaveLength(groups.length);
    });

    it("warns once about the groups with no severity at all, and about nothing else", async () => {
      const { diagnostics } = await parseFixture(name);
      const expectedCodes = (entry.unrated ?? 0) > 0 ? ["warning osv.unknown-severity"] : [];
      expect(diagnostics.map((d) => `${d.level} ${d.code}`)).toEqual(expectedCodes);
      if ((entry.unrated ?? 0) > 0) expect(diagnostics[0]?.message).toMatch(new RegExp(`^${entry.unrated} advisor(y has|ies have) no severity`));
    });

    it("gives every advisory the package version, ecosystem and an osv.dev url", async () => {
      const { advisories = [] } = await parseFixture(name);
      for (const advisory of advisories) {
        expect(advisory.versions).toHaveLength(1);
        expect(advisory.ecosystem).not.toBeNull();
        expect(advisory.url).toBe(`https://osv.dev/vulnerability/${advisory.id}`);
        expect(advisory.aliases).not.toContain(advisory.id);
      }
    });

    it("is detected as OSV-Scanner output, and not as npm audit", () => {
      const head = readFileSync(path(name)).subarray(0, 4096);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(npmAuditParser.detect(head, `${name}.json`)).toBe(false);
    });

    it("reads the same when the file arrives in 7-byte chunks", async () => {
      expect(await parseInChunks(name)).toEqual(await parseFixture(name));
    });
  });

  describe("groups", () => {
    it("makes one advisory of a group of two records (GO-2025-3487 and GHSA-hcg3-q754-cr77 are one vulnerability)", async () => {
      const { advisories = [] } = await parseFixture("osv-scanner-2.0-go-grouped");
      expect(advisories.filter((a) => a.package === "golang.org/x/crypto")).toEqual([
        {
          id: "GO-2025-3487",
          aliases: ["GHSA-hcg3-q754-cr77", "CVE-2025-22869"],
          package: "golang.org/x/crypto",
          versions: ["0.32.0"],
          severity: "high",
          title: "Potential denial of service in golang.org/x/crypto",
          url: "https://osv.dev/vulnerability/GO-2025-3487",
          fixAvailable: true,
          ecosystem: "Go",
        },
      ]);
      expect(advisories.map((a) => a.id)).not.toContain("GHSA-hcg3-q754-cr77");
    });

    it("names the unrated Go advisories in its warning", async () => {
      const { diagnostics } = await parseFixture("osv-scanner-2.0-go-grouped");
      expect(diagnostics.map((d) => [d.line, d.message])).toMatchInlineSnapshot(`
        [
          [
            534,
            "18 advisories have no severity (no max_severity, database_specific.severity or CVSS v3 vector): GO-2025-3373 in stdlib@1.23.4, GO-2025-3420 in stdlib@1.23.4, GO-2025-3447 in stdlib@1.23.4, GO-2025-3563 in stdlib@1.23.4, GO-2025-3750 in stdlib@1.23.4, and 13 more; counted as moderate",
          ],
        ]
      `);
    });

    it("counts a package version listed under two sources once", async () => {
      const twice = report("osv-scanner-2.2-sbom-critical");
      const [first] = twice.results;
      if (first === undefined) throw new Error("fixture has no result");
      twice.results.push({ ...first, source: { ...first.source, path: "other/sample-sbom.cdx.json" } });
      const result = await parseText(JSON.stringify(twice, null, 2));
      expect(result.advisories).toHaveLength(1);
      expect(result.diagnostics.map((d) => [d.level, d.code, d.message])).toMatchInlineSnapshot(`
        [
          [
            "info",
            "osv.duplicate",
            "1 advisory was listed again for the same package version under another source; each is counted once",
          ],
        ]
      `);
    });

    it("counts each record on its own, with a warning, when a package has no groups", async () => {
      const noGroups = report("osv-scanner-2.0-go-grouped");
      for (const pkg of noGroups.results[0]?.packages ?? []) delete pkg.groups;
      const result = await parseText(JSON.stringify(noGroups, null, 2));
      // x/crypto has two records of one vulnerability: without groups they count twice, which the warning says.
      expect(result.advisories?.filter((a) => a.package === "golang.org/x/crypto").map((a) => [a.id, a.severity])).toEqual([
        ["GO-2025-3487", "moderate"],
        ["GHSA-hcg3-q754-cr77", "high"],
      ]);
      expect(result.diagnostics.filter((d) => d.code === "osv.no-groups").map((d) => d.message)).toEqual([
        'golang.org/x/crypto@0.32.0 lists vulnerabilities without "groups"; each is counted on its own, so aliases of one vulnerability may count twice',
        'golang.org/x/net@0.34.0 lists vulnerabilities without "groups"; each is counted on its own, so aliases of one vulnerability may count twice',
        'stdlib@1.23.4 lists vulnerabilities without "groups"; each is counted on its own, so aliases of one vulnerability may count twice',
      ]);
    });

    it("reads packages without vulnerabilities (license scans) as no advisories", async () => {
      expect(await parseFixture("osv-scanner-1.7-licenses-only")).toMatchObject({ advisories: [], diagnostics: [] });
    });
  });

  describe("severity", () => {
    it("takes max_severity, a CVSS base score, first (9.8 is critical)", async () => {
      const { advisories } = await parseFixture("osv-scanner-2.2-sbom-critical");
      expect(advisories?.map((a) => [a.id, a.severity, a.fixAvailable])).toEqual([["GHSA-mh6f-8j2x-4483", "critical", true]]);
    });

    it("falls back to database_specific.severity when max_severity is empty", async () => {
      const { advisories, diagnostics } = await parseFixture("osv-scanner-2.0-hex-no-cvss");
      expect(text("osv-scanner-2.0-hex-no-cvss")).toContain('"max_severity": ""');
      expect(advisories?.map((a) => [a.id, a.severity, a.aliases])).toEqual([["GHSA-w98m-2xqg-9cvj", "critical", ["CVE-2020-15150"]]]);
      expect(diagnostics).toEqual([]);
    });

    it("computes the score from the CVSS v3 vector when neither is there", async () => {
      const unrated = text("osv-scanner-2.2-sbom-critical").replace('"max_severity": "9.8"', '"max_severity": ""').replace('"severity": "CRITICAL"', '"severity": null');
      const { advisories, diagnostics } = await parseText(unrated);
      expect(advisories?.map((a) => a.severity)).toEqual(["critical"]);
      expect(diagnostics).toEqual([]);
    });

    it("counts a record with no rating at all (a malicious package) as moderate, with a warning", async () => {
      const { advisories, diagnostics } = await parseFixture("osv-scanner-unknown-malicious-no-severity");
      expect(advisories).toEqual([
        {
          id: "MAL-2023-1035",
          aliases: ["GHSA-8348-2q94-ffjx"],
          package: "flot-axis",
          versions: ["0.0.0"],
          severity: "moderate",
          title: "Malicious code in flot-axis (npm)",
          url: "https://osv.dev/vulnerability/MAL-2023-1035",
          fixAvailable: false,
          ecosystem: "npm",
        },
      ]);
      expect(diagnostics.map((d) => [d.level, d.code, d.line, d.message])).toMatchInlineSnapshot(`
        [
          [
            "warning",
            "osv.unknown-severity",
            9,
            "1 advisory has no severity (no max_severity, database_specific.severity or CVSS v3 vector): MAL-2023-1035 in flot-axis@0.0.0; counted as moderate",
          ],
        ]
      `);
    });

    it.each([
      [10, "critical"],
      [9, "critical"],
      [8.9, "high"],
      [7, "high"],
      [6.9, "moderate"],
      [4, "moderate"],
      [3.9, "low"],
      [0.1, "low"],
      [0, "info"],
    ] as const)("rates a base score of %s as %s", (score, severity) => {
      expect(severityOfScore(score)).toBe(severity);
    });
  });

  describe("cvss3BaseScore, against the scores the tools wrote next to the vectors", () => {
    // OSV-Scanner's max_severity of single-vector groups, and npm's cvss { score, vectorString } pairs.
    const osvPairs = ["osv-scanner-2.2-sbom-critical", "osv-scanner-2.0-go-grouped"].flatMap((name) =>
      report(name).results.flatMap((result) =>
        result.packages.flatMap((pkg) =>
          (pkg.groups ?? []).flatMap((group, index) => {
            const vectors = (pkg.vulnerabilities ?? []).flatMap((record) => record.severity ?? []).filter((rating) => rating.type === "CVSS_V3");
            return index === 0 && vectors.length === 1 && vectors[0] !== undefined && group.max_severity
              ? [[`${name} ${pkg.package.name}`, vectors[0].score, Number(group.max_severity)] as const]
              : [];
          }),
        ),
      ),
    );
    const npmPairs = ["npm-8.11-v2-via-chains", "npm-unknown-v1-allowlisted-path"].flatMap((name) => {
      const scores = [...readFileSync(path(name, "npm-audit"), "utf8").matchAll(/"score": ([\d.]+),\s*"vectorString": "(CVSS:3[^"]+)"/g)];
      return scores.map((match) => [`${name}`, match[2] ?? "", Number(match[1])] as const);
    });

    it("finds pairs in the fixtures", () => {
      expect(osvPairs.length).toBeGreaterThanOrEqual(2);
      expect(npmPairs.length).toBeGreaterThanOrEqual(8);
    });

    it.each([...osvPairs, ...npmPairs])("%s: %s is %s", (_where, vector, score) => {
      expect(cvss3BaseScore(vector)).toBe(score);
    });

    it.each([
      // Scope changed: GHSA-25mq-v84q-4j7r (guzzle), which GitHub and NVD rate 7.7.
      ["CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:N/A:N", 7.7],
      ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0],
      ["CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:P/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", undefined],
      ["CVSS:3.1/AV:N/AC:L", undefined],
      ["AV:N/AC:L/Au:N/C:P/I:P/A:P", undefined],
    ] as const)("%s is %s", (vector, score) => {
      expect(cvss3BaseScore(vector)).toBe(score);
    });
  });

  describe("rejects what it cannot read, naming file and line", () => {
    it("a report truncated after some packages (partial advisories are never stored)", async () => {
      expect(await parseFailure(parseFixture("osv-scanner-2.0-truncated"))).toMatchInlineSnapshot(`
        "[ingest] osv/osv-scanner-2.0-truncated.json:783: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("a report cut before its first package", async () => {
      expect(await parseFailure(parseText(text("osv-scanner-2.0-hex-no-cvss").slice(0, 150)))).toMatchInlineSnapshot(`
        "[ingest] osv.json:9: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("an empty file", async () => {
      expect(await parseFailure(parseText(""))).toMatchInlineSnapshot(`
        "[ingest] osv.json: the file is empty
        expected the JSON output of OSV-Scanner (\`osv-scanner --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("OSV-Scanner's table output", async () => {
      expect(await parseFailure(parseText("╭─────────────────────────────────────┬──────┬───────────╮\n"))).toMatchInlineSnapshot(`
        "[ingest] osv.json:1: not valid JSON: unexpected byte 0xe2 at column 1
        expected the JSON output of OSV-Scanner (\`osv-scanner --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("an object without results", async () => {
      expect(await parseFailure(parseText('{"experimental_config": {}}'))).toMatchInlineSnapshot(`
        "[ingest] osv.json: the object has no "results", which every OSV-Scanner JSON report has
        expected the JSON output of OSV-Scanner (\`osv-scanner --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("another tool's results (Semgrep, Bandit)", async () => {
      expect(await parseFailure(parseText('{"results": [{"check_id": "python.lang.security", "path": "a.py"}], "errors": []}'))).toMatchInlineSnapshot(`
        "[ingest] osv.json: no entry of "results" has a "source" or "packages", as OSV-Scanner's do: this is another tool's report
        expected the JSON output of OSV-Scanner (\`osv-scanner --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("package entries of something else", async () => {
      expect(await parseFailure(parseText('{"results": [{"source": {"path": "go.mod"},\n"packages": [{"name": "x"}]}]}'))).toMatchInlineSnapshot(`
        "[ingest] osv.json:2: no entry is an OSV-Scanner package entry; the first, a package entry: it has no "package.name"
        expected the JSON output of OSV-Scanner (\`osv-scanner --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("npm audit JSON", async () => {
      expect(await parseFailure(parseFixture("npm-8.11-v2-via-chains", "npm-audit"))).toMatchInlineSnapshot(`
        "[ingest] npm-audit/npm-8.11-v2-via-chains.json:1: this looks like npm audit JSON, not OSV-Scanner JSON (osv-scanner --format json)
        name its format: npm-audit"
      `);
    });
    it("npm audit's npm 6 JSON", async () => {
      expect(await parseFailure(parseFixture("npm-unknown-v1-high", "npm-audit"))).toMatchInlineSnapshot(`
        "[ingest] npm-audit/npm-unknown-v1-high.json:1: this looks like npm audit JSON, not OSV-Scanner JSON (osv-scanner --format json)
        name its format: npm-audit"
      `);
    });
    it("a SARIF log (osv-scanner --format sarif)", async () => {
      expect(await parseFailure(parseFixture("eslint-sarif-3.1-not-coverage", "istanbul-summary"))).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-sarif-3.1-not-coverage.json:1: this looks like a SARIF log, not OSV-Scanner JSON (osv-scanner --format json)
        shipgate reads advisories from \`osv-scanner --format json\`; for a SARIF log, name its format: sarif"
      `);
    });
    it("istanbul coverage-summary.json", async () => {
      expect(await parseFailure(parseFixture("nyc-18.0-basic", "istanbul-summary"))).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/nyc-18.0-basic.json:1: this looks like istanbul coverage-summary.json, not OSV-Scanner JSON (osv-scanner --format json)
        name its format: istanbul-summary"
      `);
    });
  });

  describe("detection", () => {
    const others = otherFixtures();

    it.each(others)("does not claim %s", (file) => {
      expect(parser.detect(readFileSync(`${FIXTURES}${file}`).subarray(0, 4096), file)).toBe(false);
    });

    it("recognises output whose keys a tool sorted (packages before source)", () => {
      const sorted = JSON.stringify({ results: [{ packages: [], source: { path: "go.mod", type: "lockfile" } }] });
      expect(isOsvScannerHead(Buffer.from(sorted))).toBe(true);
    });

    it("does not claim another tool's top-level results", () => {
      expect(isOsvScannerHead(Buffer.from('{"errors": [], "results": [{"code": "1 import os", "filename": "a.py"}]}'))).toBe(false);
    });
  });
});
