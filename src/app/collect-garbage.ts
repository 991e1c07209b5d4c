import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Reports at least this big (in total) leave enough garbage to be worth a collection; smaller ones none. */
export const COLLECT_AFTER_BYTES = 16 * 1024 * 1024;

let gc: (() => void) | undefined;

/**
 * Runs one full garbage collection now. Parsing a big report leaves its dead buffers and strings in the
 * heap (~70 MB after a 68 MB lcov, against ~20 MB still in use): V8 collects on its own schedule, and
 * every row built afterwards grew the heap on top of them — peak RSS +50 MB over the parse's own. One
 * collection between the two costs about 10 ms. `--expose-gc` set at run time applies to contexts
 * created afterwards, hence the fresh context (jest reads its heap the same way).
 */
export function collectGarbage(): void {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
}
