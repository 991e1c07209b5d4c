import { fork } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { ReportFormat } from "../../src/ingest/types.js";

/** One file to parse with one format's parser. */
export interface GuardedCase {
  /** A name for messages: fixture and mutation. */
  name: string;
  path: string;
  format: ReportFormat;
}

export type GuardedOutcome =
  | { outcome: "result"; detected?: string; rows: number; diagnostics: number }
  | { outcome: "shipgate-error"; detected?: string; code: string; message: string }
  | { outcome: "other-error"; name: string; message: string }
  /** The time guard fired: the parse did not end (a hang, or work far beyond linear). */
  | { outcome: "hang"; message: string }
  /** The child died: out of memory under --max-old-space-size, or a crash. */
  | { outcome: "died"; message: string };

export interface GuardOptions {
  /** Per case; far above a normal parse (milliseconds), so only a hang or a blow-up reaches it. */
  timeoutMs?: number;
  /** The child's V8 heap limit. */
  maxOldSpaceMb?: number;
  /** Children working in parallel. */
  workers?: number;
}

const runner = fileURLToPath(new URL("./case-runner.mjs", import.meta.url));

/**
 * Parses each case in a child process (the built parsers of dist/) under a time and memory guard, and
 * returns how each ended, in order. A guard that fires kills that child only and starts a fresh one.
 * This is a hang guard, not a timing assertion: the limits are orders of magnitude above a normal parse.
 */
export async function runGuarded(cases: readonly GuardedCase[], options: GuardOptions = {}): Promise<GuardedOutcome[]> {
  const { timeoutMs = 20_000, maxOldSpaceMb = 256, workers = 2 } = options;
  const outcomes: GuardedOutcome[] = new Array<GuardedOutcome>(cases.length);
  let next = 0;

  const start = (): Promise<{ child: ChildProcess; stderr: () => string }> =>
    new Promise((resolve, reject) => {
      const child = fork(runner, [], { execArgv: [`--max-old-space-size=${maxOldSpaceMb}`], stdio: ["ignore", "ignore", "pipe", "ipc"] });
      let stderr = "";
      child.stderr?.on("data", (data: Buffer) => {
        stderr = (stderr + data.toString()).slice(-2000);
      });
      child.once("message", () => resolve({ child, stderr: () => stderr }));
      child.once("error", reject);
      child.once("exit", (code) => reject(new Error(`the fuzz case runner exited (${code}) before it was ready: ${stderr}`)));
    });

  const work = async (): Promise<void> => {
    let current = await start();
    try {
      while (next < cases.length) {
        const index = next++;
        const testCase = cases[index] as GuardedCase;
        const { child, stderr } = current;
        const outcome = await new Promise<GuardedOutcome>((resolve) => {
          const done = (value: GuardedOutcome): void => {
            clearTimeout(timer);
            child.off("message", onMessage);
            child.off("exit", onExit);
            resolve(value);
          };
          const onMessage = (message: GuardedOutcome & { id: number }): void => {
            if (message.id === index) done(message);
          };
          const onExit = (code: number | null, signal: string | null): void => {
            done({ outcome: "died", message: `the parse process died (${signal ?? code}): ${stderr().split("\n").slice(-6).join(" | ")}` });
          };
          const timer = setTimeout(() => {
            done({ outcome: "hang", message: `no answer within ${timeoutMs} ms` });
          }, timeoutMs);
          child.on("message", onMessage);
          child.once("exit", onExit);
          child.send({ id: index, path: testCase.path, format: testCase.format });
        });
        outcomes[index] = outcome;
        if (outcome.outcome === "hang" || outcome.outcome === "died") {
          child.kill("SIGKILL");
          current = await start();
        }
      }
    } finally {
      current.child.kill("SIGKILL");
    }
  };

  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, cases.length)) }, () => work()));
  return outcomes;
}
