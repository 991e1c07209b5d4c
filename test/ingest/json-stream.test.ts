import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { ParseError, ShipgateError } from "../../src/errors.js";
import { classifyJsonReport, HEAD_BYTES, isRuffJsonHead, MAX_JSON_DEPTH, readJsonStream, sniffJson } from "../../src/ingest/json-stream.js";
import type { JsonEntry, JsonStreamOptions } from "../../src/ingest/json-stream.js";
import type { Diagnostic } from "../../src/ingest/types.js";

const fixtures = new URL("../fixtures/ingest/", import.meta.url);
const fixture = (path: string) => new URL(path, fixtures).pathname;

/** Splits `data` into chunks of `size` bytes, to exercise every split position (multi-byte characters included). */
const chunked = (data: string | Buffer, size: number): Readable => {
  const bytes = typeof data === "string" ? Buffer.from(data) : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
};

async function read(stream: Readable, options: Partial<JsonStreamOptions> = {}) {
  const entries: JsonEntry[] = [];
  const diagnostics: Diagnostic[] = await readJsonStream(stream, { file: "t.json" }, {
    paths: ["$.*"],
    hint: "expected a test document",
    onEntry: (entry) => entries.push(entry),
    ...options,
  });
  return { entries, diagnostics };
}

const failure = async (result: Promise<unknown>): Promise<string> => {
  const error: unknown = await result.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParseError);
  return (error as ParseError).message;
};

