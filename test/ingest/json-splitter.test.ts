import { describe, expect, it } from "vitest";
import { MAX_JSON_DEPTH } from "../../src/ingest/json-depth.js";
import { JsonSplitter } from "../../src/ingest/json-splitter.js";
import type { SplitterHandover } from "../../src/ingest/json-splitter.js";
import type { JsonEntry } from "../../src/ingest/json-stream.js";

/** Feeds `chunks` to a splitter; the entries it handed out, and the handover if there was one. */
function split(chunks: Buffer[], paths: string[], root: "object" | "array" = "object") {
  const entries: JsonEntry[] = [];
  const splitter = new JsonSplitter({ root, paths, onEntry: (entry) => entries.push(entry) });
  let handover: SplitterHandover | undefined;
  for (const chunk of chunks) {
    handover = splitter.feed(chunk);
    if (handover !== undefined) return { entries, handover };
  }
  return { entries, handover: splitter.end() };
}

/** `text` cut at `cuts` (byte offsets). */
const cutAt = (text: string | Buffer, cuts: number[]): Buffer[] => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const bounds = [0, ...cuts, bytes.length];
  return bounds.slice(1).map((end, i) => bytes.subarray(bounds[i], end));
};

/** Every chunk of `size` bytes. */
const chunksOf = (text: string | Buffer, size: number): Buffer[] => {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return chunks;
};

// Keys and strings with what a splitter could take for structure: brackets, quotes, backslashes, escapes,
// multi-byte characters a chunk boundary can fall inside, and numbers of every spelling.
const TRICKY = [
  "{",
  '\n"a}b{": {"x": ["]", "[", "\\"", "\\\\", "\\\\\\"]"], "y": "\\u005d\\u007b"},',
  '\r\n\t"日本😀": [[1e3, -0, 1.5E+2, 0.25e-1], [], {}, [[["deep"]]]],',
  ' "esc\\"aped\\\\": {"k\\/": null, "t": true, "f": false},',
  '"": "", "n": -12.5',
  "\n}\n",
].join("");

