import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/ingest/json-stream.js";
import { readReport } from "../../src/ingest/read-report.js";
import type { ReportFormat } from "../../src/ingest/types.js";
import { MAX_XML_DEPTH } from "../../src/ingest/xml.js";
import { runGuarded } from "./guard.js";
import type { GuardedOutcome } from "./guard.js";

/**
 * The hangs and blow-ups the fuzzer found, each at the scale that showed it, run under the fuzzer's time
 * and memory guard (a child process with a timeout and a heap limit): linearity is shown by the parse
 * ending inside the guard, or by the limit's error, never by timing it.
 */
const dir = mkdtempSync(join(tmpdir(), "shipgate-limits-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repoRoot = fileURLToPath(new URL("../..", import.meta.url));

async function guarded(name: string, format: ReportFormat, content: string | Buffer): Promise<GuardedOutcome> {
  const path = join(dir, name);
  writeFileSync(path, content);
  const [outcome] = await runGuarded([{ name, path, format }], { timeoutMs: 30_000, maxOldSpaceMb: 512, workers: 1 });
  return outcome as GuardedOutcome;
}

const surefire = (properties: string, cases: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="com.example.AppTest" time="0.01" tests="1" errors="0" skipped="0" failures="0">\n  <properties>\n${properties}  </properties>\n${cases}</testsuite>\n`;

describe("limits found by fuzzing, at the scale that showed them", () => {
  it("a skipped tag with an unclosed quote fails at once (the tag-skipping regex backtracked exponentially: 64 bytes took 20 s)", async () => {
    const outcome = await guarded("redos.xml", "junit", `<testsuites><properties ${"a".repeat(60)}="/></testsuites>`);
    expect(outcome).toMatchObject({ outcome: "shipgate-error", code: "PARSE_FAILED" });
  });

  it("a Surefire report with a 10 MB <property> value parses (it was re-read per chunk: 4 MB took 13.5 s, 10 MB over a minute)", async () => {
    const property = `    <property name="java.class.path" value="${"/repo/lib/a.jar:".repeat(640_000)}"/>\n`;
    const outcome = await guarded("big-property.xml", "junit", surefire(property, `  <testcase name="works" classname="com.example.AppTest" time="0.001"/>\n`));
    expect(outcome).toMatchObject({ outcome: "result", rows: 1 });
  });

  it(`testsuites nested 100 000 deep are refused past ${MAX_XML_DEPTH} levels (copying the suite path made it quadratic: depth 100 000 took 55 s)`, async () => {
    const depth = 100_000;
    const outcome = await guarded("deep.xml", "junit", `<testsuites>${'<testsuite name="s">'.repeat(depth)}<testcase name="t"/>${"</testsuite>".repeat(depth)}</testsuites>`);
    expect(outcome).toMatchObject({ outcome: "shipgate-error", code: "PARSE_FAILED" });
    expect((outcome as { message: string }).message).toContain(`nest deeper than ${MAX_XML_DEPTH} levels`);
  });

  it.each<[ReportFormat, string]>([
    ["sarif", `{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"x"}},"results":[{"properties":`],
    ["npm-audit", `{"auditReportVersion":2,"vulnerabilities":{"a":`],
    ["osv", `{"results":[{"source":{"path":"/p/package-lock.json","type":"lockfile"},"packages":`],
    ["coveragepy", `{"meta":{"version":"7.6.1","format":2},"files":{"a.py":`],
    ["pip-audit", `{"dependencies":[{"name":"a","version":"1.0","vulns":`],
    ["cargo-audit", `{"database":{"advisory-count":1},"vulnerabilities":{"found":true,"count":1,"list":`],
    ["govulncheck", `{"config":{"scanner_name":"govulncheck"}}\n{"finding":{"osv":"GO-1","trace":`],
  ])(`%s: 200 000 JSON levels are refused past ${MAX_JSON_DEPTH} (0.4 MB was quadratic: 61 s)`, async (format, prefix) => {
    const depth = 200_000;
    const outcome = await guarded(`deep-${format}.json`, format, `${prefix}${"[".repeat(depth)}${"]".repeat(depth)}}]}`);
    expect(outcome).toMatchObject({ outcome: "shipgate-error", code: "PARSE_FAILED" });
    expect((outcome as { message: string }).message).toContain(`nest deeper than ${MAX_JSON_DEPTH} levels`);
  });

  it("lcov detection ends on a head of CRLF test-name lines (its regex backtracked exponentially: 28 lines took 6 s)", async () => {
    const outcome = await guarded("tn.info", "lcov", `${"TN:\r\n".repeat(800)}X\r\n`);
    expect(["result", "shipgate-error"]).toContain(outcome.outcome);
  });

  it("text reports with long runs of lines split in linear time (each line re-searched the rest of the chunk for a \\r)", async () => {
    const line = 'src/a.ts(1,2): error TS2322: Type "x" is not assignable to type "y".\n';
    const outcome = await guarded("big-tsc.txt", "tsc", line.repeat(300_000));
    expect(outcome).toMatchObject({ outcome: "result", rows: 300_000 });
  });

  it("an ESLint report with a 1 MB filePath and 400 messages keeps 4 KB of the path, once (it took 1.57 GB and wrote a 630 MB store)", async () => {
    const path = join(dir, "eslint-long-path.json");
    const messages = Array.from({ length: 400 }, (_, i) => ({ ruleId: "no-unused-vars", severity: 2, message: `'v${i}' is assigned a value but never used.`, line: i + 1, column: 7 }));
    writeFileSync(path, JSON.stringify([{ filePath: `/repo/${"deep/".repeat(210_000)}a.js`, messages, suppressedMessages: [], errorCount: 400, fatalErrorCount: 0, warningCount: 0, fixableErrorCount: 0, fixableWarningCount: 0, usedDeprecatedRules: [] }]));
    const { source, result } = await readReport(path);
    expect(source.format).toBe("eslint");
    expect(result.findings).toHaveLength(400);
    expect(new Set(result.findings?.map((f) => f.file)).size).toBe(1);
    expect(result.findings?.[0]?.file).toHaveLength(4096);
    expect(result.diagnostics.filter((d) => d.code === "ingest.field-truncated").map((d) => d.message)).toEqual([
      "1 path(s) or URL(s) longer than 4096 characters were cut to that length (shipgate stores at most that much of one field)",
    ]);

    // The store: 400 rows of at most 4 KB of path each, not 400 copies of 1 MB.
    const project = mkdtempSync(join(dir, "project-"));
    execFileSync("git", ["init", "-q"], { cwd: project });
    execFileSync(process.execPath, ["--max-old-space-size=512", join(repoRoot, "dist/cli/main.js"), "assess", "--no-run", "--report", path], { cwd: project, stdio: "ignore", timeout: 120_000 });
    expect(statSync(join(project, ".shipgate/shipgate.db")).size).toBeLessThan(20 * 1024 * 1024);
  });
});
