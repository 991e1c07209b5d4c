import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isNpmAuditHead } from "../../../src/ingest/advisory-heads.js";
import { npmAuditParser } from "../../../src/ingest/parsers/npm-audit.js";
import { osvParser } from "../../../src/ingest/parsers/osv.js";
import type { Advisory, AdvisorySeverity } from "../../../src/ingest/types.js";
import { advisoryFixtures, countBySeverity, FIXTURES } from "./advisory-fixtures.js";
import { parseFailure } from "./json-coverage-fixtures.js";

const parser = npmAuditParser;
const FOLDER = "npm-audit";

/** One entry of npm-audit/EXPECTED.json: where a report comes from and what it holds, or how a bad input was made. */
interface Expected {
  tool?: string;
  version?: string;
  shape?: "v1" | "v2";
  /** The report's own metadata.vulnerabilities. */
  metadata?: Partial<Record<AdvisorySeverity | "total", number>>;
  /** What shipgate reports: one per advisory. */
  advisories?: { total: number } & Partial<Record<AdvisorySeverity, number>>;
  viaOnly?: number;
  madeFrom?: string;
  command?: string;
  expect?: string;
}

const { reports, path, text, parseFixture, parseText, otherFixtures } = advisoryFixtures<Expected>(parser, FOLDER, "audit.json");


