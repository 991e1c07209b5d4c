import { spawn } from "node:child_process";

/**
 * A child process of a race test: it prints "ready" once set up, waits for a line on stdin, does its work and prints
 * one JSON line with what it got. The parent releases every worker at once (a pipe wakes them together; polling a
 * file would release them up to a tick apart).
 */
export interface ReleasedWorker<T> {
  /** Resolves once the worker said ready, or ended without saying it (so a test never waits for a dead worker). */
  ready: Promise<void>;
  go: () => void;
  /** Its last JSON line; rejects with its stderr when it exits non-zero. */
  done: Promise<T>;
}

/** Starts `node ARGS…` as a released worker; `label` names it in a failure. */
export function startReleasedWorker<T>(args: string[], label: string, options: { cwd?: string } = {}): ReleasedWorker<T> {
  const child = spawn(process.execPath, args, { stdio: ["pipe", "pipe", "pipe"], ...options });
  let stdout = "";
  let stderr = "";
  let onReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (onReady = resolve));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith("ready\n")) onReady();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const done = new Promise<T>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`${label} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(stdout.trim().split("\n").at(-1) ?? "") as T);
    });
  });
  return { ready: Promise.race([ready, done.then(() => undefined)]), go: () => child.stdin.end("go\n"), done };
}

/** Waits until every worker is ready, releases them together, and returns what each got. */
export async function releaseTogether<T>(workers: ReleasedWorker<T>[]): Promise<T[]> {
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  return Promise.all(workers.map((w) => w.done));
}
