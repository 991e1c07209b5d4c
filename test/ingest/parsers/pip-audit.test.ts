import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isPipAuditHead } from "../../../src/ingest/advisory-heads.js";
import { pipAuditParser } from "../../../src/ingest/parsers/pip-audit.js";
import { detectFormat, parsers } from "../../../src/ingest/registry.js";
import type { AdvisorySeverity } from "../../../src/ingest/types.js";
import { advisoryFixtures, countBySeverity, FIXTURES } from "./advisory-fixtures.js";
import { parseFailure } from "./json-coverage-fixtures.js";

const parser = pipAuditParser;
const FOLDER = "pip-audit";

/** One entry of pip-audit/EXPECTED.json: where a report comes from and what it holds, or how a bad input was made. */
interface Expected {
  tool?: string;
  version?: string;
  toolSays?: string;
  advisories?: { total: number } & Partial<Record<AdvisorySeverity, number>>;
  /** Vulnerabilities with an empty fix_versions. */
  noFix?: number;
  /** Dependencies with a skip_reason. */
  skipped?: number;
  madeFrom?: string;
  expect?: string;
}

const { expected, reports, path, text, parseFixture, parseText, parseInChunks, otherFixtures } = advisoryFixtures<Expected>(parser, FOLDER, "pip-audit.json");

