import { parentPort } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import type { FileBatch } from "./read-files.js";
import { scanText } from "./scan-file.js";
import { toWireScan, type WorkerBatch } from "./wire-scan.js";

/**
 * A docs-check worker (see createScanPool): loads the scanner as soon as it starts, then scans each batch of
 * files the docs check has read for it (a FileBatch) and posts the batch's results (a WorkerBatch). It exits
 * on a null message, when there are no more files.
 */
parentPort?.on("message", (batch: FileBatch | null) => {
  if (batch === null) {
    parentPort?.close();
    return;
  }
  const { start, rels, ends, unreadable } = batch;
  const bytes = Buffer.from(batch.bytes);
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
  parentPort?.postMessage(message);
});
