/** A seeded generator (mulberry32): the same seed gives the same cases on every machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Syntax = "xml" | "json" | "text";

export interface Mutation {
  name: string;
  apply(input: Buffer, random: () => number, syntax: Syntax): Buffer;
}

const int = (random: () => number, below: number): number => Math.floor(random() * below);

/** A random offset of `input` just after one of `bytes` (or anywhere when there is none). */
function offsetAfter(input: Buffer, random: () => number, bytes: string): number {
  const offsets: number[] = [];
  for (let i = 0; i < input.length; i++) if (bytes.includes(String.fromCharCode(input[i] as number))) offsets.push(i + 1);
  return offsets.length === 0 ? int(random, input.length + 1) : (offsets[int(random, offsets.length)] as number);
}

const insert = (input: Buffer, at: number, piece: Buffer | string): Buffer =>
  Buffer.concat([input.subarray(0, at), typeof piece === "string" ? Buffer.from(piece) : piece, input.subarray(at)]);

/**
 * What real reports go through on their way to us: cut off, corrupted, nested deeper or run longer than
 * any tool writes, re-encoded, concatenated. Sizes stay small (a few hundred KB at most) so that a few
 * hundred cases run in seconds; the scale cases are separate tests (test/fuzz/limits.test.ts).
 */
export const MUTATIONS: readonly Mutation[] = [
  {
    name: "truncated",
    apply: (input, random) => input.subarray(0, int(random, input.length)),
  },
  {
    name: "byte flips",
    apply: (input, random) => {
      const out = Buffer.from(input);
      const flips = 1 + int(random, 8);
      for (let i = 0; i < flips && out.length > 0; i++) {
        const at = int(random, out.length);
        out[at] = (out[at] as number) ^ (1 << int(random, 8));
      }
      return out;
    },
  },
  {
    name: "deep nesting",
    apply: (input, random, syntax) => {
      const depth = 500 + int(random, 5000);
      if (syntax === "xml") {
        const name = ["testsuite", "a", "package", "class"][int(random, 4)] as string;
        return insert(input, offsetAfter(input, random, ">"), `<${name} name="n">`.repeat(depth) + `</${name}>`.repeat(depth));
      }
      if (syntax === "json") return insert(input, offsetAfter(input, random, ":[,"), "[".repeat(depth) + "]".repeat(depth) + (random() < 0.5 ? "," : ""));
      return insert(input, int(random, input.length + 1), "(".repeat(depth) + "\n" + ")".repeat(depth));
    },
  },
  {
    name: "long value",
    apply: (input, random, syntax) => {
      const length = 10_000 + int(random, 200_000);
      const filler = ["a", " ", "/", "\\", "&amp;", ":", "<", "\"", "'", "\r\n", "-"][int(random, 11)] as string;
      const value = filler.repeat(Math.ceil(length / filler.length));
      if (syntax === "xml") return insert(input, offsetAfter(input, random, "\""), value.replace(/[<"]/g, "x"));
      if (syntax === "json") return insert(input, offsetAfter(input, random, "\""), value.replace(/["\\]/g, "x").replace(/\r\n/g, "  "));
      return insert(input, offsetAfter(input, random, ":\n"), value);
    },
  },
  {
    name: "stray quote",
    apply: (input, random) => insert(input, offsetAfter(input, random, " =<"), ["\"", "'", "=\"", "\"/>"][int(random, 4)] as string),
  },
  {
    name: "invalid UTF-8",
    apply: (input, random) => {
      const bad = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xe2, 0x82]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80, 0x80])];
      let out = input;
      for (let i = 1 + int(random, 4); i > 0; i--) out = insert(out, int(random, out.length + 1), bad[int(random, bad.length)] as Buffer);
      return out;
    },
  },
  {
    name: "BOM",
    apply: (input, random) => {
      const boms = [Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff]), Buffer.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf])];
      return Buffer.concat([boms[int(random, boms.length)] as Buffer, input]);
    },
  },
  {
    name: "repeated chunk",
    apply: (input, random) => {
      const start = int(random, input.length);
      const end = Math.min(input.length, start + 1 + int(random, 2000));
      const times = 2 + int(random, 200);
      return insert(input, end, Buffer.concat(Array.from({ length: times }, () => input.subarray(start, end))));
    },
  },
  {
    name: "whole file repeated",
    apply: (input, random) => Buffer.concat(Array.from({ length: 2 + int(random, 3) }, () => input)),
  },
];
