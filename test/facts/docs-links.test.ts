import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, posix, resolve } from "node:path";
import MarkdownIt from "markdown-it";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ShipgateError } from "../../src/errors.js";
import { checkDocsLinks, joinKey, joinRelative, SKIPPED_DIRS } from "../../src/facts/docs-links.js";
import type { BrokenLink, DocsCheckOptions } from "../../src/facts/docs-links.js";
import { scanMarkdown } from "../../src/facts/markdown-links.js";
import { scratchRepo } from "../scratch-repo.js";

const GEN = resolve(dirname(new URL(import.meta.url).pathname), "../support/generate.mjs");
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) {
    chmodRecursive(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Writes a small docs tree (hand-written markdown inputs) into a fresh temp dir. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "shipgate-docs-"));
  dirs.push(root);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

async function check(files: Record<string, string>, options: Partial<DocsCheckOptions> = {}) {
  return checkDocsLinks({ root: tree(files), ...options });
}

/** `file:line: target — reason`, the CLI's line, for compact inline snapshots. */
const lines = (broken: BrokenLink[]) => broken.map((b) => `${b.file}:${b.line}${b.column === undefined ? "" : `:${b.column}`}: ${b.target} — ${b.reason}`);

function chmodRecursive(dir: string) {
  try {
    chmodSync(dir, 0o755);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) chmodRecursive(path);
      else if (entry.isFile()) chmodSync(path, 0o644);
    }
  } catch {
    // best effort: the directory is removed next
  }
}

describe("checkDocsLinks: files and images", () => {
  it("accepts relative links to existing files and reports missing ones with the resolved path", async () => {
    const result = await check({
      "README.md": "# Project\n\nSee [the guide](docs/guide.md) and [setup](./docs/setup.md).\n\n[gone](docs/gone.md)\n",
      "docs/guide.md": "# Guide\n\nBack to [readme](../README.md), [missing](../CHANGELOG.md).\n",
    });
    expect(result.files).toBe(2);
    expect(result.links).toBe(5);
    expect(lines(result.broken)).toMatchInlineSnapshot(`
      [
        "README.md:3:44: ./docs/setup.md — no such file: docs/setup.md",
        "README.md:5:8: docs/gone.md — no such file: docs/gone.md",
        "docs/guide.md:3:43: ../CHANGELOG.md — no such file: CHANGELOG.md",
      ]
    `);
    expect(result.broken.every((b) => b.kind === "file")).toBe(true);
  });

  it("checks images, markdown and raw HTML alike", async () => {
    const result = await check({
      "img/logo.png": "png",
      "a.md": [
        "![logo](img/logo.png) ![gone](img/gone.png)",
        "",
        '<p align="center"><img src="img/logo.png"> <img src="img/also-gone.png" alt="x"></p>',
        "",
        'Inline <a href="img/nope.svg">html link</a> and <a href="img/logo.png">fine</a>.',
        "",
      ].join("\n"),
    });
    expect(lines(result.broken)).toMatchInlineSnapshot(`
      [
        "a.md:1:31: img/gone.png — no such file: img/gone.png",
        "a.md:3:54: img/also-gone.png — no such file: img/also-gone.png",
        "a.md:5:17: img/nope.svg — no such file: img/nope.svg",
      ]
    `);
  });

  it("suggests a sibling that differs only in case (works on macOS, 404 on GitHub) or by a typo", async () => {
    const result = await check({
      "docs/Guide.md": "# Guide\n",
      "docs/installation.md": "# Install\n",
      "a.md": "[g](docs/guide.md) [i](docs/instalation.md) [x](docs/zzz.md)\n",
    });
    expect(result.broken.map((b) => b.reason)).toMatchInlineSnapshot(`
      [
        "no such file: docs/guide.md (did you mean docs/Guide.md?)",
        "no such file: docs/instalation.md (did you mean docs/installation.md?)",
        "no such file: docs/zzz.md",
      ]
    `);
  });

  it("accepts links to existing directories, with or without a trailing slash", async () => {
    const result = await check({
      "docs/a.md": "# A\n",
      "README.md": "[docs](docs) [docs/](docs/) [docs#x](docs/#x) [none](nodir/)\n",
    });
    expect(lines(result.broken)).toEqual(["README.md:1:54: nodir/ — no such file: nodir"]);
  });

  it("URL-decodes paths and ignores ?query; a leading / is the root", async () => {
    const result = await check({
      "docs/my file.md": "# Mine\n",
      "docs/café.md": "# Café\n",
      "docs/sub/deep.md": "[top](/docs/my%20file.md) [abs missing](/docs/nope.md) [up](../../README.md)\n",
      "README.md": "[a](docs/my%20file.md) [b](<docs/my file.md>) [c](docs/caf%C3%A9.md) [d](docs/café.md) [e](docs/my%20file.md?raw=1#mine) [f](docs/bad%zz.md)\n",
    });
    expect(lines(result.broken)).toMatchInlineSnapshot(`
      [
        "README.md:1:126: docs/bad%zz.md — no such file: docs/bad%zz.md",
        "docs/sub/deep.md:1:41: /docs/nope.md — no such file: docs/nope.md",
      ]
    `);
  });

  it("accepts line anchors (and any fragment) on non-markdown files; the file must exist", async () => {
    const result = await check({
      "src/a.ts": "export const a = 1;\n",
      "README.md": "# R\n\nline 5\n",
      "docs.md": "[l](src/a.ts#L10) [r](src/a.ts#L10-L20) [c](src/a.ts#L1C2-L3C4) [any](src/a.ts#whatever) [gone](src/b.ts#L1) [plain](README.md?plain=1#L3) [md line](README.md#L3)\n",
    });
    expect(lines(result.broken)).toMatchInlineSnapshot(`
      [
        "docs.md:1:97: src/b.ts#L1 — no such file: src/b.ts (did you mean src/a.ts?)",
        "docs.md:1:150: README.md#L3 — no heading #L3 in README.md",
      ]
    `);
  });

  it("skips node_modules, .git, dist, build, coverage and vendor but reads other dot-directories", async () => {
    const result = await check({
      "node_modules/pkg/README.md": "[x](nope.md)\n",
      ".git/x.md": "[x](nope.md)\n",
      "dist/x.md": "[x](nope.md)\n",
      "build/x.md": "[x](nope.md)\n",
      "coverage/x.md": "[x](nope.md)\n",
      "vendor/lib/x.md": "[x](nope.md)\n",
      "packages/a/node_modules/y.md": "[x](nope.md)\n",
      ".github/CONTRIBUTING.md": "[x](nope.md)\n",
      "docs/Notes.MARKDOWN": "[y](nope.md)\n",
    });
    expect(result.files).toBe(2);
    expect(result.broken.map((b) => b.file)).toEqual([".github/CONTRIBUTING.md", "docs/Notes.MARKDOWN"]);
  });
});

