import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/cli/json-pieces.js";
import { prng } from "../support/generate.mjs";

const joined = (value: unknown) => [...jsonPieces(value)].join("");
/** What jsonPieces must equal: JSON.stringify with an indent of 2, nothing for what JSON leaves out. */
const expected = (value: unknown) => JSON.stringify(value, null, 2) ?? "";

/** A random JSON-like value of the given depth, with the members JSON treats specially. */
function randomValue(rand: () => number, depth: number): unknown {
  const leaves: (() => unknown)[] = [
    () => Math.floor(rand() * 1000) - 500,
    () => rand() * 1e6,
    () => ["", "a", 'quote " and \\ backslash', "line\nbreak\r\ttab", "ünïcödé ✓ 😀", "\u2028\u2029", "\ud800 lone"][Math.floor(rand() * 7)],
    () => rand() < 0.5,
    () => null,
    () => [Number.NaN, Number.POSITIVE_INFINITY, -0][Math.floor(rand() * 3)],
    () => undefined,
    () => () => 1,
    () => Symbol("s"),
    () => new Date(Math.floor(rand() * 2e12)),
  ];
  if (depth === 0 || rand() < 0.25) return (leaves[Math.floor(rand() * leaves.length)] as () => unknown)();
  const n = Math.floor(rand() * 6);
  if (rand() < 0.5) return Array.from({ length: n }, () => randomValue(rand, depth - 1));
  return Object.fromEntries(Array.from({ length: n }, (_, i) => [rand() < 0.2 ? String(i) : `k${i}${rand() < 0.2 ? ' "q"\n' : ""}`, randomValue(rand, depth - 1)]));
}

describe("jsonPieces", () => {
  it.each([
    ["an object", { a: 1, b: [1, 2, { c: "x" }], d: {} }],
    ["an empty object and array", { a: {}, b: [] }],
    ["members JSON leaves out or writes as null", { u: undefined, f: () => 1, s: Symbol("s"), arr: [undefined, () => 1, Symbol("t"), Number.NaN, -Infinity] }],
    ["an object whose every member is left out", { deep: { deeper: { u: undefined } }, top: { u: undefined } }],
    ["toJSON with its key", { when: new Date(0), custom: { toJSON: (key: string) => `key:${key}` }, list: [{ toJSON: (key: string) => ({ at: key }) }] }],
    ["boxed primitives", { n: Object(1) as unknown, s: Object("s") as unknown, b: Object(false) as unknown }],
    ["arrays at the last walked level, stringified several items at a time (their toJSON keys still the index in the array)", {
      a: {
        files: [
          ...Array.from({ length: 40 }, (_, i) => ({ name: `f${i}`, n: [i, { m: "x\ny" }] })),
          { toJSON: (key: string) => `key ${key}` },
          undefined, () => 1, new Date(0), "s", 1, null, [], {},
        ],
      },
    }],
    ["nesting below the walked levels", { a: { b: { c: { d: { e: [1, { f: "g\nh" }] } } } } }],
    ["a string", "text"],
    ["a number", 42],
    ["null", null],
    ["an array at the top", [1, [2, [3, [4, [5]]]]]],
    ["undefined", undefined],
    ["integer-like keys (JSON orders them first)", { b: 1, 2: "two", a: 3, 1: "one" }],
  ])("%s: the characters of JSON.stringify(value, null, 2)", (_name, value) => {
    expect(joined(value)).toBe(expected(value));
  });

  it("a toJSON result with a toJSON of its own, among batched items, is converted again with the key \"\" (as item by item before)", () => {
    const twice = (key: string) => ({ toJSON: (inner: string) => `outer ${key}, inner "${inner}"` });
    const value = { a: { list: [1, { toJSON: twice }, 2, 3, { toJSON: twice }] } };
    expect(joined(value)).toBe(expected({ a: { list: [1, 'outer 1, inner ""', 2, 3, 'outer 4, inner ""'] } }));
  });

  it("random values: the characters of JSON.stringify(value, null, 2)", () => {
    const rand = prng(14);
    for (let i = 0; i < 2000; i++) {
      const value = randomValue(rand, 6);
      expect(joined(value)).toBe(expected(value));
    }
  });

  it("a large value comes in pieces of about 64 K characters, together the same text", () => {
    const files = Array.from({ length: 20_000 }, (_, i) => ({ path: `src/file-${i}.ts`, lines: { covered: i, total: 2 * i }, ranges: "1-4,9,12-13" }));
    const value = { coverage: { files }, score: 1 };
    const pieces = [...jsonPieces(value)];
    expect(pieces.length).toBeGreaterThan(20);
    for (const piece of pieces.slice(0, -1)) expect(piece.length).toBeLessThan(66 * 1024);
    expect(pieces.join("")).toBe(expected(value));
  });

  it("a cycle throws as JSON.stringify does; a BigInt too", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => joined(cyclic)).toThrow(TypeError);
    expect(() => joined({ a: { b: 1n } })).toThrow(TypeError);
  });
});
