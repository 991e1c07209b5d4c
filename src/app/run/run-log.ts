import { constants } from "node:fs";
import { open, realpath, stat, type FileHandle } from "node:fs/promises";
import { isAbsolute, relative, resolve, sep } from "node:path";
import { RUNS_DIR } from "./attempt.js";

export { RUNS_DIR };

/**
 * Where a run's log is, or why it cannot be read here:
 * - `none`: the run kept no log (a person's task, a claim by hand, a runner that keeps none);
 * - `outside`: the stored path leaves `<root>/.shipgate/runs/` (`..`, an absolute path elsewhere, a symlink that
 *   points out of it) — never read, whatever it names;
 * - `missing`: no such file on this machine (written by a worker on another machine into a shared store, or deleted);
 * - `not-a-file`: a directory, a FIFO or a device.
 */
export type RunLogLocation =
  | { kind: "file"; path: string; bytes: number }
  | { kind: "none" }
  | { kind: "outside"; path: string; detail: string }
  | { kind: "missing"; path: string }
  | { kind: "not-a-file"; path: string };

const inside = (dir: string, path: string): boolean => {
  const rel = relative(dir, path);
  return rel !== "" && !rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel);
};

/** Finds a run's log (`log` as the run stored it) under `root`'s runs folder, symlinks resolved. */
export async function locateRunLog(root: string, log: string | null): Promise<RunLogLocation> {
  if (log === null || log === "") return { kind: "none" };
  const dir = resolve(root, RUNS_DIR);
  const path = resolve(root, log);
  // The stored text first: `..` or an absolute path elsewhere is refused before anything is touched.
  if (log.includes("\0") || !inside(dir, path)) return { kind: "outside", path: log, detail: `it is not under ${RUNS_DIR}/` };
  let real: string;
  try {
    real = await realpath(path);
  } catch {
    return { kind: "missing", path };
  }
  // The folder itself may be a symlink (a user's choice); the file must stay inside wherever it points.
  const realDir = await realpath(dir).catch(() => dir);
  if (!inside(realDir, real)) return { kind: "outside", path: log, detail: `a symlink on the way points out of ${RUNS_DIR}/ (to ${real})` };
  const info = await stat(real);
  if (!info.isFile()) return { kind: "not-a-file", path };
  return { kind: "file", path: real, bytes: info.size };
}

const BLOCK = 64 * 1024;

/** The byte offset where the last `lines` lines of the file start (a final line break ends the last line, it does not start one). Reads from the end, block by block. */
export async function tailOffset(handle: FileHandle, size: number, lines: number): Promise<number> {
  if (size === 0) return 0;
  const buffer = Buffer.alloc(BLOCK);
  let end = size;
  let need = lines;
  let first = true;
  while (end > 0) {
    const start = Math.max(0, end - BLOCK);
    const { bytesRead } = await handle.read(buffer, 0, end - start, start);
    for (let i = bytesRead - 1; i >= 0; i--) {
      if (buffer[i] !== 0x0a) continue;
      // The file's own last line break closes its last line.
      if (first && start + i === size - 1) continue;
      need--;
      if (need === 0) return start + i + 1;
    }
    first = false;
    end = start;
  }
  return 0;
}

/**
 * The log as UTF-8 text chunks, streamed (a log can be hundreds of MB): from the start, or only the last `tail`
 * lines, found by reading backwards from the end. The file is opened without following a symlink in its last step.
 */
export async function* readRunLog(path: string, options: { tail?: number } = {}): AsyncGenerator<string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await handle.stat();
    const start = options.tail === undefined ? 0 : await tailOffset(handle, size, options.tail);
    // `end` pins what is shown to the file as it was measured: a log still being written is shown up to here.
    if (size === 0) return;
    const stream = handle.createReadStream({ start, end: size - 1, encoding: "utf8", autoClose: false, highWaterMark: BLOCK });
    for await (const chunk of stream) yield chunk as string;
  } finally {
    await handle.close();
  }
}

