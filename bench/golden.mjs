// Output digests on the generated benchmark inputs: the speed work of issue 14 must leave what the
// parsers read byte-identical, on these large inputs as on the test fixtures (test/golden). The
// digests in bench/golden.json were recorded on the code before that work.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, URL } from "node:url";

const FILE = fileURLToPath(new URL("golden.json", import.meta.url));

/** sha256 of JSON with typed arrays as arrays (the same canonical form as test/support/golden.ts). */
export function digest(value) {
  const json = JSON.stringify(value, (_key, v) => (ArrayBuffer.isView(v) && !(v instanceof DataView) ? Array.from(v) : v));
  return createHash("sha256").update(json).digest("hex");
}

/** "same" | "DIFFERENT" | "not recorded" for the digest of `key`; BENCH_GOLDEN=record records it. */
export function compareGolden(key, actual) {
  const recorded = existsSync(FILE) ? JSON.parse(readFileSync(FILE, "utf8")) : {};
  if (process.env.BENCH_GOLDEN === "record") {
    recorded[key] = actual;
    writeFileSync(FILE, `${JSON.stringify(recorded, null, 2)}\n`);
    return "recorded";
  }
  if (recorded[key] === undefined) return "not recorded";
  return recorded[key] === actual ? "same" : "DIFFERENT";
}
