import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { Worker } from "node:worker_threads";
import type { Diagnostic } from "../ingest/types.js";
import { readBatch, unreadBatch } from "./read-files.js";
import type { ScanStart } from "./scan-worker.js";
import type { WireScan, WorkerBatch } from "./wire-scan.js";

/** Called with each file's scan (undefined when it could not be read or parsed) and its diagnostics, by file index. */
export type OnScanResult = (index: number, scan: WireScan | undefined, diagnostics: Diagnostic[]) => void;

/**
 * Docs-check worker threads, started before the files to scan are known: a worker needs ~100-300 ms to boot and
 * load its scanner (markdown-it), which then runs while this thread lists the files (`git ls-files`) instead of after.
 */
export interface ScanPool {
  /** Workers started. */
  readonly size: number;
  /**
   * Scans `files` (absolute; `rels` the same from root) in the first `count` workers (at most `size`), in batches
   * of `batch` files, and ends the others. Each worker has up to AHEAD batches sent to it at a time; the next
   * is sent when one comes back. This thread reads a batch's files itself (readBatch) when it keeps up with the
   * workers' results (at most one waiting), else leaves the reading to the worker: reading is a fifth of the work
   * of a file, and this way neither thread waits for the other — the first batches are read while the workers
   * boot, and a thread slowed by others' load gets less to do. Settles when all have exited. Call once.
   */
  run(files: readonly string[], rels: readonly string[], count: number, batch: number, onResult: OnScanResult): Promise<void>;
  /** Ends every worker without scanning (the files were too few, or listing them failed). */
  close(): void;
}

/**
 * Batches read ahead for each worker. Memory: AHEAD × batch files' bytes per worker. Enough that a worker never
 * waits for this thread while it checks another batch's links; the first ones are read while the worker boots.
 */
const AHEAD = 8;

export function createScanPool(size: number): ScanPool {
  let onMessage: (worker: number, batch: WorkerBatch) => void = () => undefined;
  const workers: Worker[] = [];
  const exits: Promise<void>[] = [];
  for (let w = 0; w < size; w++) {
    const worker = new Worker(new URL("./scan-worker.js", import.meta.url));
    workers.push(worker);
    // Listeners from the start: a worker that fails while loading must reject, not crash the process.
    exits.push(
      new Promise<void>((resolveExit, rejectExit) => {
        worker.on("message", (batch: WorkerBatch) => onMessage(w, batch));
        worker.on("error", rejectExit);
        worker.on("exit", (code) => (code === 0 ? resolveExit() : rejectExit(new Error(`docs scan worker exited with ${code}`))));
      }),
    );
  }
  // A worker can fail (or be ended) before run() waits for it: its rejection is handled here, and run() still sees it.
  for (const exit of exits) exit.catch(() => undefined);
  const end = (worker: Worker) => void worker.terminate();
  return {
    size,
    run(files, rels, count, batch, onResult) {
      const used = Math.min(count, size);
      for (let w = used; w < size; w++) end(workers[w] as Worker);
      let next = 0;
      const pending = new Array<number>(used).fill(0);
      // Batches the workers have posted (counted by them), and those this thread has checked: the difference is
      // how many results wait for this thread.
      const posted = new Int32Array(new SharedArrayBuffer(4));
      let checked = 0;
      for (let w = 0; w < used; w++) (workers[w] as Worker).postMessage({ posted } satisfies ScanStart);
      /** Sends the next batch to worker `w`, read or to read; or, with no files left and none pending, tells it to exit. */
      const feed = (w: number) => {
        const worker = workers[w] as Worker;
        if (next < files.length) {
          const end = Math.min(next + batch, files.length);
          if (Atomics.load(posted, 0) - checked <= 1) {
            const read = readBatch(files, rels, next, end);
            worker.postMessage(read, [read.bytes as ArrayBuffer]);
          } else {
            worker.postMessage(unreadBatch(files, rels, next, end));
          }
          next = end;
          pending[w] = (pending[w] as number) + 1;
        } else if (pending[w] === 0) {
          worker.postMessage(null);
        }
      };
      onMessage = (w, { start, scans, diagnostics }) => {
        pending[w] = (pending[w] as number) - 1;
        checked++;
        let d = 0;
        scans.forEach((scan, i) => {
          const found: Diagnostic[] = [];
          for (; d < diagnostics.length && (diagnostics[d] as { index: number }).index === start + i; d++) found.push((diagnostics[d] as { diagnostic: Diagnostic }).diagnostic);
          onResult(start + i, scan, found);
        });
        feed(w);
      };
      // Round by round, so that every worker has work before any has all of its AHEAD batches.
      for (let round = 0; round < AHEAD; round++) for (let w = 0; w < used; w++) if (round === 0 || next < files.length) feed(w);
      return Promise.all(exits.slice(0, used)).then(() => undefined);
    },
    close() {
      for (let w = 0; w < size; w++) end(workers[w] as Worker);
    },
  };
}

/** Bytes of the git index read at a time by countTrackedMarkdown. */
const INDEX_CHUNK = 1 << 16;
const MARKDOWN_ENDINGS = [Buffer.from(".md\0"), Buffer.from(".markdown\0")];

/**
 * About how many markdown files `root`'s git index tracks, counted up to `atLeast` (then it stops reading): every
 * version of the index ends each entry's path with a NUL, so ".md\0" marks one. A guess, cheap enough to make
 * before listing the files (~1 ms for 10 000): 0 when root has no `.git` of its own. Memory: one 64 KB chunk.
 */
export function countTrackedMarkdown(root: string, atLeast: number): number {
  const index = gitIndexPath(root);
  if (index === undefined) return 0;
  let fd: number;
  try {
    fd = openSync(index, "r");
  } catch {
    return 0;
  }
  try {
    const chunk = Buffer.alloc(INDEX_CHUNK);
    // The last bytes of a chunk are read again with the next one, so an ending cut in two is still seen once.
    const overlap = ".markdown\0".length - 1;
    let count = 0;
    let position = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, INDEX_CHUNK, position);
      if (read === 0) return count;
      const view = chunk.subarray(0, read);
      for (const ending of MARKDOWN_ENDINGS) {
        // Only endings that finish past the overlap: those before it were counted with the previous chunk.
        const from = position === 0 ? 0 : overlap - ending.length + 1;
        for (let at = view.indexOf(ending, from); at !== -1; at = view.indexOf(ending, at + 1)) count++;
      }
      if (count >= atLeast || read < INDEX_CHUNK) return count;
      position += read - overlap;
    }
  } catch {
    return 0;
  } finally {
    closeSync(fd);
  }
}

/** `root/.git/index`, or the index of the work tree a `.git` file names (`gitdir: …`); undefined without either. */
function gitIndexPath(root: string): string | undefined {
  const dotGit = join(root, ".git");
  const stat = statSync(dotGit, { throwIfNoEntry: false });
  if (stat === undefined) return undefined;
  if (stat.isDirectory()) return join(dotGit, "index");
  try {
    const match = /^gitdir: (.+)$/m.exec(readFileSync(dotGit, "utf8"));
    return match ? join(resolve(root, (match[1] as string).trim()), "index") : undefined;
  } catch {
    return undefined;
  }
}
