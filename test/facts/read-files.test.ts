import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { afterAll, describe, expect, it } from "vitest";
import type { Diagnostic } from "../../src/ingest/types.js";
import { readBatch, readText, unreadBatch, type FileBatch } from "../../src/facts/read-files.js";
import type { createScanPool as CreateScanPool } from "../../src/facts/scan-pool.js";
import { scanFile } from "../../src/facts/scan-file.js";
import { toWireScan, type WireScan, type WorkerBatch } from "../../src/facts/wire-scan.js";

const dir = mkdtempSync(join(tmpdir(), "shipgate-read-files-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A document of about `bytes` bytes with links and headings all along, and multi-byte characters that can straddle a read. */
function document(bytes: number, seed: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = seed; size < bytes; i++) {
    const part = `## Café ${i} — ünïcødé\n\nSee [page ${i}](./page-${i}.md#café-${i}) and ![img](pics/${i}.png) 😀.\n\n`;
    parts.push(part);
    size += Buffer.byteLength(part);
  }
  return parts.join("");
}

/** Files of every size around the buffers' (64 KB for readText, 128 KB to start a batch), a missing one and a folder among them. */
function tree(): { names: string[]; paths: string[] } {
  const sizes: [string, number | "missing" | "folder" | Buffer][] = [
    ["empty.md", 0], ["small.md", 300], ["missing.md", "missing"], ["big.md", 300_000], ["folder.md", "folder"],
    ["exact.md", Buffer.from(document(70_000, 7)).subarray(0, 65_536)], ["invalid.md", Buffer.from([0x61, 0xff, 0xc3, 0x28, 0xe2, 0x82, 0x0a, 0x62, 0xc3])],
    ["after.md", 2_000], ["fill.md", 131_072 - 300], ["last.md", 500],
  ];
  const names: string[] = [];
  for (const [name, what] of sizes) {
    names.push(name);
    if (what === "missing") continue;
    if (what === "folder") mkdirSync(join(dir, name), { recursive: true });
    else writeFileSync(join(dir, name), typeof what === "number" ? document(what, names.length) : what);
  }
  return { names, paths: names.map((name) => join(dir, name)) };
}

describe("reading docs files", () => {
  const { names, paths } = tree();

  it("readText gives what readFileSync gives, for files below, at and above its buffer's size", () => {
    for (const path of paths) {
      let expected: string | undefined;
      try {
        expected = readFileSync(path, "utf8");
      } catch (error) {
        expect(() => readText(path)).toThrow(expect.objectContaining({ code: (error as NodeJS.ErrnoException).code }) as Error);
        continue;
      }
      expect(readText(path)).toBe(expected);
    }
  });

  it("readBatch holds each file's bytes in order, and the same diagnostics as scanFile for the files it cannot read", () => {
    for (const [from, to] of [[0, names.length], [1, 4], [3, 4], [5, 10]] as const) {
      const batch = readBatch(paths, names, from, to);
      expect(batch.start).toBe(from);
      expect(batch.rels).toEqual(names.slice(from, to));
      const bytes = Buffer.from(batch.bytes as ArrayBuffer);
      const expected: { index: number; diagnostic: Diagnostic }[] = [];
      let start = 0;
      for (let i = from; i < to; i++) {
        const end = batch.ends[i - from] as number;
        const found: Diagnostic[] = [];
        if (scanFile(paths[i] as string, names[i] as string, found) === undefined) {
          expected.push(...found.map((diagnostic) => ({ index: i, diagnostic })));
          expect(end).toBe(start);
        } else {
          expect(bytes.toString("utf8", start, end)).toBe(readFileSync(paths[i] as string, "utf8"));
        }
        start = end;
      }
      expect(batch.unreadable).toEqual(expected);
    }
  });

  it("a worker (built code) scans a batch it is sent read and one it reads itself alike, and counts what it posts", async () => {
    const worker = new Worker(new URL("../../dist/facts/scan-worker.js", import.meta.url));
    const posted = new Int32Array(new SharedArrayBuffer(4));
    const replies: WorkerBatch[] = [];
    const done = new Promise<void>((resolveDone, rejectDone) => {
      worker.on("message", (reply: WorkerBatch) => {
        replies.push(reply);
        if (replies.length === 2) worker.postMessage(null);
      });
      worker.on("error", rejectDone);
      worker.on("exit", () => resolveDone());
    });
    worker.postMessage({ posted });
    const read = readBatch(paths, names, 0, names.length);
    worker.postMessage(read, [read.bytes as ArrayBuffer]);
    worker.postMessage(unreadBatch(paths, names, 0, names.length) satisfies FileBatch);
    await done;
    expect(Atomics.load(posted, 0)).toBe(2);
    expect(replies[0]?.scans.length).toBe(names.length);
    expect(replies[1]).toEqual(replies[0]);
    expect(replies[0]?.diagnostics.map((d) => d.index)).toEqual([2, 4]);
  });

  it("the worker pool (built code) gives each file scanFile's scan and diagnostics, in batches of any size", async () => {
    const { createScanPool } = (await import(new URL("../../dist/facts/scan-pool.js", import.meta.url).href)) as { createScanPool: typeof CreateScanPool };
    const expected = paths.map((path, i) => {
      const found: Diagnostic[] = [];
      const scan = scanFile(path, names[i] as string, found);
      return { scan: scan && toWireScan(scan), found };
    });
    for (const [workers, batch] of [[1, 1], [2, 3], [3, 100]] as const) {
      const got: { scan: WireScan | undefined; found: Diagnostic[] }[] = [];
      await createScanPool(workers).run(paths, names, workers, batch, (index, scan, found) => {
        got[index] = { scan, found };
      });
      expect(got).toEqual(expected);
    }
  });
});