describe("readJsonStream", () => {
  it("hands out each value matching the paths, with its path and the line where it starts", async () => {
    const name = "coveragepy/coveragepy-6.5-basic.json";
    const lines = readFileSync(fixture(name), "utf8").split("\n");
    const { entries } = await read(createReadStream(fixture(name)), { paths: ["$.meta", "$.files.*", "$.totals"] });
    expect(entries.map(({ path, line }) => ({ path, line }))).toEqual(
      [["meta"], ["files", "pkg/__init__.py"], ["files", "pkg/constants.py"], ["files", "pkg/mathx.py"], ["files", "pkg/strings.py"], ["totals"]].map(
        (path) => ({ path, line: lines.findIndex((text) => text.trimStart().startsWith(`${JSON.stringify(path.at(-1))}: {`)) + 1 }),
      ),
    );
    expect(entries[0]?.value).toMatchObject({ version: "6.5.0", branch_coverage: false });
  });

  it.each([1, 2, 3, 7, 4096, 1 << 20])("gives the same entries and lines whatever the chunk size (%i bytes)", async (size) => {
    const doc = '{"total": {"n": 1},\n "src/café/ü.ts": {"lines": [1, 2.5e3, -0]},\n\n "\\u00e9\\n": "x", "last": null}\n';
    const { entries, diagnostics } = await read(chunked(doc, size));
    expect(diagnostics).toEqual([]);
    expect(entries).toEqual([
      { path: ["total"], value: { n: 1 }, line: 1 },
      { path: ["src/café/ü.ts"], value: { lines: [1, 2500, -0] }, line: 2 },
      { path: ["é\n"], value: "x", line: 4 },
      { path: ["last"], value: null, line: 4 },
    ]);
  });

  it("takes string chunks as well as bytes", async () => {
    const { entries } = await read(Readable.from(['{"a": ', '1, "b": "é"}']));
    expect(entries.map((entry) => entry.value)).toEqual([1, "é"]);
  });

  it("hands out an entry before the rest of the file has arrived", async () => {
    let firstSeen = false;
    let firstSeenEarly = false;
    async function* slowReport() {
      yield Buffer.from('{"a": {"x": 1},'.padEnd(HEAD_BYTES + 100));
      for (let i = 0; i < 50 && !firstSeen; i++) await sleep(10);
      firstSeenEarly = firstSeen;
      yield Buffer.from('"b": 2}');
    }
    await read(Readable.from(slowReport()), {
      onEntry: () => {
        firstSeen = true;
      },
    });
    expect(firstSeenEarly).toBe(true);
  });

  it("shows onHead the first bytes once, before any entry, however small the chunks", async () => {
    const doc = `{${Array.from({ length: 400 }, (_, i) => `"k${i}": ${i}`).join(", ")}}`;
    const calls: string[] = [];
    await read(chunked(doc, 5), {
      onHead: (head) => calls.push(`head ${head.length} ${head.subarray(0, 8).toString()}`),
      onEntry: (entry) => void calls.push(String(entry.path[0])),
    });
    expect(calls.slice(0, 2)).toEqual([`head ${HEAD_BYTES} {"k0": 0`, "k0"]);
    expect(calls).toHaveLength(401);
  });

  it("stops reading at a ParseError thrown by onEntry and rejects with it unchanged", async () => {
    const stream = chunked(`{"a": 1, "b": 2, "c": 3}${" ".repeat(HEAD_BYTES)}`, 16);
    const refusal = new ParseError("t.json", 1, "not wanted");
    const error = await read(stream, {
      onEntry: () => {
        throw refusal;
      },
    }).catch((reason: unknown) => reason);
    expect(error).toBe(refusal);
    expect(stream.destroyed).toBe(true);
  });

  it("passes a bug in onEntry through as it is, not as invalid JSON", async () => {
    const bug = new TypeError("cannot read properties of undefined");
    const error = await read(chunked('{"a": 1}', 4), {
      onEntry: () => {
        throw bug;
      },
    }).catch((reason: unknown) => reason);
    expect(error).toBe(bug);
  });

  it("rejects a break after some entries, naming the line", async () => {
    expect(await failure(read(chunked('{\n  "a": 1,\n  "b": tru,\n  "c": 3\n}', 3)))).toMatchInlineSnapshot(`"[ingest] t.json:3: not valid JSON: unexpected "," at column 11"`);
  });

  it("warns about, and ignores, data after the end of the document", async () => {
    const { entries, diagnostics } = await read(Readable.from(['{"a": 1}\n', "\n{\"b\": 2}\n"]));
    expect(entries.map((entry) => entry.path[0])).toEqual(["a"]);
    expect(diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "json.trailing-data",
          "file": "t.json",
          "level": "warning",
          "line": 3,
          "message": "ignored data after the end of the JSON document",
        },
      ]
    `);
  });

  describe("rejects with a ParseError naming the file and line", () => {
    const fails = (data: string | Buffer, size = 1 << 20) => failure(read(chunked(data, size)));

    it("an empty file", async () => {
      expect(await fails("")).toMatchInlineSnapshot(`"[ingest] t.json: the file is empty"`);
    });
    it("whitespace only", async () => {
      expect(await fails("\n\n  \n")).toMatchInlineSnapshot(`"[ingest] t.json:4: the file holds no JSON value"`);
    });
    it("a top-level array", async () => {
      expect(await fails('\n[{"filePath": "a.js"}]')).toMatchInlineSnapshot(`"[ingest] t.json:2: the top-level JSON value is an array, not an object"`);
    });
    it("a top-level number", async () => {
      expect(await fails("42")).toMatchInlineSnapshot(`"[ingest] t.json:1: the top-level JSON value is a number, not an object"`);
    });
    it("binary garbage", async () => {
      expect(await fails(Buffer.from([0x7b, 0x0a, 0xff, 0xfe, 0x00]))).toMatchInlineSnapshot(`"[ingest] t.json:2: not valid JSON: unexpected byte 0xff at column 1"`);
    });
    it("a bad byte deep in the file, split across chunks", async () => {
      expect(await fails('{\n  "a": {\n    "x": [1, 2, @]\n  }\n}', 2)).toMatchInlineSnapshot(`"[ingest] t.json:3: not valid JSON: unexpected "@" at column 17"`);
    });
    it("bytes that are not UTF-8 inside a string", async () => {
      expect(await fails(Buffer.concat([Buffer.from('{\n  "a'), Buffer.from([0xff, 0xfe]), Buffer.from('": 1\n}')]))).toMatchInlineSnapshot(`"[ingest] t.json: not valid JSON text after line 1 (The encoded data was not valid for encoding utf-8)"`);
    });
    it("a bad structure (a missing colon)", async () => {
      expect(await fails('{\n  "a"  1\n}')).toMatchInlineSnapshot(`"[ingest] t.json:2: not valid JSON: unexpected 1 at column 8"`);
    });
    it("a file cut before the first entry is complete", async () => {
      expect(await fails('{\n  "a": {\n    "x": [1, 2')).toMatchInlineSnapshot(`"[ingest] t.json:3: the file ends before the JSON document does (truncated?)"`);
    });
  });

  describe('with root: "array"', () => {
    it("hands out each element of a top-level array with its index and the line where it starts", async () => {
      const doc = '[\n  {"filePath": "a.js", "messages": []},\n  {"filePath": "é.js",\n   "messages": [1]}, 3\n]\n';
      for (const size of [1, 3, 1 << 20]) {
        const { entries, diagnostics } = await read(chunked(doc, size), { root: "array" });
        expect(diagnostics).toEqual([]);
        expect(entries).toEqual([
          { path: [0], value: { filePath: "a.js", messages: [] }, line: 2 },
          { path: [1], value: { filePath: "é.js", messages: [1] }, line: 3 },
          { path: [2], value: 3, line: 4 },
        ]);
      }
    });

    it("hands out nothing for an empty array", async () => {
      expect(await read(chunked("[]", 1), { root: "array" })).toEqual({ entries: [], diagnostics: [] });
    });

    it("rejects a top-level object", async () => {
      expect(await failure(read(chunked('\n{"runs": []}', 4), { root: "array" }))).toMatchInlineSnapshot(`"[ingest] t.json:2: the top-level JSON value is an object, not an array"`);
    });

    it("rejects an array cut before its first element is complete", async () => {
      expect(await failure(read(chunked('[\n  {"filePath": "a.js",\n   "messages": [', 5), { root: "array" }))).toMatchInlineSnapshot(`"[ingest] t.json:3: the file ends before the JSON document does (truncated?)"`);
    });
  });

  it("refuses nesting deeper than MAX_JSON_DEPTH with file:line (200 000 levels were quadratic: 61 s)", async () => {
    const deep = `{"a":\n${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)},"b":${"[".repeat(200_000)}`;
    expect(await failure(read(chunked(deep, 4096)))).toBe(`[ingest] t.json:2: arrays and objects nest deeper than ${MAX_JSON_DEPTH} levels: no report does; shipgate refuses the file`);
  });

  it("reads nesting up to MAX_JSON_DEPTH", async () => {
    const depth = MAX_JSON_DEPTH - 1;
    const { entries } = await read(Readable.from([`{"a":${"[".repeat(depth)}1${"]".repeat(depth)}}`]));
    expect(entries).toHaveLength(1);
  });

  it("turns a read error into REPORT_NOT_FOUND", async () => {
    const error = await read(createReadStream(fixture("no-such-dir/missing.json"))).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("REPORT_NOT_FOUND");
  });
});

describe("classifyJsonReport", () => {
  const kinds: Record<string, string | undefined> = {
    "istanbul-summary": "istanbul-summary",
    "istanbul-final": "istanbul-final",
    coveragepy: "coveragepy",
  };
  const exceptions: Record<string, string | undefined> = {
    // What c8 and vitest write for no files is `{}`: only the name coverage-final.json tells it apart.
    "istanbul-final/c8-12.0-empty.json": undefined,
    "istanbul-final/vitest-v8-4.1-empty.json": undefined,
    "istanbul-summary/eslint-10.15-not-coverage.json": "eslint",
    "istanbul-summary/eslint-sarif-3.1-not-coverage.json": "sarif",
  };
  const files = Object.keys(kinds).flatMap((folder) =>
    readdirSync(fixture(folder))
      .filter((name) => name.endsWith(".json") && name !== "EXPECTED.json")
      .map((name) => `${folder}/${name}`),
  );

  it("has an EXPECTED.json entry saying how each fixture was made", () => {
    for (const folder of Object.keys(kinds)) {
      const expected = JSON.parse(readFileSync(fixture(`${folder}/EXPECTED.json`), "utf8")) as Record<string, { command?: string }>;
      const names = files.filter((file) => file.startsWith(`${folder}/`)).map((file) => file.slice(folder.length + 1, -".json".length));
      expect(Object.keys(expected).sort(), folder).toEqual(names.sort());
      for (const name of names) expect(expected[name]?.command, name).toBeTruthy();
    }
  });

  it.each(files)("knows %s from its first 4 KB", (file) => {
    const head = readFileSync(fixture(file)).subarray(0, HEAD_BYTES);
    const expected = file in exceptions ? exceptions[file] : kinds[file.split("/")[0] ?? ""];
    expect(classifyJsonReport(head, file)).toBe(expected);
  });

  describe.each([
    ["eslint", "eslint"],
    ["sarif", "sarif"],
    ["ruff", undefined],
    ["tsc", undefined],
    ["mypy", undefined],
  ])("the static-analysis fixtures of %s", (folder, kind) => {
    const names = readdirSync(fixture(folder)).filter((name) => name !== "EXPECTED.json");
    it.each(names)(`classifies %s as ${String(kind)}`, (name) => {
      const head = readFileSync(fixture(`${folder}/${name}`)).subarray(0, HEAD_BYTES);
      expect(classifyJsonReport(head, name)).toBe(kind);
      expect(isRuffJsonHead(head, name)).toBe(folder === "ruff");
    });
  });

  it.each([
    ["SARIF with $schema first and version after the runs (ruff, semgrep)", `{"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [`, "a.json", "sarif"],
    ["SARIF with version and no $schema", '{"version": "2.1.0", "runs": [{"tool": {', "a.json", "sarif"],
    ["SARIF 1.0 (refused by the parser, with a message that says so)", '{"version": "1.0.0", "runs": [', "a.json", "sarif"],
    ["an object with runs and a version that is no SARIF version", '{"version": 3, "runs": [], "name": "bench"}', "bench.json", undefined],
    ["an object with runs and a $schema of something else", '{"$schema": "https://example.com/bench.json", "runs": []}', "bench.json", undefined],
    ["`[]` named eslint.json", "[]\n", "out/eslint.json", "eslint"],
    ["`[]` named ruff.json (ruff's, see isRuffJsonHead)", "[]\n", "out/ruff.json", undefined],
    ["`[]` of any other name", "[]\n", "out/report.json", undefined],
  ])("%s", (_, head, path, expected) => {
    expect(classifyJsonReport(Buffer.from(head), path)).toBe(expected);
  });

  it.each([
    ["an empty object named coverage-final.json", "{}\n", "out/coverage-final.json", "istanbul-final"],
    ["coverage.py's meta first, named coverage.json, files beyond the head", '{"meta": {"format": 3, "version": "7.6.1"', "coverage.json", "coveragepy"],
    // npm audit needs the registry's audit endpoint, which is out of reach here: a head of its documented shape.
    ["npm audit JSON", '{\n  "auditReportVersion": 2,\n  "vulnerabilities": {', "audit.json", "npm-audit"],
    ["a package.json", '{"name": "x", "version": "1.0.0", "files": ["dist"]}', "package.json", undefined],
    ["an array of numbers", "[1, 2, 3]", "a.json", undefined],
    ["garbage", "\u0000\u0001PK\u0003\u0004", "a.json", undefined],
    ["nothing", "", "coverage-final.json", undefined],
  ])("%s", (_, head, path, expected) => {
    expect(classifyJsonReport(Buffer.from(head), path)).toBe(expected);
  });
});

