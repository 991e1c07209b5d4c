import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/ingest/types.js";
import { scanLinks } from "../../src/facts/link-scanner.js";
import { scanFile } from "../../src/facts/scan-file.js";

const dir = mkdtempSync(join(tmpdir(), "shipgate-scan-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A document of about `bytes` bytes with links and headings all along, and multi-byte characters that can straddle a read. */
function document(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const part = `## Café ${i} — ünïcødé\n\nSee [page ${i}](./page-${i}.md#café-${i}) and ![img](pics/${i}.png) 😀.\n\n`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join("");
}

describe("scanFile", () => {
  it("reads files bigger than its buffer whole, and small ones after them, as readFileSync does", () => {
    for (const [name, bytes] of [["small.md", 300], ["big.md", 300_000], ["exact.md", 65_536], ["after.md", 2_000]] as const) {
      const path = join(dir, name);
      const text = document(bytes);
      writeFileSync(path, name === "exact.md" ? Buffer.from(text).subarray(0, 65_536) : text);
      const found: Diagnostic[] = [];
      expect(scanFile(path, name, found)).toEqual(scanLinks(readFileSync(path, "utf8")));
      expect(found).toEqual([]);
    }
  });

  it("reports a missing file and a folder as unreadable, with the error's code", () => {
    mkdirSync(join(dir, "folder.md"));
    const found: Diagnostic[] = [];
    expect(scanFile(join(dir, "missing.md"), "missing.md", found)).toBeUndefined();
    expect(scanFile(join(dir, "folder.md"), "folder.md", found)).toBeUndefined();
    expect(found).toEqual([
      { level: "warning", code: "docs.unreadable", message: "missing.md: cannot be read (ENOENT); its links and anchors were not checked", file: "missing.md" },
      { level: "warning", code: "docs.unreadable", message: "folder.md: cannot be read (EISDIR); its links and anchors were not checked", file: "folder.md" },
    ]);
  });
});