describe("JsonSplitter", () => {
  it("hands out each top-level member with its path, its value as JSON.parse reads it and its line", () => {
    const { entries, handover } = split([Buffer.from(TRICKY)], ["$.*"]);
    expect(handover).toBeUndefined();
    const expected = JSON.parse(TRICKY) as Record<string, unknown>;
    expect(entries.map((entry) => entry.path)).toEqual(Object.keys(expected).map((key) => [key]));
    expect(entries.map((entry) => entry.value)).toEqual(Object.values(expected));
    expect(entries.map((entry) => entry.line)).toEqual([2, 3, 3, 3, 3]);
  });

  it("gives the same entries whatever byte a chunk boundary falls after", () => {
    const whole = split([Buffer.from(TRICKY)], ["$.*"]).entries;
    const length = Buffer.byteLength(TRICKY);
    for (let cut = 1; cut < length; cut++) {
      const { entries, handover } = split(cutAt(TRICKY, [cut]), ["$.*"]);
      expect(handover, `cut after byte ${cut}`).toBeUndefined();
      expect(entries, `cut after byte ${cut}`).toEqual(whole);
    }
    expect(split(chunksOf(TRICKY, 1), ["$.*"]).entries).toEqual(whole);
  });

  it("follows the containers the paths go through and skips the rest", () => {
    const sarif = JSON.stringify({
      version: "2.1.0",
      runs: [
        { tool: { driver: { name: "x]", rules: [{ id: "a" }, { id: "b" }] } }, results: [{ ruleId: "a" }, { ruleId: "}" }], properties: { results: [9] } },
        { results: [] },
        { tool: [], results: [{ ruleId: "c" }] },
      ],
    });
    const paths = ["$.version", "$.runs.*.tool.driver.name", "$.runs.*.tool.driver.rules.*", "$.runs.*.results.*"];
    for (const size of [1, 3, 1 << 16]) {
      const { entries, handover } = split(chunksOf(sarif, size), paths);
      expect(handover).toBeUndefined();
      expect(entries.map(({ path, value }) => ({ path, value }))).toEqual([
        { path: ["version"], value: "2.1.0" },
        { path: ["runs", 0, "tool", "driver", "name"], value: "x]" },
        { path: ["runs", 0, "tool", "driver", "rules", 0], value: { id: "a" } },
        { path: ["runs", 0, "tool", "driver", "rules", 1], value: { id: "b" } },
        { path: ["runs", 0, "results", 0], value: { ruleId: "a" } },
        { path: ["runs", 0, "results", 1], value: { ruleId: "}" } },
        { path: ["runs", 2, "results", 0], value: { ruleId: "c" } },
      ]);
    }
  });

  it("reads an entry larger than a chunk, and a top-level array", () => {
    const big = { path: "a.js", s: Object.fromEntries(Array.from({ length: 20000 }, (_, i) => [String(i), i % 7])) };
    const text = `[${JSON.stringify(big)}, 1, "two"]`;
    expect(text.length).toBeGreaterThan(100_000);
    const { entries, handover } = split(chunksOf(text, 4096), ["$.*"], "array");
    expect(handover).toBeUndefined();
    expect(entries.map(({ path, value }) => ({ path, value }))).toEqual([
      { path: [0], value: big },
      { path: [1], value: 1 },
      { path: [2], value: "two" },
    ]);
  });

  it("hands over on a truncated document, at every byte, holding the bytes from where the token reader starts", () => {
    const text = Buffer.from(TRICKY.trimEnd());
    for (let cut = 0; cut < text.length; cut++) {
      const { handover } = split(cutAt(text.subarray(0, cut), [Math.floor(cut / 2)]), ["$.*"]);
      expect(handover, `cut at ${cut}`).toBeDefined();
      const { start, pending } = handover as SplitterHandover;
      // The prefix and the pending bytes together are the document from the start up to the cut, as a parser sees it.
      expect(start.offset + pending.reduce((sum, piece) => sum + piece.length, 0), `cut at ${cut}`).toBe(cut);
      expect(Buffer.concat(pending).equals(text.subarray(start.offset, cut)), `cut at ${cut}`).toBe(true);
    }
  });

  it("hands over at the value that is not JSON, with a prefix standing for the document before it", () => {
    const text = '{"a": [1, 2],\n "b": {"c": [}, "d": 3}';
    const { entries, handover } = split([Buffer.from(text)], ["$.*"]);
    expect(entries.map((entry) => entry.path)).toEqual([["a"]]);
    expect(handover?.start).toEqual({ prefix: '{"b":', offset: text.indexOf("{", 5), line: 2, lineStart: text.indexOf("\n") + 1, lastTokenLine: 2 });
    expect(Buffer.concat(handover?.pending ?? []).toString()).toBe(text.slice(text.indexOf("{", 5)));
  });

  it("hands over at array elements with as many elements in the prefix, so indices stay right", () => {
    const text = '{"runs": [{"results": [{}, {}, tru]}]}';
    const { entries, handover } = split([Buffer.from(text)], ["$.runs.*.results.*"]);
    expect(entries.map((entry) => entry.path)).toEqual([
      ["runs", 0, "results", 0],
      ["runs", 0, "results", 1],
    ]);
    expect(handover?.start.prefix).toBe('{"runs":[{"results":[null,null,');
  });

  it("hands over on bytes that are not UTF-8, raw control characters and data after the document", () => {
    const bad = Buffer.concat([Buffer.from('{"a": "x'), Buffer.from([0xff]), Buffer.from('"}')]);
    expect(split([bad], ["$.*"]).handover?.start.offset).toBe(6);
    expect(split([Buffer.from('{"a": "x\ty"}')], ["$.*"]).handover?.start.offset).toBe(6);
    expect(split([Buffer.from('{"a\u0001": 1}')], ["$.*"]).handover?.start.offset).toBe(1);
    const after = split([Buffer.from('{"a": 1}\n x')], ["$.*"]);
    expect(after.entries).toHaveLength(1);
    expect(after.handover?.start).toMatchObject({ prefix: "{}", offset: 10, line: 2 });
  });

  it(`hands over when arrays and objects nest deeper than ${MAX_JSON_DEPTH}, and not before`, () => {
    const nested = (levels: number) => `{"a": ${"[".repeat(levels - 1)}${"]".repeat(levels - 1)}}`;
    expect(split([Buffer.from(nested(MAX_JSON_DEPTH))], ["$.*"]).handover).toBeUndefined();
    expect(split([Buffer.from(nested(MAX_JSON_DEPTH + 1))], ["$.*"]).handover?.start.offset).toBe(6);
  });

  it("hands over when the top-level value is not the root it expects, or is missing", () => {
    expect(split([Buffer.from("[1]")], ["$.*"]).handover?.start).toMatchObject({ prefix: "", offset: 0 });
    expect(split([Buffer.from("  \n ")], ["$.*"]).handover?.start).toMatchObject({ prefix: "", offset: 4, line: 2 });
    expect(split([Buffer.from("{}")], ["$.*"], "array").handover?.start.offset).toBe(0);
  });
});

