import { parentPort, workerData } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import type { MarkdownScan } from "./markdown-links.js";
import { scanFile } from "./scan-file.js";

/** A docs-check worker: scans its share of files and posts the results in batches (see checkDocsLinks). */
const { files, batch } = workerData as { files: { abs: string; file: string }[]; batch: number };
for (let start = 0; start < files.length; start += batch) {
  const diagnostics: Diagnostic[] = [];
  const results: { file: string; scan: MarkdownScan | undefined }[] = [];
  for (const { abs, file } of files.slice(start, start + batch)) results.push({ file: abs, scan: scanFile(abs, file, diagnostics) });
  parentPort?.postMessage({ results, diagnostics });
}