describe("checkDocsLinks: which files are the repository's", () => {
  const broken = "[x](nope.md)\n";

  it("regression: a broken link in a git-ignored folder (.tox, .venv, node_modules, dist) no longer counts", async () => {
    const repo = scratchRepo("docs-ignored-");
    repo.write({
      ".gitignore": ".tox/\n.venv/\nnode_modules/\ndist/\n*.log.md\n",
      "README.md": "# Project\n\n[guide](docs/guide.md)\n",
      "docs/guide.md": "# Guide\n\n[gone](gone.md)\n",
      "docs/.gitignore": "generated/\n",
    });
    repo.commit("docs");
    // Left behind by tools: what failed the release gate was a package's README inside .tox/.
    repo.write({
      ".tox/py311/lib/python3.11/site-packages/pkg/README.md": broken,
      ".venv/lib/python3.11/site-packages/other/README.md": broken,
      "node_modules/pkg/README.md": broken,
      "dist/docs/guide.md": broken,
      "docs/generated/api.md": broken,
      "debug.log.md": broken,
      // Not ignored and not yet added: the repository's, so checked.
      "docs/new.md": "# New\n\n[missing](missing.md)\n",
    });
    const result = await checkDocsLinks({ root: repo.dir });
    expect(result.files).toBe(3);
    expect(lines(result.broken)).toEqual(["docs/guide.md:3:8: gone.md — no such file: docs/gone.md", "docs/new.md:3:11: missing.md — no such file: docs/missing.md"]);
    // A folder named explicitly is read the same way, and so is a root below the top of the work tree.
    expect((await checkDocsLinks({ root: repo.dir, paths: ["docs"] })).files).toBe(2);
    expect((await checkDocsLinks({ root: join(repo.dir, "docs") })).files).toBe(2);
  });

  it("reads neither symbolic links nor tracked files deleted from the work tree", async () => {
    const repo = scratchRepo("docs-links-");
    repo.write({ "README.md": "# Project\n", "docs/old.md": broken });
    symlinkSync("../README.md", join(repo.dir, "docs/readme-link.md"));
    repo.commit("docs");
    rmSync(join(repo.dir, "docs/old.md"));
    const result = await checkDocsLinks({ root: repo.dir });
    expect(result.files).toBe(1);
    expect(result.broken).toEqual([]);
  });

  it("outside git, skips the usual folders of installed packages, virtual environments and build output", async () => {
    const files: Record<string, string> = { "docs/guide.md": broken };
    for (const dir of SKIPPED_DIRS) files[`${dir}/x/README.md`] = broken;
    const result = await check(files);
    expect(result.files).toBe(1);
    expect(result.broken.map((b) => b.file)).toEqual(["docs/guide.md"]);
  });
});

