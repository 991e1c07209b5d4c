import { closeSync, constants, fstatSync, openSync, readFileSync, realpathSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import type { LineReader } from "../snapshot/rows.js";

/**
 * Reads repository files for finding fingerprints, each once. A report names the file, so the reader
 * checks what it opens: the file's real path must be inside the repository's real root (a tracked
 * symlink to /etc/passwd is not followed) and it must be a regular file (a FIFO or a device would block
 * or never end). It is opened non-blocking and checked on the open descriptor. Anything else reads as
 * "no lines", and the fingerprint falls back to the finding's message.
 */
export function createLineReader(root: string): LineReader {
  const cache = new Map<string, string[] | undefined>();
  let realRoot: string | undefined;
  return (path) => {
    if (!cache.has(path)) {
      let lines: string[] | undefined;
      try {
        realRoot ??= realpathSync(root);
        const real = realpathSync(join(root, path));
        const rel = relative(realRoot, real);
        if (rel !== "" && !rel.startsWith("..") && !isAbsolute(rel)) {
          const fd = openSync(real, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOFOLLOW ?? 0));
          try {
            if (fstatSync(fd).isFile()) lines = readFileSync(fd, "utf8").split(/\r?\n/);
          } finally {
            closeSync(fd);
          }
        }
      } catch {
        lines = undefined;
      }
      cache.set(path, lines);
    }
    return cache.get(path);
  };
}
