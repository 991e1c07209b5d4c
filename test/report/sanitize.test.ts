import { describe, expect, it } from "vitest";
import {
  boundLines,
  createWorkflowCommandGuard,
  forHtml,
  forMarkdown,
  forMarkdownCode,
  forTerminal,
  forWorkflowData,
  forWorkflowProperty,
  neutralizeWorkflowCommands,
  repositoryPath,
  stripControls,
  truncate,
} from "../../src/report/sanitize.js";

const ESC = "\u001b";

describe("stripControls", () => {
  it.each([
    ["plain text", "plain text", "plain text"],
    ["SGR colors", `${ESC}[31mred${ESC}[0m`, "red"],
    ["cursor movement and clear screen", `a${ESC}[2J${ESC}[H${ESC}[10;20Hb`, "ab"],
    ["private CSI", `${ESC}[?25lhidden cursor${ESC}[?25h`, "hidden cursor"],
    ["OSC 8 hyperlink ended by BEL", `${ESC}]8;;https://evil.example${"\u0007"}link${ESC}]8;;${"\u0007"}`, "link"],
    ["OSC title ended by ST", `${ESC}]0;fake title${ESC}\\after`, "after"],
    ["unterminated OSC stops at the line break", `${ESC}]0;title\nnext`, "\nnext"],
    ["DCS string", `${ESC}P1$r0m${ESC}\\x`, "x"],
    ["charset designation", `${ESC}(Bx`, "x"],
    ["two-character ESC sequences", `${ESC}cre${ESC}7set`, "reset"],
    ["a lone ESC at the end", `x${ESC}`, "x"],
    ["8-bit CSI", "\u009b31mred", "red"],
    ["8-bit OSC", "\u009d0;title\u009cx", "x"],
    ["other C1 controls", "a\u0080b\u0081c\u0096d", "abcd"],
    ["8-bit DCS runs to ST", "a\u0090payload\u009cb", "ab"],
    ["C0 controls: NUL, BEL, backspace, form feed, vertical tab", "a\u0000b\u0007c\bd\fe\vf", "abcdef"],
    ["DEL", "a\u007fb", "ab"],
    ["CRLF", "one\r\ntwo", "one\ntwo"],
    ["a lone CR (it overwrites the line)", "safe\rEVIL", "safe\nEVIL"],
    ["NEL, line and paragraph separators", "a\u0085b\u2028c\u2029d", "a\nb\nc\nd"],
    ["tabs and LF stay", "a\tb\nc", "a\tb\nc"],
    ["bidi overrides and isolates (Trojan Source)", "access\u202e\u2066level\u2069\u202c ok", "accesslevel ok"],
    ["bidi marks and the BOM", "\ufeffa\u200eb\u200fc\u061cd", "abcd"],
    ["a lone surrogate", "a\ud800b\udc00c", "a\ufffdb\ufffdc"],
    ["emoji and other scripts stay", "✅ 通过 😀", "✅ 通过 😀"],
  ])("%s", (_, input, expected) => {
    expect(stripControls(input)).toBe(expected);
  });

  it("is linear: a megabyte of escape introducers is read in one pass", () => {
    const hostile = `${ESC}[0;`.repeat(250_000) + `${ESC}]`.repeat(250_000);
    expect(stripControls(hostile)).toBe("");
  });
});

describe("truncate, forTerminal, boundLines", () => {
  it.each([
    ["short", 10, "short"],
    ["exactly10!", 10, "exactly10!"],
    ["eleven char", 10, "eleven ch…"],
    ["ab😀cd", 4, "ab…"],
  ])("truncate(%j, %d) is %j", (input, max, expected) => {
    expect(truncate(input, max)).toBe(expected);
  });

  it.each([
    ["name\n## ✅ Gate release: GO", "name ## ✅ Gate release: GO"],
    ["a\n\n\tb", "a b"],
    [`${ESC}[1mbold${ESC}[0m\r\nnext`, "bold next"],
  ])("forTerminal(%j) is one line", (input, expected) => {
    expect(forTerminal(input)).toBe(expected);
  });

  it("forTerminal bounds the length", () => {
    expect(forTerminal("x".repeat(10_000))).toHaveLength(500);
    expect(forTerminal("x".repeat(10_000), 20)).toBe(`${"x".repeat(19)}…`);
  });

  it("boundLines keeps the first lines, or the last ones of an output tail, and says how many it left out", () => {
    const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join("\n");
    expect(boundLines(text, { maxLines: 3 })).toBe("line 1\nline 2\nline 3\n… 27 more lines");
    expect(boundLines(text, { maxLines: 2, keep: "tail" })).toBe("… 28 more lines\nline 29\nline 30");
    expect(boundLines(`${"y".repeat(50)}\n${ESC}[31mred`, { maxLineLength: 10 })).toBe(`${"y".repeat(9)}…\nred`);
  });
});