describe("checkDocsLinks: links that leave the repository, and ignore patterns", () => {
  it("regression: a README's `../../issues/new` (every verb-generated README has one) was counted as a broken link", async () => {
    const repo = scratchRepo("docs-outside-");
    // is-number's README.md:126 (jonschlinkert/is-number), and one link that is really broken.
    repo.write({
      "README.md": "# is-number\n\nSee the [tests](./test.js).\n\n## Contributing\n\nFor bugs and feature requests, [please create an issue](../../issues/new).\n\n[gone](docs/gone.md)\n",
      "test.js": "",
    });
    repo.commit("docs");
    const result = await checkDocsLinks({ root: repo.dir });
    expect(lines(result.broken)).toEqual(["README.md:9:8: docs/gone.md — no such file: docs/gone.md"]);
    expect(result.unchecked).toEqual([{ file: "README.md", line: 7, column: 57, target: "../../issues/new", reason: "outside-repository" }]);
    expect(result.links).toBe(3);
  });

  it("does not check links that resolve above the root from a subfolder, with a leading /, or in raw HTML; inside links still are", async () => {
    const result = await check({
      "docs/guide.md": '[up one](../README.md) [up two](../../x/pulls) [rooted](/../wiki) <a href="../../../releases">r</a>\n\n[inside](../missing.md)\n',
      "README.md": "# Project\n",
    });
    expect(lines(result.broken)).toEqual(["docs/guide.md:3:10: ../missing.md — no such file: missing.md"]);
    expect(result.unchecked.map((u) => `${u.target} ${u.reason}`)).toEqual(["../../x/pulls outside-repository", "/../wiki outside-repository", "../../../releases outside-repository"]);
  });

  it("skips links an ignore glob matches, as written or by their path in the repository, external ones included", async () => {
    const result = await check(
      {
        "README.md": "[a](docs/generated/api.md#x) [b](https://localhost:3000/admin) [c](https://example.com/) [d](../../issues/new) [e](docs/gone.md)\n",
        "docs/guide.md": "[api](generated/api.md) [f](other.md)\n",
      },
      { ignore: ["docs/generated/**", "https://localhost*/**", "../../issues/*"] },
    );
    expect(lines(result.broken)).toEqual(["README.md:1:116: docs/gone.md — no such file: docs/gone.md", "docs/guide.md:1:29: other.md — no such file: docs/other.md"]);
    expect(result.external.map((e) => e.url)).toEqual(["https://example.com/"]);
    expect(result.unchecked.map((u) => `${u.file} ${u.target} ${u.reason} ${u.pattern ?? ""}`)).toEqual([
      "README.md docs/generated/api.md#x ignored docs/generated/**",
      "README.md https://localhost:3000/admin ignored https://localhost*/**",
      "README.md ../../issues/new ignored ../../issues/*",
      "docs/guide.md generated/api.md ignored docs/generated/**",
    ]);
  });
});

