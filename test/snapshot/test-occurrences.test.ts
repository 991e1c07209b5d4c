import { describe, expect, it } from "vitest";
import { numberOccurrences } from "../../src/snapshot/test-occurrences.js";

const ids = (keys: string[]) => numberOccurrences(keys, (k) => k);

describe("numberOccurrences", () => {
  it.each([
    ["distinct keys stay as they are", ["a", "b"], ["a", "b"], 0],
    ["the 2nd and 3rd occurrence get #2 and #3", ["a", "b", "a", "a"], ["a", "b", "a #2", "a #3"], 1],
    ["each repeated key is counted once", ["a", "a", "b", "b"], ["a", "a #2", "b", "b #2"], 2],
    ["a real key the report holds is never handed out again", ["a", "a #2", "a"], ["a", "a #2", "a #3"], 1],
    ["… also when the real key comes later", ["a", "a", "a #2"], ["a", "a #3", "a #2"], 1],
    ["an empty report", [], [], 0],
  ])("%s", (_title, keys, want, repeated) => {
    expect(ids(keys)).toEqual({ ids: want, repeated });
  });

  it("gives the same identities for the same report order, whatever the outcomes", () => {
    const keys = Array.from({ length: 17 }, () => "f › parse > handles a case");
    expect(ids(keys).ids).toEqual(ids([...keys]).ids);
    expect(new Set(ids(keys).ids).size).toBe(17);
    expect(ids(keys).ids[11]).toBe("f › parse > handles a case #12");
  });
});