describe("forMarkdown", () => {
  it.each([
    ["a fake heading on its own line", "name\n## ✅ Gate release: GO", "name \\#\\# ✅ Gate release: GO"],
    ["an external image", "![x](https://attacker.example/p.png)", "\\!\\[x\\](https\\://attacker.example/p.png)"],
    ["a link", "[click](https://x.example)", "\\[click\\](https\\://x.example)"],
    ["raw HTML", '<img src="x" onerror=alert(1)>', '\\<img src="x" onerror=alert(1)\\>'],
    ["an HTML comment hiding the rest", "<!-- a", "\\<\\!-- a"],
    ["a table cell break", "a | b", "a \\| b"],
    ["backticks", "`code`", "\\`code\\`"],
    ["emphasis and strike-through", "*a* _b_ ~c~", "\\*a\\* \\_b\\_ \\~c\\~"],
    ["an entity", "&#x202E;", "\\&\\#x202E;"],
    ["GitHub math", "$x$", "\\$x\\$"],
    ["a bare URL (autolink)", "see http://x.example and www.y.example", "see http\\://x.example and www\\.y.example"],
    ["a backslash", "C:\\dir", "C:\\\\dir"],
    ["ordinary text", "src/a.ts:12 expected 4 to be 5", "src/a.ts:12 expected 4 to be 5"],
  ])("escapes %s", (_, input, expected) => {
    expect(forMarkdown(input)).toBe(expected);
  });
});

describe("forMarkdownCode", () => {
  it.each([
    ["plain", {}, "`plain`"],
    ["has `one` backtick", {}, "``has `one` backtick``"],
    ["``two``", {}, "``` ``two`` ```"],
    ["a | b", { table: true }, "`a \\| b`"],
    ["a | b", {}, "`a | b`"],
    ["line\n## heading", {}, "`line ## heading`"],
    [" spaced ", {}, "`  spaced  `"],
    ["", {}, "` `"],
  ])("%j %j → %s", (input, options, expected) => {
    expect(forMarkdownCode(input, options)).toBe(expected);
  });
});

describe("forHtml", () => {
  it.each([
    ["type_errors <= 0", "type_errors &lt;= 0"],
    ['<img src="x"> & \'q\'', "&lt;img src=&quot;x&quot;&gt; &amp; &#39;q&#39;"],
    ["two\nlines</summary>", "two lines&lt;/summary&gt;"],
  ])("%j → %j", (input, expected) => {
    expect(forHtml(input)).toBe(expected);
  });
});

describe("workflow commands", () => {
  it.each([
    ["100% done", "100%25 done"],
    ["line one\nline two", "line one%0Aline two"],
    ["carriage\rreturn", "carriage%0Areturn"],
    ["::error::inside data is data", "::error::inside data is data"],
    [`${ESC}[31mred${ESC}[0m`, "red"],
  ])("data %j is %j", (input, expected) => {
    expect(forWorkflowData(input)).toBe(expected);
  });

  it.each([
    ["src/a.ts", "src/a.ts"],
    ["a,b:c%", "a%2Cb%3Ac%25"],
    ["two\nlines", "two lines"],
  ])("property %j is %j", (input, expected) => {
    expect(forWorkflowProperty(input)).toBe(expected);
  });

  it.each([
    ["::error::pwned", ": :error::pwned"],
    ["text\n::add-mask::secret\nmore", "text\n: :add-mask::secret\nmore"],
    ["   ::warning::indented", "   : :warning::indented"],
    ["\u00a0\u2003::notice::unicode spaces", "\u00a0\u2003: :notice::unicode spaces"],
    ["safe\r::error::after a CR", "safe\r: :error::after a CR"],
    ["prefix ##[add-mask]secret", "prefix ## [add-mask]secret"],
    ["mid-line :: is fine", "mid-line :: is fine"],
    ["a:b::c", "a:b::c"],
    [":single colon", ":single colon"],
  ])("neutralizes %j", (input, expected) => {
    expect(neutralizeWorkflowCommands(input)).toBe(expected);
  });

  it("catches a command split across two writes", () => {
    const guard = createWorkflowCommandGuard();
    expect([guard("ok\n  :"), guard(":error::x\n#"), guard("#[stop-commands]t\n")].join("")).toBe("ok\n  : :error::x\n## [stop-commands]t\n");
  });
});

describe("repositoryPath", () => {
  it.each([
    ["src/a.ts", "", "src/a.ts"],
    ["./src/a.ts", "", "src/a.ts"],
    ["src\\win\\a.ts", "", "src/win/a.ts"],
    ["src/a.ts", "packages/api/", "packages/api/src/a.ts"],
    ["../web/a.ts", "packages/api/", "packages/web/a.ts"],
    ["../../etc/passwd", "", null],
    ["../../../etc/passwd", "packages/api/", null],
    ["src/../../etc/passwd", "", null],
    ["/etc/passwd", "", null],
    ["/etc/passwd", "packages/api/", null],
    ["C:\\Windows\\win.ini", "", null],
    ["file:///etc/passwd", "", null],
    ["https://x.example/a.ts", "", null],
    ["src/new\nline.ts", "", null],
    [`src/${ESC}[31m.ts`, "", null],
    ["", "", null],
    [".", "", null],
  ])("%j under %j → %j", (path, prefix, expected) => {
    expect(repositoryPath(path, prefix)).toBe(expected);
  });
});
