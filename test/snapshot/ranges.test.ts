import { describe, expect, it } from "vitest";
import { fromRanges, toRanges } from "../../src/snapshot/ranges.js";

/** The spelling toRanges had before it wrote bytes: the reference it must keep. */
function joined(lines: ArrayLike<number>): string {
  const parts: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = lines[i] as number;
    let end = start;
    while (i + 1 < lines.length && (lines[i + 1] as number) === end + 1) end = lines[++i] as number;
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.join(",");
}

describe("toRanges", () => {
  it.each([
    [[], ""],
    [[0], "0"],
    [[1, 2, 3, 4, 9, 12, 13], "1-4,9,12-13"],
    [[9, 10, 11, 99, 100, 1000, 1001], "9-11,99-100,1000-1001"],
    [[2147483647], "2147483647"],
    [[2147483648, 2147483649], "2147483648-2147483649"],
    [[0.5, 1.5], "0.5-1.5"],
    [[-3, -2], "-3--2"],
    [[Number.NaN, 1e21], "NaN-NaN,1e+21"],
  ])("%j → %s", (lines, ranges) => {
    expect(toRanges(lines)).toBe(ranges);
    expect(toRanges(lines)).toBe(joined(lines));
    expect(toRanges(Int32Array.from(lines.filter((n) => Number.isInteger(n) && Math.abs(n) < 2 ** 31)))).toBe(joined(lines.filter((n) => Number.isInteger(n) && Math.abs(n) < 2 ** 31)));
  });

  it("spells long lists (past its scratch space) as joining did, and fromRanges reads them back", () => {
    let seed = 7;
    const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    const lines: number[] = [];
    for (let l = 1; lines.length < 200_000; l += random() < 0.3 ? 2 + Math.floor(random() * 40) : 1) lines.push(l);
    const ranges = toRanges(lines);
    expect(ranges).toBe(joined(lines));
    expect(fromRanges(ranges)).toEqual(lines);
    // The scratch space is reused: a short list after a long one is not polluted.
    expect(toRanges([5, 6])).toBe("5-6");
  });
});
