import { parentPort } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import type { FileBatch } from "./read-files.js";
import { scanFile, scanText } from "./scan-file.js";
import { toWireScan, type WorkerBatch } from "./wire-scan.js";

/** The first message a worker receives: where it counts the batches it has posted (see ScanPool.run). */
export interface ScanStart {
  posted: Int32Array;
}

let posted: Int32Array | undefined;

/**
 * A docs-check worker (see createScanPool): loads the scanner as soon as it starts, then scans each batch of
 * files the docs check sends (a FileBatch: read already, or to read here) and posts the batch's results (a
 * WorkerBatch), counting it in `posted`. It exits on a null message, when there are no more files.
 */
parentPort?.on("message", (batch: FileBatch | ScanStart | null) => {
  if (batch === null) {
    parentPort?.close();
    return;
  }
  if ("posted" in batch) {
    posted = batch.posted;
    return;
  }
  parentPort?.postMessage(batch.bytes === null ? readAndScan(batch) : scan(batch, batch.bytes));
  if (posted !== undefined) Atomics.add(posted, 0, 1);
});

function readAndScan({ start, rels, paths }: FileBatch): WorkerBatch {
  const message: WorkerBatch = { start, scans: [], diagnostics: [] };
  for (let i = 0; i < rels.length; i++) {
    const found: Diagnostic[] = [];
    const scan = scanFile((paths as string[])[i] as string, rels[i] as string, found);
    message.scans.push(scan && toWireScan(scan));
    for (const diagnostic of found) message.diagnostics.push({ index: start + i, diagnostic });
  }
  return message;
}

function scan({ start, rels, ends, unreadable }: FileBatch, buffer: ArrayBuffer): WorkerBatch {
  const bytes = Buffer.from(buffer);
  const message: WorkerBatch = { start, scans: [], diagnostics: [] };
  let u = 0;
  let from = 0;
  for (let i = 0; i < ends.length; i++) {
    const index = start + i;
    const to = ends[i] as number;
    if (u < unreadable.length && (unreadable[u] as { index: number }).index === index) {
      message.scans.push(undefined);
      message.diagnostics.push(unreadable[u] as { index: number; diagnostic: Diagnostic });
      u++;
    } else {
      const found: Diagnostic[] = [];
      const scan = scanText(bytes.toString("utf8", from, to), rels[i] as string, found);
      message.scans.push(scan && toWireScan(scan));
      for (const diagnostic of found) message.diagnostics.push({ index, diagnostic });
    }
    from = to;
  }
  return message;
}