describe("JsonSplitter: runs of entries read with one JSON.parse", () => {
  // Entries alike in their first key, as machine-written logs are, with what could pass for a run's separator
  // inside strings and nested arrays.
  const entry = (n: number): string =>
    JSON.stringify({ ruleId: `r${n}`, message: { text: n % 3 === 0 ? `a},{"ruleId":x ${n}` : `日本 ${n}` }, nested: [{ ruleId: "in" }, { ruleId: "side" }], n });
  const log = (entries: string[]): string => `{"runs":[{"tool":{"driver":{"name":"x"}},"results":[${entries.join(",")}]}],"version":"2.1.0"}`;
  const paths = ["$.runs.*.results.*", "$.version"];
  const results = Array.from({ length: 40 }, (_, n) => entry(n));

  it("hands out the same paths, values and lines as entry-by-entry reading, whatever the chunks", () => {
    const text = log(results);
    const expected = results.map((json, n) => ({ path: ["runs", 0, "results", n], value: JSON.parse(json) as unknown, line: 1 }));
    for (const size of [1, 7, 64, 1000, 1 << 20]) {
      const { entries, handover } = split(chunksOf(text, size), paths);
      expect(handover, `chunks of ${size}`).toBeUndefined();
      expect(entries.slice(0, -1), `chunks of ${size}`).toEqual(expected);
      expect(entries.at(-1)?.path).toEqual(["version"]);
    }
  });

  it("hands over at the first entry that is not JSON, not UTF-8 or too deep, as entry-by-entry reading does", () => {
    const deep = `{"ruleId":${"[".repeat(MAX_JSON_DEPTH)}${"]".repeat(MAX_JSON_DEPTH)}}`;
    for (const bad of ['{"ruleId":"r", "n": tru}', deep]) {
      const entries = [...results.slice(0, 30), bad, ...results.slice(30)];
      const text = log(entries);
      const { entries: read, handover } = split([Buffer.from(text)], paths);
      expect(read).toHaveLength(30);
      expect(handover?.start.offset).toBe(Buffer.from(text).indexOf(bad));
      expect(handover?.start.prefix).toBe(`{"runs":[{"results":[${"null,".repeat(30)}`);
    }
    const text = Buffer.from(log(results));
    const at = text.indexOf("日本 31");
    text[at] = 0xff;
    const { entries: read, handover } = split([text], paths);
    expect(read).toHaveLength(31);
    expect(handover?.start.offset).toBe(text.lastIndexOf('{"ruleId":"r31"', at));
  });

  it("reads entries on lines of their own one by one, with each one's line", () => {
    const text = log(results.map((json) => `\n${json}`));
    const { entries, handover } = split([Buffer.from(text)], paths);
    expect(handover).toBeUndefined();
    expect(entries.slice(0, -1).map((read) => read.line)).toEqual(results.map((_, n) => n + 2));
  });
});