describe("checkDocsLinks: anchors", () => {
  const guide = [
    "# Guide",
    "",
    "## Usage",
    "## Usage",
    "## Usage",
    "## C++ & C# (v2.0)?",
    "## 🚀 Launch",
    "## The `scan()` API",
    "## :tada: Party",
    "## Ünïcödé Straße",
    "## *Important* _note_ ~~old~~",
    "## See [the docs](other.md) <a name=\"legacy\"></a>",
    "Setext heading",
    "--------------",
    "",
    '<div id="Box">block</div>',
    "",
    "Text with <span id='inline-id'>an id</span>.",
    "",
    "```",
    "## Not a heading",
    "```",
    "",
  ].join("\n");

  it("matches GitHub's heading slugs: duplicates -1 -2, punctuation, emoji, code spans, unicode, emphasis", () => {
    expect([...scanMarkdown(guide).anchors]).toMatchInlineSnapshot(`
      [
        "guide",
        "usage",
        "usage-1",
        "usage-2",
        "c--c-v20",
        "-launch",
        "the-scan-api",
        "tada-party",
        "ünïcödé-straße",
        "important-note-old",
        "see-the-docs-",
        "legacy",
        "setext-heading",
        "box",
        "inline-id",
      ]
    `);
  });

  it("checks fragments in the same file and in other files, case-insensitively, with a suggestion", async () => {
    const result = await check({
      "docs/guide.md": guide,
      "docs/other.md": [
        "[a](guide.md#usage) [b](guide.md#usage-2) [c](guide.md#usage-3)",
        "[d](guide.md#c--c-v20) [e](guide.md#-launch) [f](guide.md#the-scan-api) [g](guide.md#tada-party)",
        "[h](guide.md#%C3%BCn%C3%AFc%C3%B6d%C3%A9-stra%C3%9Fe) [i](guide.md#ünïcödé-straße) [j](guide.md#important-note-old)",
        "[k](guide.md#legacy) [l](guide.md#box) [m](guide.md#inline-id) [n](guide.md#Setext-Heading) [o](guide.md#USAGE-1)",
        "[p](guide.md#not-a-heading) [q](guide.md#instal) [r](#local) [s](#locl) [t](#) [u](#top) [v](guide.md#user-content-usage)",
        "",
        "## Local",
        "",
      ].join("\n"),
    });
    expect(lines(result.broken)).toMatchInlineSnapshot(`
      [
        "docs/other.md:1:47: guide.md#usage-3 — no heading #usage-3 in docs/guide.md (did you mean #usage-1?)",
        "docs/other.md:5:5: guide.md#not-a-heading — no heading #not-a-heading in docs/guide.md",
        "docs/other.md:5:33: guide.md#instal — no heading #instal in docs/guide.md",
        "docs/other.md:5:66: #locl — no heading #locl in docs/other.md (did you mean #local?)",
      ]
    `);
    expect(result.broken.every((b) => b.kind === "anchor")).toBe(true);
  });

  it("suggests a longer heading that starts with the fragment (a heading that grew words)", async () => {
    const result = await check({ "a.md": "# Install on Linux\n\n[x](#install)\n" });
    expect(result.broken.map((b) => b.reason)).toEqual(["no heading #install in a.md (did you mean #install-on-linux?)"]);
  });

  it("reads a markdown file outside `paths` for its anchors only", async () => {
    const root = tree({
      "README.md": "# Readme\n\n## Install\n\n[not checked](nope.md)\n",
      "docs/a.md": "[ok](../README.md#install) [bad](../README.md#uninstall)\n",
    });
    const result = await checkDocsLinks({ root, paths: ["docs"] });
    expect(result.files).toBe(1);
    expect(lines(result.broken)).toEqual(["docs/a.md:1:34: ../README.md#uninstall — no heading #uninstall in README.md (did you mean #install?)"]);
  });
});

