import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { fixture, shipgate, tempDir } from "./run-cli.js";

const REPORTS = ["vitest-4.1-hostile-names.xml", "pytest-9.0-hostile-messages.xml", "eslint-10.15-hostile-messages.json", "tsc-6.0-path-outside-repo.txt"];

/** A project with the files the hostile reports name, and the reports in reports/ (see test/fixtures/cli/sanitize/README.md). */
function project(): string {
  const dir = tempDir();
  mkdirSync(join(dir, "src"));
  mkdirSync(join(dir, "test"));
  mkdirSync(join(dir, "reports"));
  writeFileSync(join(dir, "src/app.js"), 'export const heading = "PAYLOAD …";\nexport const command = "PAYLOAD …";\nexport const escapes = "PAYLOAD …";\nexport const html = "PAYLOAD …";\n');
  writeFileSync(join(dir, "src/index.ts"), 'export const n: number = "not a number";\n');
  writeFileSync(join(dir, "test/payload.test.ts"), "// the vitest test file\n");
  writeFileSync(join(dir, "test_payload.py"), "# the pytest test file\n");
  for (const name of REPORTS) cpSync(fixture(`cli/sanitize/${name}`), join(dir, "reports", name));
  // A gate that judges findings too, so that ESLint's and tsc's messages and paths reach every output.
  writeFileSync(join(dir, "shipgate.yaml"), "version: 1\ngates:\n  pr:\n    conditions:\n      - tests.failed == 0\n      - findings == 0\n");
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

const reportArgs = REPORTS.flatMap((name) => ["-r", `reports/${name}`]);

/** Characters that must never reach a terminal or a CI log from a report. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** shipgate's own workflow commands: the report fence and gate annotations. */
const OWN_COMMAND = /^::(stop-commands::shipgate-[0-9a-f]{24}|shipgate-[0-9a-f]{24}::|(error|warning|notice) (file=[^,]*,(line=\d+,(endLine=\d+,)?)?)?title=shipgate gate pr%3A [^\n]*::.*)$/;

/** Every output line the GitHub runner would read as a workflow command (it trims leading whitespace; `##[` counts anywhere). */
const commandLines = (text: string) => text.split(/\r\n|\r|\n/).filter((line) => line.trimStart().startsWith("::") || line.includes("##["));

/** Headings, images, links and raw HTML in markdown, as GitHub would render it (tables, bare-URL autolinks on). */
function markdownStructure(markdown: string) {
  const md = new MarkdownIt({ html: true, linkify: true });
  md.linkify.set({ fuzzyLink: false, fuzzyEmail: false });
  const found = { headings: [] as string[], images: [] as string[], links: [] as string[], html: [] as string[] };
  const tokens = md.parse(markdown, {});
  tokens.forEach((token, i) => {
    if (token.type === "heading_open") found.headings.push(`${token.tag} ${tokens[i + 1]?.content ?? ""}`);
    if (token.type === "html_block") found.html.push(token.content.trim());
    for (const child of token.children ?? []) {
      if (child.type === "image") found.images.push(child.attrGet("src") ?? "");
      if (child.type === "link_open") found.links.push(child.attrGet("href") ?? "");
      if (child.type === "html_inline") found.html.push(child.content);
    }
  });
  return found;
}

describe("output safety: reports with hostile test names, messages and paths", () => {
  it("regression: a failing test's name cannot inject a heading, an image, links or HTML into GITHUB_STEP_SUMMARY", () => {
    const dir = project();
    const summaryFile = join(dir, "summary.md");
    const result = shipgate(["assess", ...reportArgs, "--gate", "pr"], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile } });
    expect(result.stderr).not.toMatch(/^error/m);
    expect(result.code).toBe(1);
    const summary = readFileSync(summaryFile, "utf8");
    // The payloads are there, as text.
    expect(summary).toContain("Gate release: GO");
    expect(summary).toContain("attacker.example");
    const found = markdownStructure(summary);
    expect(found.headings).toEqual(["h2 shipgate snapshot #1", "h3 shipgate gate `pr`: ❌ NO-GO"]);
    expect(found.images).toEqual([]);
    expect(found.links).toEqual([]);
    // The only HTML is shipgate's own collapsible sections.
    for (const html of found.html) expect(html).toMatch(/^(<details><summary>[^<>]*<\/summary>|<\/details>)$/);
    expect(summary).not.toMatch(CONTROL);
    // Every table row has as many cells as its header: no report text splits a cell.
    const pipes = (line: string) => line.split(/(?<!\\)\|/).length;
    let header = 0;
    for (const [i, line] of summary.split("\n").entries()) {
      if (!line.startsWith("|")) header = 0;
      else if (header === 0) header = pipes(line);
      else expect(pipes(line), `line ${i + 1}: ${line}`).toBe(header);
    }
  });

  it("regression: test names and messages cannot issue GitHub workflow commands (::error::, ::add-mask::, ##[…]) on stdout or stderr", () => {
    const dir = project();
    const result = shipgate(["assess", ...reportArgs, "--gate", "pr", "--sarif", "gate.sarif", "--junit", "gate.xml"], {
      cwd: dir,
      env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: join(dir, "summary.md") },
    });
    expect(result.code).toBe(1);
    for (const line of commandLines(result.stdout)) expect(line).toMatch(OWN_COMMAND);
    expect(commandLines(result.stderr)).toEqual([]);
    // The payloads are shown, defused.
    expect(result.stdout).toContain("workflow command  ::error::pwned");
    expect(result.stdout).not.toMatch(/^\s*::add-mask::/m);
    // Annotations: at least one per hostile test, each on one line, none with a location outside the repository.
    const annotations = result.stdout.split("\n").filter((l) => /^::(error|warning|notice) /.test(l));
    expect(annotations.some((l) => l.includes("fake verdict"))).toBe(true);
    for (const line of annotations) expect(line).not.toMatch(/file=(\.\.|\/|[a-z]+%3A)/i);
  });

  it("regression: no escape sequence, control character, bidi override or carriage return from a report reaches the terminal", () => {
    const dir = project();
    for (const args of [["assess", ...reportArgs], ["assess", ...reportArgs, "--markdown"], ["gate", "--gate", "pr"], ["gate", "--gate", "pr", "--markdown"], ["diff", "latest~1", "latest"]]) {
      const result = shipgate(args, { cwd: dir });
      expect(result.stdout, args.join(" ")).not.toMatch(CONTROL);
      expect(result.stderr, args.join(" ")).not.toMatch(CONTROL);
    }
    const text = shipgate(["gate", "--gate", "pr"], { cwd: dir }).stdout;
    // What is left of the hostile text is readable on one line.
    expect(text).toContain("escapes [31mred[0m ]8;;https://attacker.examplelink]8;; bidi gnp.exe cr over");
    expect(text).toContain("ansi red link bidi gnp.exe cr over  c1");
  });

  it("regression: report paths outside the repository (../elsewhere/passwd.ts, /tmp/…/outside.js) are no SARIF locations; the results stay", () => {
    const dir = project();
    const result = shipgate(["assess", ...reportArgs, "--gate", "pr", "--sarif", "gate.sarif"], { cwd: dir });
    expect(result.code).toBe(1);
    const sarif = JSON.parse(readFileSync(join(dir, "gate.sarif"), "utf8")) as {
      runs: { results: { message: { text: string }; locations?: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[];
    };
    const results = sarif.runs[0]?.results ?? [];
    const uris = results.flatMap((r) => r.locations ?? []).map((l) => l.physicalLocation.artifactLocation);
    expect(uris.length).toBeGreaterThan(0);
    for (const uri of uris) {
      expect(uri.uriBaseId).toBe("%SRCROOT%");
      expect(uri.uri).not.toMatch(/^(\.\.|\/|[a-z]+:)/i);
    }
    const outside = results.filter((r) => r.message.text.includes("not a path in the repository"));
    expect(outside.map((r) => [r.locations, /reported at (\S+):/.exec(r.message.text)?.[1]])).toEqual(
      expect.arrayContaining([
        [undefined, "../elsewhere/passwd.ts"],
        [undefined, "/tmp/sanitize-fx/es/other/outside.js"],
      ]),
    );
    for (const r of results) expect(r.message.text).not.toMatch(CONTROL);
  });

  it("regression: an error quoting report bytes or collector output cannot issue workflow commands or escape sequences", () => {
    const dir = project();
    // A report that is not mypy output: the error quotes its first line.
    writeFileSync(join(dir, "reports/not-mypy.txt"), "::error file=x::pwned \u001b[2J\u001b]0;title\u0007 \u202eevil\r::add-mask::secret\n");
    const parse = shipgate(["assess", "-r", "reports/not-mypy.txt", "--format", "mypy"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(parse.code).toBe(2);
    expect(parse.stderr).toContain("no line is a mypy message");
    expect(parse.stderr).not.toMatch(CONTROL);
    expect(commandLines(parse.stderr)).toEqual([]);

    // A collector that fails: the error quotes the tail of its output.
    writeFileSync(
      join(dir, "shipgate.yaml"),
      ["version: 1", "collectors:", "  - name: hostile", `    command: "printf '::error::pwned\\\\n  ::add-mask::secret\\\\n\\\\033[31mred\\\\033[0m\\\\r##[warning]x\\\\n' >&2; exit 3"`, "    reports: [reports/none.xml]", ""].join("\n"),
    );
    const collect = shipgate(["assess"], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(collect.code).toBe(2);
    expect(collect.stderr).toContain("its error:");
    expect(collect.stderr).toContain(": :error::pwned");
    expect(collect.stderr).not.toMatch(CONTROL);
    expect(commandLines(collect.stderr)).toEqual([]);
  });

  it("regression: a link target in the repository's markdown cannot put escape sequences on the terminal (docs check)", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "README.md"), "See [the guide](<docs/\u001b]0;pwned\u0007gu\u001b[31mide.md>) and [x](missing\u202e.md).\n::error::not from shipgate\n");
    const result = shipgate(["docs", "check", "--cwd", dir], { cwd: dir, env: { GITHUB_ACTIONS: "true" } });
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("README.md:1: docs/guide.md — no such file");
    expect(result.stdout).toContain("README.md:1: missing.md — no such file");
    expect(result.stdout).not.toMatch(CONTROL);
  });
});