describe("classifyJsonReport with a long first value", () => {
  it("recognises ESLint output whose first filePath runs past the head (a 1 MB path was 'unrecognised')", () => {
    const head = Buffer.from(`[{"filePath":"/${"p".repeat(2 * HEAD_BYTES)}`).subarray(0, HEAD_BYTES);
    expect(classifyJsonReport(head, "out.json")).toBe("eslint");
    expect(classifyJsonReport(Buffer.from('[{"filePath":"/a.js"}]'), "out.json")).toBeUndefined();
  });
});

describe("isRuffJsonHead", () => {
  it.each([
    ["ruff ≥ 0.1 output, cut in its first fix", '[\n  {\n    "cell": null,\n    "code": "F401",\n    "end_location": {"column": 10, "row": 1},\n    "filename": "/p/a.py",\n    "fix": {', "a.json", true],
    ["ruff 0.0.x output (no cell, code first)", '[{"code": "E501", "message": "Line too long", "fix": null, "location": {"row": 1, "column": 89}, "end_location": {"row": 1, "column": 100}, "filename": "a.py"', "a.json", true],
    ["`[]` named ruff.json", "[]", "reports/ruff.json", true],
    ["`[]` of another name", "[]", "reports/lint.json", false],
    ["ESLint output", '[{"filePath": "/a.js", "messages": [{"ruleId": "x", "code": 1}]', "a.json", false],
    ["a SARIF log", '{"version": "2.1.0", "runs": []}', "ruff.sarif", false],
  ])("%s", (_, head, path, expected) => {
    expect(isRuffJsonHead(Buffer.from(head), path)).toBe(expected);
  });
});

