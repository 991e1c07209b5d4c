import { describe, expect, it } from "vitest";
import { snapshotInputsHash } from "../../src/store/inputs-hash.js";
import type { GitState } from "../../src/store/types.js";

const source = (sha: string) => ({ path: "r.xml", sha256: sha.repeat(64), bytes: 1, format: "junit" as const, tool: null, collector: null });
const inputs = (git: Partial<GitState>, shas = ["a", "b"], configHash: string | null = "cfg") => ({
  git: { commit: "c1", branch: "main", dirty: false, tree: null, ...git },
  sources: shas.map(source),
  configHash,
});

describe("snapshotInputsHash", () => {
  it("is the same for the same commit, reports in any order and config; different when any of them changes", () => {
    const base = snapshotInputsHash(inputs({}));
    expect(snapshotInputsHash(inputs({}, ["b", "a"]))).toBe(base);
    expect(snapshotInputsHash(inputs({ branch: "other" }))).toBe(base); // where it was taken is not what it measured
    for (const other of [inputs({ commit: "c2" }), inputs({}, ["a", "c"]), inputs({}, ["a"]), inputs({}, ["a", "b"], "cfg2"), inputs({}, ["a", "b"], null)]) {
      expect(snapshotInputsHash(other)).not.toBe(base);
    }
  });

  it("uses the recorded working tree of a dirty checkout, and is null when that tree is unknown", () => {
    const dirty = snapshotInputsHash(inputs({ dirty: true, tree: "t1" }));
    expect(dirty).not.toBe(snapshotInputsHash(inputs({})));
    expect(snapshotInputsHash(inputs({ dirty: true, tree: "t1" }))).toBe(dirty);
    expect(snapshotInputsHash(inputs({ dirty: true, tree: "t2" }))).not.toBe(dirty);
    expect(snapshotInputsHash(inputs({ dirty: true, tree: null }))).toBeNull();
    expect(snapshotInputsHash(inputs({ dirty: null }))).toBeNull();
  });

  it("outside git, the reports and the config decide", () => {
    const outside = { commit: null, branch: null, dirty: null, tree: null };
    expect(snapshotInputsHash(inputs(outside))).toBe(snapshotInputsHash(inputs(outside, ["b", "a"])));
    expect(snapshotInputsHash(inputs(outside))).not.toBe(snapshotInputsHash(inputs(outside, ["a"])));
  });
});
