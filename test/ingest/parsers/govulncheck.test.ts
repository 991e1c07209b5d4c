import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isGovulncheckHead } from "../../../src/ingest/advisory-heads.js";
import { govulncheckParser } from "../../../src/ingest/parsers/govulncheck.js";
import { detectFormat, parsers } from "../../../src/ingest/registry.js";
import type { AdvisorySeverity } from "../../../src/ingest/types.js";
import { advisoryFixtures, countBySeverity, FIXTURES } from "./advisory-fixtures.js";
import { parseFailure } from "./json-coverage-fixtures.js";

const parser = govulncheckParser;
const FOLDER = "govulncheck";

/** One entry of govulncheck/EXPECTED.json: where a report comes from and what it holds, or how a bad input was made. */
interface Expected {
  tool?: string;
  version?: string;
  toolSays?: string;
  /** Vulnerabilities at the scan's level: called, for the default symbol scan. */
  advisories?: { total: number } & Partial<Record<AdvisorySeverity, number>>;
  /** Vulnerabilities only in imported packages, and only in required modules: named apart, not counted. */
  imported?: number;
  required?: number;
  unrated?: number;
  madeFrom?: string;
  expect?: string;
}

const { expected, reports, path, text, parseFixture, parseText, parseInChunks, otherFixtures } = advisoryFixtures<Expected>(parser, FOLDER, "govulncheck.json");

