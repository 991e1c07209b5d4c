// Golden digests: an optimisation must leave every output byte-identical. A test records the sha256 of
// an output's canonical JSON once, with the code before the change (`SHIPGATE_GOLDEN=record npx vitest
// run <test>`), commits the digest file, and from then on compares. A mismatch names the key, so the
// input whose output changed is known; re-record only when a change of output is intended and said so.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { expect } from "vitest";

/** JSON with typed arrays as arrays, Maps as entry lists, Sets as arrays, undefined members left out (as JSON does). */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    if (v instanceof Map) return { __map: [...v.entries()] };
    if (v instanceof Set) return { __set: [...v] };
    if (typeof v === "bigint") return `${v}n`;
    return v;
  });
}

export const digest = (value: unknown): string => createHash("sha256").update(canonical(value)).digest("hex");

const recording = process.env.SHIPGATE_GOLDEN === "record";

/** Compares (or, with SHIPGATE_GOLDEN=record, records) the digest of `value` under `key` in the JSON file `file`. */
export function expectGolden(file: URL, key: string, value: unknown): void {
  const actual = digest(value);
  const recorded = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Record<string, string>) : {};
  if (recording) {
    recorded[key] = actual;
    const sorted = Object.fromEntries(Object.entries(recorded).sort(([a], [b]) => a.localeCompare(b)));
    writeFileSync(file, `${JSON.stringify(sorted, null, 2)}\n`);
    return;
  }
  expect(recorded[key], `no golden digest for ${key} in ${file.pathname}: record it with SHIPGATE_GOLDEN=record on the code before the change`).toBeDefined();
  expect(actual, `the output for ${key} changed (golden ${file.pathname})`).toBe(recorded[key]);
}