describe("checkDocsLinks: what is not a link", () => {
  it("ignores code fences, indented code, inline code, HTML comments and front matter; footnotes are not links", async () => {
    const result = await check({
      "a.md": [
        "---",
        "title: '[x](front-matter.md)'",
        "---",
        "# A",
        "",
        "```md",
        "[fenced](nope-1.md)",
        "```",
        "",
        "~~~",
        "![img](nope-2.png)",
        "~~~",
        "",
        "    [indented](nope-3.md)",
        "",
        "Inline `[code](nope-4.md)` and ``[double `tick`](nope-5.md)``, escaped \\[not](nope-6.md).",
        "",
        "<!-- [commented](nope-7.md) <a href=\"nope-8.md\">x</a> -->",
        "",
        "A footnote[^1] and [^note].",
        "",
        "[^1]: See.",
        "[^note]: Elsewhere.",
        "",
        "[real](missing.md)",
        "",
      ].join("\n"),
    });
    expect(lines(result.broken)).toEqual(["a.md:25:8: missing.md — no such file: missing.md"]);
    expect(result.links).toBe(1);
  });

  it("resolves reference links (reported where they are used) and reference images", async () => {
    const result = await check({
      "ok.md": "# Ok\n",
      "a.md": [
        "Use [the ref][ref], [Collapsed][], [shortcut] and ![logo][img].",
        "And [broken one][bad] then [undefined][nowhere] which is just text.",
        "",
        "[ref]: ok.md#ok",
        "[collapsed]: ok.md",
        "[shortcut]: <ok.md> \"title\"",
        "[img]: logo.png",
        "[bad]: gone.md",
        "[unused]: also-gone.md",
        "",
      ].join("\n"),
    });
    expect(result.links).toBe(5);
    expect(result.broken.map((b) => [b.line, b.column, b.target, b.reason])).toMatchInlineSnapshot(`
      [
        [
          1,
          undefined,
          "logo.png",
          "no such file: logo.png",
        ],
        [
          2,
          undefined,
          "gone.md",
          "no such file: gone.md",
        ],
      ]
    `);
  });

  it("lists external links and autolinks without fetching them", async () => {
    let requests = 0;
    const server = createServer((_req, res) => {
      requests++;
      res.end();
    });
    const url = await listen(server);
    try {
      const result = await check({
        "a.md": `[site](${url}/page) <${url}/auto> and bare ${url}/bare.\n\n[mail](mailto:someone@example.com) [proto](//example.com/x) <a href="${url}/html">h</a>\n`,
      });
      expect(result.broken).toEqual([]);
      expect(result.external.map((e) => [e.line, e.url.replace(url, "URL")])).toEqual([
        [1, "URL/page"],
        [1, "URL/auto"],
        [1, "URL/bare"],
        [3, "mailto:someone@example.com"],
        [3, "https://example.com/x"],
        [3, "URL/html"],
      ]);
      expect(result.links).toBe(6);
      expect(requests).toBe(0);
    } finally {
      server.close();
    }
  });

  it("reports a file with no links as read, with nothing broken", async () => {
    const result = await check({ "a.md": "# Just text\n\nNo links here: not [even] this, nor `[code](x.md)`.\n" });
    expect(result).toEqual({ files: 1, links: 0, broken: [], external: [], unchecked: [], diagnostics: [] });
  });
});

describe("checkDocsLinks: positions", () => {
  it("gives the line inside multi-line paragraphs, lists, quotes and tables, and a column per link", async () => {
    const result = await check({
      "a.md": [
        "# A", // 1
        "", // 2
        "First line of a paragraph", // 3
        "continues [here](x1.md) and", // 4
        "ends [there](x2.md) [again](x2.md).", // 5
        "", // 6
        "- item", // 7
        "  - nested [n](x3.md)", // 8
        "", // 9
        "> quoted", // 10
        "> [q](x4.md)", // 11
        "", // 12
        "| a | b |", // 13
        "|---|---|", // 14
        "| 1 | [t](x5.md) |", // 15
        "", // 16
      ].join("\n"),
    });
    expect(result.broken.map((b) => `${b.line}:${b.column}:${b.target}`)).toEqual(["4:18:x1.md", "5:14:x2.md", "5:29:x2.md", "8:16:x3.md", "11:7:x4.md", "15:11:x5.md"]);
  });
});