describe("pipAuditParser", () => {
  describe.each(reports)("%s", (name, entry) => {
    it("reports one advisory per vulnerability and dependency version, counted as in EXPECTED.json", async () => {
      const result = await parseFixture(name);
      expect(result.format).toBe("pip-audit");
      expect(result.tool).toEqual({ name: "pip-audit" });
      expect(result.tests).toEqual([]);
      expect(result.coverage).toEqual([]);
      expect(countBySeverity(result.advisories ?? [])).toEqual(entry.advisories);
      expect(result.advisories?.filter((a) => a.fixAvailable === false)).toHaveLength(entry.noFix ?? 0);
    });

    it("warns once that pip-audit rates nothing, and says which dependencies it skipped", async () => {
      const { diagnostics } = await parseFixture(name);
      const codes = [...(entry.advisories.total > 0 ? ["warning pip-audit.unknown-severity"] : []), ...((entry.skipped ?? 0) > 0 ? ["info pip-audit.skipped"] : [])];
      expect(diagnostics.map((d) => `${d.level} ${d.code}`)).toEqual(codes);
      if ((entry.skipped ?? 0) > 0) {
        expect(diagnostics.find((d) => d.code === "pip-audit.skipped")?.message).toMatch(new RegExp(`^pip-audit could not audit ${entry.skipped} dependenc`));
      }
    });

    it("gives every advisory the dependency version, the PyPI ecosystem and an osv.dev url", async () => {
      for (const advisory of (await parseFixture(name)).advisories ?? []) {
        expect(advisory.versions).toHaveLength(1);
        expect(advisory.ecosystem).toBe("PyPI");
        expect(advisory.url).toBe(`https://osv.dev/vulnerability/${advisory.id}`);
        expect(advisory.aliases).not.toContain(advisory.id);
      }
    });

    it("is detected as pip-audit output, by the registry too, and by no other parser", () => {
      const head = readFileSync(path(name)).subarray(0, 4096);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(detectFormat(head, `${name}.json`)?.format).toBe("pip-audit");
      expect(parsers.filter((other) => other.detect(head, `${name}.json`)).map((other) => other.format)).toEqual(["pip-audit"]);
    });

    it("reads the same when the file arrives in 7-byte chunks", async () => {
      expect(await parseInChunks(name)).toEqual(await parseFixture(name));
    });
  });

  it("counts what pip-audit itself printed for the run (Found 29 known vulnerabilities in 11 packages)", async () => {
    expect(expected["pip-audit-2.9-many-vulns"]?.toolSays).toMatch(/^Found 29 known vulnerabilities in 11 packages/);
    const { advisories = [] } = await parseFixture("pip-audit-2.9-many-vulns");
    expect(advisories).toHaveLength(29);
    expect(new Set(advisories.map((a) => a.package)).size).toBe(11);
  });

  it("keeps the aliases pip-audit 2.x lists, for de-duplication with OSV-Scanner and npm audit", async () => {
    const { advisories = [] } = await parseFixture("pip-audit-2.9-many-vulns");
    expect(advisories.find((a) => a.package === "ecdsa")).toEqual({
      id: "GHSA-wj6h-64fc-37mp",
      aliases: ["CVE-2024-23342"],
      package: "ecdsa",
      versions: ["0.19.1"],
      severity: "moderate",
      title: "python-ecdsa has been found to be subject to a Minerva timing attack on the P-256 curve. Using the `ecdsa.SigningKey.sign_digest()` API function and timing signatures an attacker can leak the internal",
      url: "https://osv.dev/vulnerability/GHSA-wj6h-64fc-37mp",
      fixAvailable: false,
      ecosystem: "PyPI",
    });
  });

  it("names the unrated advisories in one warning", async () => {
    const { diagnostics } = await parseFixture("pip-audit-unknown-legacy-list-vulns");
    expect(diagnostics[0]?.message).toMatchInlineSnapshot(
      `"7 advisories have no severity (pip-audit's JSON carries no severity): PYSEC-2021-76 in aiohttp@3.6.2, PYSEC-2021-439 in django@3.2.9, PYSEC-2021-852 in lxml@4.6.4, PYSEC-2019-128 in twisted@18.9.0, PYSEC-2020-260 in twisted@18.9.0, and 2 more; counted as moderate"`,
    );
  });

  describe("rejects what it cannot read, naming file and line", () => {
    it("a report with pip-audit's stderr summary before the JSON (`> FILE 2>&1`), saying how to write stdout alone", async () => {
      expect(await parseFailure(parseFixture("pip-audit-2.9-stderr-summary-first"))).toMatchInlineSnapshot(`
        "[ingest] pip-audit/pip-audit-2.9-stderr-summary-first.json:1: the file starts with pip-audit's summary line ("Found 29 known vulnerabilities in 11 packages"), which pip-audit prints on stderr, not JSON
        write only the JSON to the report: \`pip-audit --format json --output FILE\`, or redirect stdout alone (\`> FILE\`, not \`> FILE 2>&1\`)"
      `);
    });
    it("a report truncated after some dependencies (partial advisories are never stored)", async () => {
      expect(await parseFailure(parseText(text("pip-audit-2.9-many-vulns").slice(0, 20000)))).toMatchInlineSnapshot(`
        "[ingest] pip-audit.json:1: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("a legacy list truncated inside an entry", async () => {
      expect(await parseFailure(parseText(text("pip-audit-unknown-legacy-list-vulns").slice(0, 600)))).toMatchInlineSnapshot(`
        "[ingest] pip-audit.json:16: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("an empty file", async () => {
      expect(await parseFailure(parseText(""))).toMatchInlineSnapshot(`
        "[ingest] pip-audit.json: the file is empty
        expected the output of \`pip-audit --format json\` (pip-audit 2.x, or the list 1.x wrote); check the report path, or name its format explicitly"
      `);
    });
    it("pip-audit's columns output", async () => {
      expect(await parseFailure(parseText("Name    Version ID             Fix Versions\n------- ------- -------------- ------------\n"))).toMatchInlineSnapshot(`
        "[ingest] pip-audit.json:1: not valid JSON: unexpected "N" at column 1
        expected the output of \`pip-audit --format json\` (pip-audit 2.x, or the list 1.x wrote); check the report path, or name its format explicitly"
      `);
    });
    it("an object without dependencies", async () => {
      expect(await parseFailure(parseText('{"fixes": []}'))).toMatchInlineSnapshot(`
        "[ingest] pip-audit.json: the object has no "dependencies", which every pip-audit JSON report has
        expected the output of \`pip-audit --format json\` (pip-audit 2.x, or the list 1.x wrote); check the report path, or name its format explicitly"
      `);
    });
    it("dependencies of something else", async () => {
      expect(await parseFailure(parseText('{"dependencies": [\n{"name": "x", "version": "1"}]}'))).toMatchInlineSnapshot(`
        "[ingest] pip-audit.json:2: no entry is a pip-audit dependency; the first, dependency "x": it has neither "vulns" nor "skip_reason"
        expected the output of \`pip-audit --format json\` (pip-audit 2.x, or the list 1.x wrote); check the report path, or name its format explicitly"
      `);
    });
    it("cargo audit JSON", async () => {
      expect(await parseFailure(parseFixture("cargo-audit-unknown-rsa-no-patch", "cargo-audit"))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit/cargo-audit-unknown-rsa-no-patch.json:1: this looks like cargo audit JSON, not pip-audit JSON
        name its format: cargo-audit"
      `);
    });
    it("OSV-Scanner JSON", async () => {
      expect(await parseFailure(parseFixture("osv-scanner-2.2-sbom-critical", "osv"))).toMatchInlineSnapshot(`
        "[ingest] osv/osv-scanner-2.2-sbom-critical.json:1: this looks like OSV-Scanner JSON, not pip-audit JSON
        name its format: osv"
      `);
    });
  });

  describe("detection", () => {
    const others = otherFixtures();

    it.each(others)("does not claim %s", (file) => {
      expect(parser.detect(readFileSync(`${FIXTURES}${file}`).subarray(0, 4096), file)).toBe(false);
    });

    it("recognises a 2.x report of an empty environment", () => {
      expect(isPipAuditHead(Buffer.from('{"dependencies": [], "fixes": []}'))).toBe(true);
    });

    it("does not claim another tool's top-level dependencies (a package manifest, an SBOM)", () => {
      expect(isPipAuditHead(Buffer.from('{"dependencies": [{"name": "x", "ecosystem": "pypi"}]}'))).toBe(false);
      expect(isPipAuditHead(Buffer.from('{"name": "x", "dependencies": {"lodash": "^4"}}'))).toBe(false);
    });
  });
});
