import { parentPort, workerData } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import { scanFile } from "./scan-file.js";
import { toWireScan, type WorkerBatch } from "./wire-scan.js";

/**
 * A docs-check worker: claims batches of files from the counter it shares with the other workers, scans them
 * and posts each batch's results (see checkDocsLinks).
 */
const { files, rels, batch, next } = workerData as { files: string[]; rels: string[]; batch: number; next: Int32Array };
for (let start = Atomics.add(next, 0, batch); start < files.length; start = Atomics.add(next, 0, batch)) {
  const end = Math.min(start + batch, files.length);
  const message: WorkerBatch = { start, scans: [], diagnostics: [] };
  for (let i = start; i < end; i++) {
    const found: Diagnostic[] = [];
    const scan = scanFile(files[i] as string, rels[i] as string, found);
    message.scans.push(scan && toWireScan(scan));
    for (const diagnostic of found) message.diagnostics.push({ index: i, diagnostic });
  }
  parentPort?.postMessage(message);
}
