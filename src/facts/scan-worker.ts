import { parentPort, workerData } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import { scanFile } from "./scan-file.js";
import { toWireScan, type WireScan } from "./wire-scan.js";

/** A docs-check worker: scans its share of files and posts the results in batches (see checkDocsLinks). */
const { files, batch } = workerData as { files: { abs: string; file: string }[]; batch: number };
for (let start = 0; start < files.length; start += batch) {
  const diagnostics: Diagnostic[] = [];
  const results: { file: string; scan: WireScan | undefined }[] = [];
  for (const { abs, file } of files.slice(start, start + batch)) {
    const scan = scanFile(abs, file, diagnostics);
    results.push({ file: abs, scan: scan && toWireScan(scan) });
  }
  parentPort?.postMessage({ results, diagnostics });
}
