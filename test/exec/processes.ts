import { existsSync, readFileSync } from "node:fs";

/**
 * True while the process runs. A zombie has ended: it only waits for its parent (init, for an orphan)
 * to reap it, which some container inits do late.
 */
export function isRunning(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  }
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state !== "Z" && state !== "X";
}

/** The content of `path` once a process has written it (polls; the test's own timeout is the hang guard). */
export async function waitForFile(path: string): Promise<string> {
  for (;;) {
    if (existsSync(path)) {
      const text = readFileSync(path, "utf8").trim();
      if (text !== "") return text;
    }
    await new Promise((wake) => setTimeout(wake, 20));
  }
}

/**
 * Resolves once the process has ended: for a SIGKILL sent just before its sender exited, whose delivery
 * the kernel completes on its own time (polls; the test's timeout is the hang guard).
 */
export async function ended(pid: number): Promise<boolean> {
  while (isRunning(pid)) await new Promise((wake) => setTimeout(wake, 20));
  return true;
}