describe("checkDocsLinks: diagnostics and errors", () => {
  it("reports a file that disappears before it is read as a diagnostic and goes on", async () => {
    const root = tree({ "a.md": "[b](b.md#x)\n", "b.md": "# B\n", "c.md": "[gone](nope.md)\n" });
    const result = await checkDocsLinks({
      root,
      onProgress: (done) => {
        if (done === 1) rmSync(join(root, "b.md"));
      },
    });
    expect(result.diagnostics).toEqual([
      { level: "warning", code: "docs.unreadable", message: "b.md: cannot be read (ENOENT); its links and anchors were not checked", file: "b.md" },
    ]);
    expect(lines(result.broken)).toEqual(["c.md:1:8: nope.md — no such file: nope.md"]);
  });

  it.skipIf(process.getuid?.() === 0)("reports an unreadable file (no permission) as a diagnostic", async () => {
    const root = tree({ "a.md": "[b](b.md#anything)\n", "b.md": "# B\n" });
    chmodSync(join(root, "b.md"), 0o000);
    const result = await checkDocsLinks({ root });
    expect(result.diagnostics.map((d) => d.code)).toEqual(["docs.unreadable"]);
    expect(result.broken).toEqual([]);
  });

  it("never throws on odd content", async () => {
    const result = await check({
      "bin.md": "\u0000\u0001\uFFFD[x](\u0000.md) <a href=\"\"></a> [](<>) [e]() ![]() <img src=",
      "bom.md": "\uFEFF# Title\n\n[t](#title)\n",
      "crlf.md": "# Title\r\n\r\n[t](#title)\r\n[m](missing.md)\r\n",
    });
    expect(lines(result.broken)).toEqual(["bin.md:1: \uFFFD.md — no such file: \uFFFD.md", "crlf.md:4:5: missing.md — no such file: missing.md"]);
  });

  it("throws a USAGE error for a path that does not exist or a root that is not a directory", async () => {
    const root = tree({ "a.md": "# A\n" });
    const error = await checkDocsLinks({ root, paths: ["nope"] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("USAGE");
    expect((error as ShipgateError).message).toBe(`[docs] nope: no such file or directory (paths are relative to ${root})`);
    const notDir = await checkDocsLinks({ root: join(root, "a.md") }).catch((e: unknown) => e);
    expect((notDir as ShipgateError).code).toBe("USAGE");
  });

  it("checks a file named in `paths` whatever its extension, once even when named twice", async () => {
    const root = tree({ "notes.txt": "[x](nope.md)\n", "a.md": "[y](nope.md)\n" });
    const result = await checkDocsLinks({ root, paths: ["notes.txt", ".", "a.md"] });
    expect(result.files).toBe(2);
    expect(result.broken.map((b) => b.file)).toEqual(["a.md", "notes.txt"]);
  });

  it("calls onProgress once per file with the total", async () => {
    const calls: [number, number][] = [];
    await check({ "a.md": "", "b.md": "", "c.md": "" }, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls).toEqual([[1, 3], [2, 3], [3, 3]]);
  });
});

describe("checkDocsLinks: online", () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (req.url === "/slow") return; // never answers: the client's timeout must end it
      if (req.url === "/missing") res.statusCode = 404;
      if (req.url === "/no-head" && req.method === "HEAD") res.statusCode = 405;
      if (req.url === "/limited") res.statusCode = 429;
      if (req.url === "/redirect") {
        res.statusCode = 301;
        res.setHeader("location", "/ok");
      }
      res.end(req.method === "GET" ? "body" : undefined);
    });
    base = await listen(server);
  });

  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("fetches each distinct URL once and reports HTTP errors and timeouts as broken", async () => {
    const progress: [number, number][] = [];
    const closed = createServer();
    const refused = await listen(closed);
    closed.close();
    const result = await check(
      {
        "a.md": [
          `[ok](${base}/ok) [ok again](${base}/ok#frag) [missing](${base}/missing)`,
          `[slow](${base}/slow) [no head](${base}/no-head) [limited](${base}/limited) [moved](${base}/redirect)`,
          `[refused](${refused}/) [mail](mailto:x@example.com) [local](missing.md)`,
          "",
        ].join("\n"),
      },
      { online: true, timeoutMs: 300, concurrency: 3, onProgress: (d, t) => progress.push([d, t]) },
    );
    // Columns depend on the port's digits, so they are left out here.
    expect(result.broken.map((b) => `${b.line}: ${b.target.replace(base, "URL").replace(refused, "CLOSED")} — ${b.reason}`)).toEqual([
      "1: URL/missing — HTTP 404",
      "2: URL/slow — timed out after 300 ms",
      "3: CLOSED/ — connection refused (ECONNREFUSED)",
      "3: missing.md — no such file: missing.md",
    ]);
    expect(result.broken.map((b) => b.kind)).toEqual(["external", "external", "external", "file"]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["docs.rate-limited"]);
    expect(seen.filter((s) => s.endsWith("/ok"))).toEqual(["HEAD /ok", "HEAD /ok"]); // once, then once more after the redirect
    expect(seen.filter((s) => s.includes("/no-head"))).toEqual(["HEAD /no-head", "GET /no-head"]);
    expect(progress.at(-1)).toEqual([8, 8]); // 1 file + 7 distinct http(s) URLs
  });
});

