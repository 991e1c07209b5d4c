import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isCargoAuditHead } from "../../../src/ingest/advisory-heads.js";
import { cargoAuditParser } from "../../../src/ingest/parsers/cargo-audit.js";
import { detectFormat, parsers } from "../../../src/ingest/registry.js";
import type { AdvisorySeverity } from "../../../src/ingest/types.js";
import { advisoryFixtures, countBySeverity, FIXTURES } from "./advisory-fixtures.js";
import { parseFailure } from "./json-coverage-fixtures.js";

const parser = cargoAuditParser;
const FOLDER = "cargo-audit";

/** One entry of cargo-audit/EXPECTED.json: where a report comes from and what it holds, or how a bad input was made. */
interface Expected {
  tool?: string;
  version?: string;
  /** The report's own vulnerabilities.count. */
  toolCount?: number;
  /** The report's warnings, by kind. */
  warnings?: Record<string, number>;
  advisories?: { total: number } & Partial<Record<AdvisorySeverity, number>>;
  /** Vulnerabilities without a CVSS v3 vector, counted as moderate with a warning. */
  unrated?: number;
  madeFrom?: string;
  expect?: string;
}

interface CargoAuditReport {
  vulnerabilities: { count: number; list: unknown[] };
  warnings?: Record<string, unknown[]>;
}

const { reports, path, text, parseFixture, parseText, parseInChunks, otherFixtures } = advisoryFixtures<Expected>(parser, FOLDER, "cargo-audit.json");