describe("sniffJson", () => {
  it("reads keys as far as a head cut mid-token reaches", () => {
    expect(sniffJson(Buffer.from('{"total": {"lines": {"total": 1}, "statem'))).toEqual({
      root: "object",
      keys: ["total"],
      childKeys: new Map([["total", ["lines"]]]),
    });
  });

  it("records the keys of an array's first element", () => {
    expect(sniffJson(Buffer.from('[{"filePath": "a", "messages": []}, {"other": 1}]'))).toEqual({
      root: "array",
      keys: [],
      childKeys: new Map([["0", ["filePath", "messages"]]]),
    });
  });
});

describe("readJsonStream with sequence: true (govulncheck's stream of objects)", () => {
  const stream = '{\n  "config": {"a": 1}\n}\n{\n  "osv": {"id": "GO-1"}\n}{"finding": {"osv": "GO-1"}}\n';

  it.each([1, 2, 7, 1000])("hands out the paths of every top-level object, with their lines, in %s-byte chunks", async (size) => {
    const { entries, diagnostics } = await read(chunked(stream, size), { sequence: true, paths: ["$.config", "$.osv", "$.finding"] });
    expect(entries.map((e) => [e.path, e.line])).toEqual([
      [["config"], 2],
      [["osv"], 5],
      [["finding"], 6],
    ]);
    expect(diagnostics).toEqual([]);
  });

  it("reads one object alone, as a document", async () => {
    const { entries } = await read(Readable.from([Buffer.from('{"config": {}}')]), { sequence: true, paths: ["$.config"] });
    expect(entries).toHaveLength(1);
  });

  it("refuses a later top-level value that is not an object, at its line", async () => {
    expect(await failure(read(chunked('{"config": {}}\n[1]\n', 3), { sequence: true, paths: ["$.config"] }))).toBe(
      "[ingest] t.json:2: the top-level JSON value is an array, not an object",
    );
  });

  it("refuses a stream cut inside its second object", async () => {
    expect(await failure(read(chunked(stream.slice(0, 40), 5), { sequence: true, paths: ["$.osv"] }))).toBe(
      "[ingest] t.json:5: the file ends before the JSON document does (truncated?)",
    );
  });

  it("without sequence, still ignores what follows the first document, with a warning", async () => {
    const { entries, diagnostics } = await read(Readable.from([Buffer.from(stream)]), { paths: ["$.config", "$.osv"] });
    expect(entries.map((e) => e.path)).toEqual([["config"]]);
    expect(diagnostics.map((d) => d.code)).toEqual(["json.trailing-data"]);
  });
});