describe("checkDocsLinks on a generated docs tree", () => {
  it("finds exactly the broken links computed independently from the generated files", async () => {
    const root = mkdtempSync(join(tmpdir(), "shipgate-docs-gen-"));
    dirs.push(root);
    execFileSync(process.execPath, [GEN, "markdown", root, "300"]);
    const expected = expectedBroken(root);
    const result = await checkDocsLinks({ root });
    expect(result.files).toBe(301);
    expect(result.diagnostics).toEqual([]);
    expect(result.broken.map((b) => `${b.file}:${b.line}: ${b.target}`).sort()).toEqual(expected.map((e) => `${e.file}:${e.line}: ${e.target}`).sort());
    // What the generator plants on purpose (~1% missing files, ~0.5% bad anchors) is all there…
    const planted = expected.filter((e) => /missing-\d+-\d+\.md$|#no-such-anchor$/.test(e.target));
    expect(planted.length).toBeGreaterThan(20);
    // …and the rest are links to "#section-K-of-page-N" on a page with fewer than K + 1 sections, which the
    // generator writes without knowing how many sections the target page has.
    expect(expected.filter((e) => !planted.includes(e)).every((e) => /#section-\d+-of-page-\d+$/.test(e.target))).toBe(true);
    expect(result.external.length).toBeGreaterThan(0);
  });
});

describe("scanMarkdown", () => {
  // Outside headings, links are read with a lean inline parser (no emphasis, strikethrough or entities,
  // a text rule that stops only where a link can start): it must find what markdown-it's full parser finds.
  it.each([
    "*[a](b.md)* **[a*](c.md)** [a **b**](d.md) _x [y](e.md)_ ***[x](f.md)*** *a [b*](g.md) [*a*](em.md)",
    "~~[s](s.md)~~ [a](<b c.md>) [a\\]b](c2.md) [![img](i.png)](l.md) [a](b.md \"title *x*\") [a]( sp.md ) [a](q.md 'tt')",
    "&#91;x&#93;(y.md) \\[x](esc.md) [link [nested](n.md)](outer.md) [a](b1.md)[c](d1.md) [a](b&amp;c.md) [a](%7e.md)",
    "`a` [b](code-after.md) ``[x](in-code.md)`` `unclosed [c](after-unclosed.md)",
    "<http://auto.link/x> <mailto:a@b.c> https://bare.example/x?y=1. <span>[in](span.md)</span> <a href=\"h.md\">x</a>",
    "line one [a](l1.md)\nline two\\\n[b](l3.md) and  \n[c](l4.md)",
    "[ref] [Ref][] [x][ref] ![i][ref] [nope][missing]\n\n[ref]: r.md",
    "| a | [t](t.md) |\n|---|---|\n| `[c](c.md)` | [u](u.md) |",
    "* list [a](la.md)\n  > quote [b](qb.md)\n\n1. [c](lc.md)",
    "[a](b.md) text: with colons: and [c](d.md) 12:30 x:y",
    "x https://a.b/c*, (http://p.q/r) `https://in.code/x` [https://in.label/x](l.md) ahttps://glued.x/y git+ssh://h.i/j",
    "[a](my%20file.md) [b](<my file.md>) [c](caf%C3%A9.md) [d](café.md) [e](100%.md) [f](a&amp;b.md) [g](a\\_b.md)",
  ])("finds the same links as markdown-it's full parser in %j", (source) => {
    const full = new MarkdownIt({ html: true, linkify: true });
    // As in markdown-links.ts: no core linkify (markdown-it 14 would turn "y.md" into http://y.md; GitHub does not).
    full.core.ruler.disable("linkify");
    full.normalizeLink = (url) => url; // scanMarkdown keeps destinations as written
    const expected: string[] = [];
    const walk = (tokens: ReturnType<typeof full.parse>) => {
      for (const t of tokens) {
        if (t.type === "link_open" && !(t.markup === "linkify" && String(t.attrGet("href")).startsWith("mailto:"))) expected.push(String(t.attrGet("href")));
        if (t.type === "image") expected.push(String(t.attrGet("src")));
        if (t.children) walk(t.children);
      }
    };
    walk(full.parse(source, {}));
    const found = scanMarkdown(source).links.map((l) => l.href);
    expect(found.filter((href) => href !== "h.md")).toEqual(expected);
  });
});

describe("joinRelative", () => {
  it.each([
    ["/r/docs", "a.md"],
    ["/r/docs", "./a.md"],
    ["/r/docs", "../a.md"],
    ["/r/docs/x", "../../a/b.md"],
    ["/r", "../../../a.md"],
    ["/", "../a.md"],
    ["/r/docs", "a/../b.md"],
    ["/r/docs", "a/./b.md"],
    ["/r/docs", "a//b.md"],
    ["/r/docs", ".."],
    ["/r/docs", "."],
    ["/r/docs", "../"],
    ["/r/docs", "sub/"],
    ["/r/docs", ".github/x.md"],
    ["/r/docs", "..foo.md"],
    ["/r/docs", "./"],
  ])("joinRelative(%s, %s) is resolve()", (dir, path) => {
    expect(joinRelative(dir, path)).toBe(resolve(dir, path));
  });
});

describe("joinKey", () => {
  // The root is /r; a folder "" is the root itself. Undefined means "resolve it in full", never a wrong path.
  it.each([
    ["docs", "a.md"],
    ["docs", "./a.md"],
    ["docs", "../a.md"],
    ["docs/x", "../../a/b.md"],
    ["docs/x", "../../../a.md"],
    ["", "a.md"],
    ["", "../a.md"],
    ["", "./x/../a.md"],
    ["docs", "a/../b.md"],
    ["docs", "a/./b.md"],
    ["docs", "a//b.md"],
    ["docs", ".."],
    ["docs", "."],
    ["docs", "../"],
    ["docs", "sub/"],
    ["docs", ".github/x.md"],
    ["docs", "..foo.md"],
    ["docs", "./"],
  ])("joinKey(%s, %s) is the path from root of resolve(), or undefined", (dir, path) => {
    const abs = resolve("/r", dir, path);
    const key = joinKey(dir, path);
    if (key !== undefined) expect(key).toBe(abs.slice("/r/".length));
    if (!abs.startsWith("/r/")) expect(key).toBeUndefined();
  });
});

function listen(server: Server): Promise<string> {
  return new Promise((done) => {
    server.listen(0, "127.0.0.1", () => done(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
}

/**
 * The broken links of a generated tree, found without shipgate: the generator writes one link per
 * "Text about" line (plus a link inside a backtick span, fenced links and external links, all of
 * which do not count); a target must exist, and its #fragment must be the slug of one of its headings.
 */
function expectedBroken(root: string): { file: string; line: number; target: string }[] {
  const headings = new Map<string, Set<string>>();
  const headingsOf = (path: string) => {
    let set = headings.get(path);
    if (!set) {
      set = new Set(readFileSync(path, "utf8").split("\n").filter((l) => /^#+ /.test(l)).map((l) => l.replace(/^#+ /, "").toLowerCase().replaceAll(" ", "-")));
      headings.set(path, set);
    }
    return set;
  };
  const out: { file: string; line: number; target: string }[] = [];
  const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md"));
  for (const file of files) {
    let inFence = false;
    readFileSync(join(root, file), "utf8").split("\n").forEach((text, i) => {
      if (text.startsWith("```")) inFence = !inFence;
      if (inFence) return;
      for (const m of text.replace(/`[^`]*`/g, "").matchAll(/\]\(([^)]+)\)/g)) {
        const target = m[1] as string;
        if (/^https?:/.test(target)) continue;
        const [path = "", fragment] = target.split("#");
        const abs = join(root, posix.dirname(file), path);
        if (!existsSync(abs) || (fragment !== undefined && !headingsOf(abs).has(fragment))) out.push({ file, line: i + 1, target });
      }
    });
  }
  return out;
}

describe("checkDocsLinks in worker threads", () => {
  it("finds exactly what the single-threaded check finds (built code)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-docs-workers-"));
    // 120 pages in 6 folders linking to each other, to headings, to missing pages and anchors.
    for (let i = 0; i < 120; i++) {
      const target = (n: number) => `../d${n % 6}/p${n}.md`;
      const body = [`# Page ${i}`, "", `## Part ${i % 3}`, "", `[next](${target(i + 1)}) [part](${target(i + 7)}#part-${(i + 7) % 3})`];
      if (i % 10 === 0) body.push(`[gone](${target(i)}-missing.md) [bad anchor](${target(i + 2)}#no-such) [issues](../../issues/new)`);
      mkdirSync(join(dir, `d${i % 6}`), { recursive: true });
      writeFileSync(join(dir, `d${i % 6}`, `p${i}.md`), body.join("\n"));
    }
    // Workers run dist/facts/scan-worker.js, so this uses the build made by the global setup.
    const built = (await import(new URL("../../dist/facts/docs-links.js", import.meta.url).href)) as { checkDocsLinks: typeof checkDocsLinks };
    const inline = await built.checkDocsLinks({ root: dir, workers: 0 });
    const parallel = await built.checkDocsLinks({ root: dir, workers: 2 });
    // 12 pages × (missing page + missing anchor), plus 8 links past the last page (p120–p126).
    expect(inline.broken.length).toBe(32);
    expect(inline.unchecked.length).toBe(12);
    expect(parallel).toEqual(inline);
  });
});