describe("govulncheckParser", () => {
  describe.each(reports)("%s", (name, entry) => {
    it("reports the vulnerabilities the code calls, one per OSV id and module version, as in EXPECTED.json", async () => {
      const result = await parseFixture(name);
      expect(result.format).toBe("govulncheck");
      expect(result.tool?.name).toBe("govulncheck");
      expect(result.tests).toEqual([]);
      expect(result.coverage).toEqual([]);
      expect(countBySeverity(result.advisories ?? [])).toEqual(entry.advisories);
    });

    it("warns once that the Go database rates nothing, and names what is only imported or required", async () => {
      const { diagnostics } = await parseFixture(name);
      const apart = (entry.imported ?? 0) + (entry.required ?? 0) > 0;
      expect(diagnostics.map((d) => `${d.level} ${d.code}`)).toEqual([
        ...((entry.unrated ?? 0) > 0 ? ["warning govulncheck.unknown-severity"] : []),
        ...(apart ? ["info govulncheck.not-called"] : []),
      ]);
      const note = diagnostics.find((d) => d.code === "govulncheck.not-called")?.message ?? "";
      if ((entry.imported ?? 0) > 0) expect(note).toContain(`${entry.imported} vulnerabilit${entry.imported === 1 ? "y" : "ies"} in packages you import`);
      if ((entry.required ?? 0) > 0) expect(note).toContain(`${entry.required} vulnerabilit${entry.required === 1 ? "y" : "ies"} in modules you require`);
    });

    it("gives every advisory the module version, the Go ecosystem and a pkg.go.dev url", async () => {
      for (const advisory of (await parseFixture(name)).advisories ?? []) {
        expect(advisory.versions).toHaveLength(1);
        expect(advisory.ecosystem).toBe("Go");
        expect(advisory.url).toBe(`https://pkg.go.dev/vuln/${advisory.id}`);
        expect(advisory.aliases).not.toContain(advisory.id);
      }
    });

    it("is detected as govulncheck output, by the registry too, and by no other parser", () => {
      const head = readFileSync(path(name)).subarray(0, 4096);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(detectFormat(head, `${name}.json`)?.format).toBe("govulncheck");
      expect(parsers.filter((other) => other.detect(head, `${name}.json`)).map((other) => other.format)).toEqual(["govulncheck"]);
    });

    it("reads the same when the file arrives in 7-byte chunks", async () => {
      expect(await parseInChunks(name)).toEqual(await parseFixture(name));
    });
  });

  describe("reachability, against govulncheck's own text output of the same scan", () => {
    it("counts the 2 called vulnerabilities (Your code is affected by 2 vulnerabilities from 1 module)", async () => {
      expect(expected["govulncheck-test-source-call"]?.toolSays).toMatch(/^Your code is affected by 2 vulnerabilities from 1 module\./);
      const { advisories = [] } = await parseFixture("govulncheck-test-source-call");
      expect(advisories).toEqual([
        {
          id: "GO-2021-0265",
          aliases: ["CVE-2021-42248", "CVE-2021-42836", "GHSA-c9gm-7rfj-8w5h", "GHSA-ppj4-34rq-v8j9"],
          package: "github.com/tidwall/gjson",
          versions: ["v1.6.5"],
          severity: "moderate",
          title: "A maliciously crafted path can cause Get and other query functions to consume excessive amounts of CPU and time.",
          url: "https://pkg.go.dev/vuln/GO-2021-0265",
          fixAvailable: true,
          ecosystem: "Go",
        },
        expect.objectContaining({ id: "GO-2021-0054", package: "github.com/tidwall/gjson", versions: ["v1.6.5"], fixAvailable: true }),
      ]);
    });

    it("names the imported and required ones in govulncheck's words, without counting them", async () => {
      const { diagnostics } = await parseFixture("govulncheck-test-source-call");
      expect(diagnostics.find((d) => d.code === "govulncheck.not-called")?.message).toMatchInlineSnapshot(
        `"govulncheck also found 1 vulnerability in packages you import and 1 vulnerability in modules you require, but your code doesn't appear to call them: not counted, as govulncheck's own summary leaves them out (scan level symbol)"`,
      );
    });

    it("counts what a package-level scan found (-scan package: Your code may be affected by 1 vulnerability)", async () => {
      const packageScan = text("govulncheck-test-source-call").replace('"scan_level": "symbol"', '"scan_level": "package"');
      const { advisories = [], diagnostics } = await parseText(packageScan);
      expect(advisories.map((a) => a.id)).toEqual(["GO-2021-0265", "GO-2021-0113", "GO-2021-0054"]);
      expect(diagnostics.find((d) => d.code === "govulncheck.not-called")?.message).toMatch(/^govulncheck also found 1 vulnerability in modules you require, but your code doesn't appear to import it/);
    });

    it("takes the scanner version from the config message", async () => {
      expect((await parseFixture("govulncheck-test-source-call")).tool).toEqual({ name: "govulncheck", version: "v0.0.0-00000000000-20000101010101" });
    });

    it("reads the 0.x document: one advisory per vulnerability, not per vulnerable symbol (12 Vulns entries, 3 vulnerabilities)", async () => {
      const { advisories = [] } = await parseFixture("govulncheck-unknown-legacy-vulns-called");
      expect(advisories.map((a) => [a.id, a.package, a.versions, a.fixAvailable])).toEqual([
        ["GO-2022-1144", "stdlib", ["v1.19.0"], true],
        ["GO-2022-1143", "stdlib", ["v1.19.0"], true],
        ["GO-2022-0969", "stdlib", ["v1.19.0"], true],
      ]);
    });
  });

  describe("rejects what it cannot read, naming file and line", () => {
    it("a stream truncated inside a message (partial advisories are never stored)", async () => {
      expect(await parseFailure(parseFixture("govulncheck-test-truncated"))).toMatchInlineSnapshot(`
        "[ingest] govulncheck/govulncheck-test-truncated.json:214: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("a stream holding only the config message (the scan failed after starting)", async () => {
      const configOnly = text("govulncheck-test-source-call").split("\n").slice(0, 12).join("\n");
      expect(await parseFailure(parseText(configOnly))).toMatchInlineSnapshot(`
        "[ingest] govulncheck.json: the report holds only govulncheck's config message: the scan stopped before it began (govulncheck printed why on stderr)
        fix what govulncheck reported (often a package that does not build) and run \`govulncheck -format json ./...\` again"
      `);
    });
    it("an empty file", async () => {
      expect(await parseFailure(parseText(""))).toMatchInlineSnapshot(`
        "[ingest] govulncheck.json: the file is empty
        expected the output of \`govulncheck -format json\` (or \`-json\`); check the report path, or name its format explicitly"
      `);
    });
    it("govulncheck's text output", async () => {
      expect(await parseFailure(parseText("=== Symbol Results ===\n\nVulnerability #1: GO-2021-0265\n"))).toMatchInlineSnapshot(`
        "[ingest] govulncheck.json:1: not valid JSON: unexpected "=" at column 1
        expected the output of \`govulncheck -format json\` (or \`-json\`); check the report path, or name its format explicitly"
      `);
    });
    it("messages wrapped in a JSON array (an edited report, not govulncheck's stream)", async () => {
      expect(await parseFailure(parseText(`[${text("govulncheck-test-binary-devel-clean").replaceAll("}\n{", "},\n{")}]`))).toMatchInlineSnapshot(`
        "[ingest] govulncheck.json:1: the top-level JSON value is an array, not an object
        expected the output of \`govulncheck -format json\` (or \`-json\`); check the report path, or name its format explicitly"
      `);
    });
    it("a stream whose first message is not the config", async () => {
      expect(await parseFailure(parseText('{"progress": {"message": "Scanning your code"}}\n{"osv": {"id": "GO-1"}}\n'))).toMatchInlineSnapshot(`
        "[ingest] govulncheck.json: the first message is not govulncheck's {"config": …}, which every govulncheck JSON report starts with
        expected the output of \`govulncheck -format json\` (or \`-json\`); check the report path, or name its format explicitly"
      `);
    });
    it("a SARIF log (govulncheck -format sarif)", async () => {
      expect(await parseFailure(parseFixture("eslint-sarif-3.1-not-coverage", "istanbul-summary"))).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-sarif-3.1-not-coverage.json:1: this looks like a SARIF log, not govulncheck JSON
        name its format: sarif"
      `);
    });
    it("cargo audit JSON", async () => {
      expect(await parseFailure(parseFixture("cargo-audit-unknown-clean", "cargo-audit"))).toMatchInlineSnapshot(`
        "[ingest] cargo-audit/cargo-audit-unknown-clean.json:1: this looks like cargo audit JSON, not govulncheck JSON
        name its format: cargo-audit"
      `);
    });
  });

  describe("detection", () => {
    const others = otherFixtures();

    it.each(others)("does not claim %s", (file) => {
      expect(parser.detect(readFileSync(`${FIXTURES}${file}`).subarray(0, 4096), file)).toBe(false);
    });

    it("recognises a stream written on one line per message", () => {
      expect(isGovulncheckHead(Buffer.from('{"config":{"protocol_version":"v1.0.0","scanner_name":"govulncheck"}}\n{"progress":{"message":"x"}}\n'))).toBe(true);
    });

    it("does not claim another tool's config object", () => {
      expect(isGovulncheckHead(Buffer.from('{"config": {"scanner_name": "trivy"}}'))).toBe(false);
    });
  });
});