describe("npmAuditParser", () => {
  describe.each(reports)("%s", (name, entry) => {
    it("reports the advisories counted in EXPECTED.json, by severity", async () => {
      const result = await parseFixture(name);
      expect(result.format).toBe("npm-audit");
      expect(result.tool).toEqual({ name: "npm" });
      expect(result.tests).toEqual([]);
      expect(result.coverage).toEqual([]);
      expect(countBySeverity(result.advisories ?? [])).toEqual(entry.advisories);
      expect(result.diagnostics.filter((d) => d.level !== "info")).toEqual([]);
    });

    it("records the report's own metadata.vulnerabilities in EXPECTED.json", () => {
      const report = JSON.parse(text(name)) as { metadata: { vulnerabilities: unknown } };
      expect(report.metadata.vulnerabilities).toEqual(entry.metadata);
    });

    it("explains a difference from metadata.vulnerabilities, and only then", async () => {
      const { diagnostics } = await parseFixture(name);
      const { total: _total, ...stated } = entry.metadata ?? {};
      const { total: _count, ...counted } = entry.advisories;
      const differs = (["critical", "high", "moderate", "low", "info"] as const).some((s) => (stated[s] ?? 0) !== (counted[s] ?? 0));
      expect(diagnostics.filter((d) => d.code === "npm-audit.counts-differ")).toHaveLength(differs ? 1 : 0);
    });

    it("counts the packages vulnerable only through others in a diagnostic, not as advisories", async () => {
      const { diagnostics } = await parseFixture(name);
      const viaOnly = diagnostics.find((d) => d.code === "npm-audit.via-only");
      if ((entry.viaOnly ?? 0) === 0) expect(viaOnly).toBeUndefined();
      else expect(viaOnly?.message).toMatch(new RegExp(`^${entry.viaOnly} vulnerable packages? (is|are) affected only through`));
    });

    it("is detected as npm audit, and not as OSV-Scanner", () => {
      const head = readFileSync(path(name)).subarray(0, 4096);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(osvParser.detect(head, `${name}.json`)).toBe(false);
    });

    it("reads the same when the file arrives one byte at a time", async () => {
      const bytes = readFileSync(path(name));
      const chunks = Array.from(bytes, (byte) => Buffer.from([byte]));
      expect(await parseText(chunks, `${FOLDER}/${name}.json`)).toEqual(await parseFixture(name));
    });
  });

  describe("npm 7 and later (auditReportVersion 2)", () => {
    it("makes one advisory per object in `via`, with the GHSA id from its url and the npm number as alias", async () => {
      const { advisories } = await parseFixture("npm-unknown-v2-allowlisted-path");
      expect(advisories?.map((a) => `${a.package} ${a.id} ${a.severity}`)).toEqual([
        "axios GHSA-cph5-m8f7-6c5x high",
        "axios GHSA-4w2v-q235-vp99 high",
        "axios GHSA-42xw-2xvc-qx8m high",
        "follow-redirects GHSA-pw2r-vq6v-hr8c moderate",
        "follow-redirects GHSA-74fj-2j2h-c42q high",
      ]);
      expect(advisories?.[0]).toEqual({
        id: "GHSA-cph5-m8f7-6c5x",
        aliases: ["1038749"],
        package: "axios",
        versions: [],
        severity: "high",
        title: "Incorrect Comparison in axios",
        url: "https://github.com/advisories/GHSA-cph5-m8f7-6c5x",
        fixAvailable: true,
        ecosystem: "npm",
      });
    });

    it("takes each advisory's own severity, not its package's highest (follow-redirects is high, one advisory moderate)", async () => {
      const { advisories } = await parseFixture("npm-unknown-v2-allowlisted-path");
      expect(advisories?.filter((a) => a.package === "follow-redirects").map((a) => a.severity)).toEqual(["moderate", "high"]);
    });

    it("uses the npm advisory number as id when the url names no GHSA", async () => {
      const { advisories } = await parseFixture("npm-unknown-v2-npmjs-url");
      expect(advisories).toEqual([
        {
          id: "1040620",
          aliases: [],
          package: "open",
          versions: [],
          severity: "critical",
          title: "Command Injection",
          url: "https://npmjs.com/advisories/1040620",
          fixAvailable: true,
          ecosystem: "npm",
        },
      ]);
    });

    it("trims the title npm wrote with a leading space", async () => {
      const { advisories } = await parseFixture("npm-8.11-v2-via-chains");
      expect(advisories?.find((a) => a.id === "GHSA-xx4c-jj58-r7x6")?.title).toBe("Inefficient Regular Expression Complexity in Validator.js");
    });

    it("names the packages vulnerable only through others, and says how npm's counts differ", async () => {
      const { diagnostics } = await parseFixture("npm-8.11-v2-via-chains");
      expect(diagnostics.map((d) => [d.level, d.code, d.line, d.message])).toMatchInlineSnapshot(`
        [
          [
            "info",
            "npm-audit.via-only",
            4,
            "9 vulnerable packages are affected only through their dependencies (busboy, cpy, cpy-cli, koa-multer, meow, and 4 more): they have no advisories of their own, the advisories behind them are counted at the dependency they name",
          ],
          [
            "info",
            "npm-audit.counts-differ",
            376,
            "npm's metadata.vulnerabilities counts 14 (12 high, 2 moderate) vulnerable packages (each package once at its highest severity, including packages vulnerable only through a dependency); shipgate reports advisories, each once: 6 (3 high, 3 moderate)",
          ],
        ]
      `);
    });

    it("reads a clean audit as no advisories and no diagnostics", async () => {
      expect(await parseFixture("npm-unknown-v2-none")).toMatchObject({ advisories: [], diagnostics: [] });
    });
  });

  describe("npm 6 (advisories and actions)", () => {
    it("gives the same advisories as npm 7+ for the same project", async () => {
      const key = (a: Advisory) => `${a.package} ${a.id} ${a.severity} ${a.title}`;
      const v1 = (await parseFixture("npm-unknown-v1-allowlisted-path")).advisories?.map(key).sort();
      const v2 = (await parseFixture("npm-unknown-v2-allowlisted-path")).advisories?.map(key).sort();
      expect(v1).toEqual(v2);
    });

    it("keeps the installed versions, the npm number and CVEs as aliases, and no fix when patched_versions is <0.0.0", async () => {
      const { advisories } = await parseFixture("npm-unknown-v1-high");
      expect(advisories).toEqual([
        {
          id: "GHSA-38f5-ghc2-fcmv",
          aliases: ["1039985", "CVE-2018-3784"],
          package: "cryo",
          versions: ["0.0.6"],
          severity: "high",
          title: "Code Injection in cryo",
          url: "https://github.com/advisories/GHSA-38f5-ghc2-fcmv",
          fixAvailable: false,
          ecosystem: "npm",
        },
      ]);
    });

    it("says npm 6 counts dependency paths, not advisories", async () => {
      const { diagnostics } = await parseFixture("npm-unknown-v1-allowlisted-path");
      expect(diagnostics.map((d) => d.message)).toMatchInlineSnapshot(`
        [
          "npm's metadata.vulnerabilities counts 10 (8 high, 2 moderate) vulnerable dependency paths (each advisory once per dependency path it was found at); shipgate reports advisories, each once: 5 (4 high, 1 moderate)",
        ]
      `);
    });

    it("reads a clean audit, whose advisories object is empty, as no advisories", async () => {
      expect(await parseFixture("npm-unknown-v1-none")).toMatchObject({ advisories: [], diagnostics: [] });
    });

    it("is detected when the actions list fills the first 4 KB", () => {
      const head = readFileSync(path("npm-unknown-v1-allowlisted-path")).subarray(0, 1500);
      expect(head.toString()).not.toContain('"advisories"');
      expect(isNpmAuditHead(head)).toBe(true);
    });
  });

  describe("an audit that failed", () => {
    it("refuses npm 11's error output (the endpoint answered 405) and says what to do", async () => {
      expect(await parseFailure(parseFixture("npm-11.19-audit-failed"))).toMatchInlineSnapshot(`
        "[ingest] npm-audit/npm-11.19-audit-failed.json:21: the audit itself failed, npm wrote no report (405 Method Not Allowed - POST https://registry.npmjs.org/-/npm/v1/security/advisories/bulk)
        npm could not reach the registry's audit endpoint, so there is nothing to read: check \`npm config get registry\` (mirrors and proxies often do not implement audits) and the network, run \`npm audit --json\` again and pass the new output"
      `);
    });

    it("refuses npm 6's ENOAUDIT error", async () => {
      expect(await parseFailure(parseFixture("npm-unknown-enoaudit"))).toMatchInlineSnapshot(`
        "[ingest] npm-audit/npm-unknown-enoaudit.json:2: the audit itself failed, npm wrote no report (ENOAUDIT: Your configured registry (https://registry.npmjs.org/) may not support audit requests, or the audit endpoint may be temporarily unavailable.)
        npm could not reach the registry's audit endpoint, so there is nothing to read: check \`npm config get registry\` (mirrors and proxies often do not implement audits) and the network, run \`npm audit --json\` again and pass the new output"
      `);
    });

    it("detects both error outputs as npm audit, so that this message is what the user sees", () => {
      for (const name of ["npm-11.19-audit-failed", "npm-unknown-enoaudit"]) {
        expect(parser.detect(readFileSync(path(name)).subarray(0, 4096), `${name}.json`)).toBe(true);
      }
    });
  });

  describe("entries it can read past", () => {
    it("skips a package of unknown severity with a warning, and says the counts no longer add up", async () => {
      const broken = text("npm-unknown-v2-allowlisted-path").replace(
        '"name": "follow-redirects",\n      "severity": "high"',
        '"name": "follow-redirects",\n      "severity": "urgent"',
      );
      const result = await parseText(broken);
      expect(result.advisories?.map((a) => a.package)).toEqual(["axios", "axios", "axios"]);
      expect(result.diagnostics.map((d) => [d.level, d.code, d.line, d.message])).toMatchInlineSnapshot(`
        [
          [
            "warning",
            "npm-audit.bad-entry",
            52,
            "skipped package "follow-redirects": its severity "urgent" is not one npm uses",
          ],
          [
            "info",
            "npm-audit.via-only",
            90,
            "1 vulnerable package is affected only through its dependencies (github-build): it has no advisory of its own, the advisories behind it are counted at the dependency they name",
          ],
          [
            "warning",
            "npm-audit.metadata-mismatch",
            105,
            "metadata.vulnerabilities says 3 (3 high) vulnerable packages, but the entries read give 2 (2 high); an entry may have been skipped or the report edited",
          ],
        ]
      `);
    });

    it("gives an advisory of unknown severity its package's severity, with a warning", async () => {
      const broken = text("npm-unknown-v2-allowlisted-path").replace('"severity": "moderate",\n          "range": "<1.14.8"', '"severity": "medium",\n          "range": "<1.14.8"');
      const result = await parseText(broken);
      expect(result.advisories?.find((a) => a.id === "GHSA-pw2r-vq6v-hr8c")?.severity).toBe("high");
      expect(result.diagnostics.filter((d) => d.level === "warning").map((d) => d.message)).toEqual([
        'advisory GHSA-pw2r-vq6v-hr8c of "follow-redirects" has severity "medium"; using the package\'s, high',
      ]);
    });
  });

  describe("rejects what it cannot read, naming file and line", () => {
    it("a report truncated after some packages (partial advisories are never stored)", async () => {
      expect(await parseFailure(parseFixture("npm-8.11-v2-truncated"))).toMatchInlineSnapshot(`
        "[ingest] npm-audit/npm-8.11-v2-truncated.json:204: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("a report cut before its first package", async () => {
      expect(await parseFailure(parseText(text("npm-unknown-v2-allowlisted-path").slice(0, 60)))).toMatchInlineSnapshot(`
        "[ingest] audit.json:4: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("an empty file", async () => {
      expect(await parseFailure(parseText(""))).toMatchInlineSnapshot(`
        "[ingest] audit.json: the file is empty
        expected the output of \`npm audit --json\` (npm 6, or npm 7 and later); check the report path, or name its format explicitly"
      `);
    });
    it("text that is not JSON (npm's human-readable report)", async () => {
      expect(await parseFailure(parseText("# npm audit report\n\naxios  <=0.21.1\n"))).toMatchInlineSnapshot(`
        "[ingest] audit.json:1: not valid JSON: unexpected "#" at column 1
        expected the output of \`npm audit --json\` (npm 6, or npm 7 and later); check the report path, or name its format explicitly"
      `);
    });
    it("an object of something else", async () => {
      expect(await parseFailure(parseText('{"name": "fx-sec", "version": "1.0.0"}'))).toMatchInlineSnapshot(`
        "[ingest] audit.json: the object has no "auditReportVersion", "vulnerabilities" or "advisories", which every npm audit JSON report has
        expected the output of \`npm audit --json\` (npm 6, or npm 7 and later); check the report path, or name its format explicitly"
      `);
    });
    it("a vulnerabilities object of something else", async () => {
      expect(await parseFailure(parseText('{"auditReportVersion": 2,\n"vulnerabilities": {"a": 1}}'))).toMatchInlineSnapshot(`
        "[ingest] audit.json:2: no entry is an npm audit package entry; the first, package "a": it is not an object
        expected the output of \`npm audit --json\` (npm 6, or npm 7 and later); check the report path, or name its format explicitly"
      `);
    });
    it("OSV-Scanner JSON", async () => {
      expect(await parseFailure(parseFixture("osv-scanner-2.2-sbom-critical", "osv"))).toMatchInlineSnapshot(`
        "[ingest] osv/osv-scanner-2.2-sbom-critical.json:1: this looks like OSV-Scanner JSON (osv-scanner --format json), not npm audit JSON
        name its format: osv"
      `);
    });
    it("a SARIF log", async () => {
      expect(await parseFailure(parseFixture("eslint-sarif-3.1-not-coverage", "istanbul-summary"))).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-sarif-3.1-not-coverage.json:1: this looks like a SARIF log, not npm audit JSON
        expected the output of \`npm audit --json\` (npm 6, or npm 7 and later); check the report path, or name its format explicitly"
      `);
    });
    it("coverage.py JSON", async () => {
      expect(await parseFailure(parseFixture("coveragepy-6.5-basic", "coveragepy"))).toMatchInlineSnapshot(`
        "[ingest] coveragepy/coveragepy-6.5-basic.json:1: this looks like coverage.py JSON (coverage json), not npm audit JSON
        name its format: coveragepy"
      `);
    });
  });

  describe("detection", () => {
    const others = otherFixtures();

    it.each(others)("does not claim %s", (file) => {
      expect(parser.detect(readFileSync(`${FIXTURES}${file}`).subarray(0, 4096), file)).toBe(false);
    });
  });
});
