import { parentPort } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import { scanFile } from "./scan-file.js";
import { toWireScan, type WorkerBatch } from "./wire-scan.js";

/** The one message a worker receives: the files to scan, and the counter it shares with the other workers. */
export interface ScanWork {
  files: readonly string[];
  rels: readonly string[];
  batch: number;
  next: Int32Array;
}

/**
 * A docs-check worker (see createScanPool): loads the scanner as soon as it starts, then waits for the file list,
 * claims batches of files from the counter it shares with the other workers, scans them and posts each batch's
 * results. It exits once the files are done (after the one message, nothing keeps it alive).
 */
parentPort?.once("message", ({ files, rels, batch, next }: ScanWork) => {
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
});