describe("cargoAuditParser", () => {
  describe.each(reports)("%s", (name, entry) => {
    it("reports the vulnerabilities by CVSS v3 severity and the informational warnings as info, as in EXPECTED.json", async () => {
      const result = await parseFixture(name);
      expect(result.format).toBe("cargo-audit");
      expect(result.tool).toEqual({ name: "cargo-audit" });
      expect(result.tests).toEqual([]);
      expect(result.coverage).toEqual([]);
      expect(countBySeverity(result.advisories ?? [])).toEqual(entry.advisories);
    });

    it("counts as many vulnerabilities as cargo audit itself (vulnerabilities.count), and records the warnings in EXPECTED.json", async () => {
      const report = JSON.parse(text(name)) as CargoAuditReport;
      expect(report.vulnerabilities.count).toBe(entry.toolCount);
      expect(Object.fromEntries(Object.entries(report.warnings ?? {}).map(([kind, list]) => [kind, list.length]))).toEqual(entry.warnings);
      const { advisories = [] } = await parseFixture(name);
      expect(advisories.filter((a) => a.severity !== "info")).toHaveLength(entry.toolCount ?? -1);
    });

    it("warns once about the unrated vulnerabilities, informs about warnings, and says nothing else", async () => {
      const { diagnostics } = await parseFixture(name);
      const codes = [
        ...((entry.unrated ?? 0) > 0 ? ["warning cargo-audit.unknown-severity"] : []),
        ...(Object.keys(entry.warnings ?? {}).some((kind) => kind !== "yanked") ? ["info cargo-audit.informational"] : []),
        ...((entry.warnings?.yanked ?? 0) > 0 ? ["info cargo-audit.yanked"] : []),
      ];
      expect(diagnostics.map((d) => `${d.level} ${d.code}`)).toEqual(codes);
      if ((entry.unrated ?? 0) > 0) expect(diagnostics[0]?.message).toMatch(new RegExp(`^${entry.unrated} advisor(y has|ies have) no severity`));
    });

    it("gives every advisory the crate version, the crates.io ecosystem and a rustsec.org url", async () => {
      for (const advisory of (await parseFixture(name)).advisories ?? []) {
        expect(advisory.versions).toHaveLength(1);
        expect(advisory.ecosystem).toBe("crates.io");
        expect(advisory.url).toBe(`https://rustsec.org/advisories/${advisory.id}.html`);
        expect(advisory.aliases).not.toContain(advisory.id);
      }
    });

    it("is detected as cargo audit output, by the registry too, and by no other parser", () => {
      const head = readFileSync(path(name)).subarray(0, 4096);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(detectFormat(head, `${name}.json`)?.format).toBe("cargo-audit");
      expect(parsers.filter((other) => other.detect(head, `${name}.json`)).map((other) => other.format)).toEqual(["cargo-audit"]);
    });

    it("reads the same when the file arrives in 7-byte chunks", async () => {
      expect(await parseInChunks(name)).toEqual(await parseFixture(name));
    });
  });

  describe("severity", () => {
    it("rates RUSTSEC-2023-0071 (rsa) from its CVSS 3.1 vector, 5.9: moderate, with no fix", async () => {
      expect((await parseFixture("cargo-audit-unknown-rsa-no-patch")).advisories).toEqual([
        {
          id: "RUSTSEC-2023-0071",
          aliases: ["CVE-2023-49092", "GHSA-c38w-74pg-36hr", "GHSA-4grx-2x9w-596c"],
          package: "rsa",
          versions: ["0.9.8"],
          severity: "moderate",
          title: "Marvin Attack: potential key recovery through timing sidechannels",
          url: "https://rustsec.org/advisories/RUSTSEC-2023-0071.html",
          fixAvailable: false,
          ecosystem: "crates.io",
        },
      ]);
    });

    it("counts a CVSS v4-only advisory and one without a vector as moderate, naming them in the warning", async () => {
      const { advisories = [], diagnostics } = await parseFixture("cargo-audit-unknown-cvss-v3-v4");
      expect(advisories.map((a) => [a.id, a.severity, a.fixAvailable])).toEqual([
        ["RUSTSEC-2026-0047", "high", true],
        ["RUSTSEC-2026-0046", "high", true],
        ["RUSTSEC-2026-0044", "moderate", true],
        ["RUSTSEC-2026-0045", "moderate", true],
        ["RUSTSEC-2026-0048", "high", true],
        ["RUSTSEC-2026-0141", "moderate", true],
        ["RUSTSEC-2026-0049", "moderate", true],
        ["RUSTSEC-2026-0104", "moderate", true],
        ["RUSTSEC-2026-0099", "moderate", true],
        ["RUSTSEC-2026-0098", "moderate", true],
      ]);
      expect(diagnostics[0]?.message).toMatchInlineSnapshot(
        `"6 advisories have no severity (no CVSS v3 vector; RustSec rates many advisories with none, or with CVSS v4 only): RUSTSEC-2026-0044 in aws-lc-sys@0.36.0, RUSTSEC-2026-0141 in lettre@0.11.19, RUSTSEC-2026-0049 in rustls-webpki@0.103.9, RUSTSEC-2026-0104 in rustls-webpki@0.103.9, RUSTSEC-2026-0099 in rustls-webpki@0.103.9, and 1 more; counted as moderate"`,
      );
    });
  });

  describe("warnings", () => {
    it("keeps unmaintained crates as info advisories and names yanked ones, counting neither as a vulnerability", async () => {
      const { advisories = [], diagnostics } = await parseFixture("cargo-audit-unknown-warnings-yanked");
      expect(advisories.filter((a) => a.severity === "info").map((a) => [a.id, a.package])).toEqual([
        ["RUSTSEC-2021-0064", "cpuid-bool"],
        ["RUSTSEC-2020-0016", "net2"],
        ["RUSTSEC-2020-0056", "stdweb"],
      ]);
      expect(diagnostics.slice(1).map((d) => d.message)).toMatchInlineSnapshot(`
        [
          "3 informational warnings (3 unmaintained) are kept with severity info: not vulnerabilities, not counted",
          "6 yanked crate versions in Cargo.lock (arc-swap@0.4.7, bytecount@0.6.1, miow@0.2.1, net2@0.2.35, pin-project-lite@0.1.11, and 1 more): cargo audit warns about them; not vulnerabilities, not counted",
        ]
      `);
    });

    it("counts one advisory against two versions of a crate twice, as cargo audit does (smallvec 0.6.13 and 1.5.0)", async () => {
      const { advisories = [] } = await parseFixture("cargo-audit-unknown-warnings-yanked");
      expect(advisories.filter((a) => a.id === "RUSTSEC-2021-0003").map((a) => a.versions)).toEqual([["0.6.13"], ["1.5.0"]]);
    });

    it("warns when vulnerabilities.count disagrees with the list (an edited report)", async () => {
      const edited = text("cargo-audit-unknown-rsa-no-patch").replace('"count":1,', '"count":2,');
      const { diagnostics } = await parseText(edited);
      expect(diagnostics.map((d) => [d.code, d.message])).toEqual([
        ["cargo-audit.count-mismatch", "vulnerabilities.count says 2, but the list read gives 1; an entry may have been skipped or the report edited"],
      ]);
    });
  });

  describe("rejects what it cannot read, naming file and line", () => {
    it("a report truncated inside the vulnerability list (partial advisories are never stored)", async () => {
      expect(await parseFailure(parseFixture("cargo-audit-unknown-truncated"))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit/cargo-audit-unknown-truncated.json:184: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("an empty file", async () => {
      expect(await parseFailure(parseText(""))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit.json: the file is empty
        expected the output of \`cargo audit --json\`; check the report path, or name its format explicitly"
      `);
    });
    it("cargo audit's text output", async () => {
      expect(await parseFailure(parseText("    Fetching advisory database from `https://github.com/RustSec/advisory-db.git`\n"))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit.json:1: not valid JSON: unexpected "F" at column 5
        expected the output of \`cargo audit --json\`; check the report path, or name its format explicitly"
      `);
    });
    it("an object without vulnerabilities", async () => {
      expect(await parseFailure(parseText('{"database": {"advisory-count": 1}, "lockfile": {"dependency-count": 3}}'))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit.json: the object has no "vulnerabilities", which every cargo audit JSON report has
        expected the output of \`cargo audit --json\`; check the report path, or name its format explicitly"
      `);
    });
    it("vulnerabilities of something else", async () => {
      expect(await parseFailure(parseText('{"vulnerabilities": {"found": true, "count": 1,\n"list": [{"id": "X"}]}}'))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit.json:2: no entry is a cargo audit vulnerability; the first, a vulnerability: it has no "package.name"
        expected the output of \`cargo audit --json\`; check the report path, or name its format explicitly"
      `);
    });
    it("npm audit JSON", async () => {
      expect(await parseFailure(parseFixture("npm-8.11-v2-via-chains", "npm-audit"))).toMatchInlineSnapshot(`
        "[ingest] npm-audit/npm-8.11-v2-via-chains.json:1: this looks like npm audit JSON, not cargo audit JSON
        name its format: npm-audit"
      `);
    });
    it("pip-audit JSON", async () => {
      expect(await parseFailure(parseFixture("pip-audit-unknown-clean", "pip-audit"))).toMatchInlineSnapshot(`
        "[ingest] pip-audit/pip-audit-unknown-clean.json:1: this looks like pip-audit JSON, not cargo audit JSON
        name its format: pip-audit"
      `);
    });
  });

  describe("detection", () => {
    const others = otherFixtures();

    it.each(others)("does not claim %s", (file) => {
      expect(parser.detect(readFileSync(`${FIXTURES}${file}`).subarray(0, 4096), file)).toBe(false);
    });

    it("recognises a report whose keys a tool sorted (vulnerabilities without database first)", () => {
      expect(isCargoAuditHead(Buffer.from('{"vulnerabilities":{"count":0,"found":false,"list":[]},"warnings":{}}'))).toBe(true);
    });

    it("does not claim npm audit's vulnerabilities keyed by package", () => {
      expect(isCargoAuditHead(Buffer.from('{"auditReportVersion": 2, "vulnerabilities": {"found": {}, "list": {}}}'))).toBe(false);
    });
  });
});
