import { spawn } from "node:child_process";
import { lstat } from "node:fs/promises";
import { ShipgateError } from "../errors.js";

/** How much of git's stderr an error message quotes. */
const MAX_STDERR_BYTES = 16 * 1024;

export interface GitExit {
  code: number | null;
  /** The start of git's stderr, trimmed. */
  stderr: string;
}

/**
 * Runs git in `cwd` without a shell, handing stdout chunks to `onStdout`; rejects only when git cannot
 * start (a ShipgateError whose message starts with `module`, e.g. "[gate]"). `flags` go before the
 * subcommand (`--no-optional-locks`, `-c key=value`).
 */
export function spawnGit(cwd: string, flags: string[], args: string[], onStdout: (chunk: Buffer) => void, module: string): Promise<GitExit> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...flags, ...args], { cwd, stdio: ["ignore", "pipe", "pipe"], windowsHide: true });
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    child.stdout.on("data", onStdout);
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderrBytes >= MAX_STDERR_BYTES) return;
      stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "ENOENT") {
        reject(new ShipgateError("USAGE", `${module} git could not start: ${error.message}`, { cause: error }));
        return;
      }
      // spawn says ENOENT for a missing working directory as well as for a missing git.
      void lstat(cwd).then(
        () => reject(new ShipgateError("USAGE", `${module} git is not installed (or not on PATH)`, { hint: "shipgate reads changes and commits with git: install it, or put it on PATH", cause: error })),
        () => reject(new ShipgateError("USAGE", `${module} ${cwd} does not exist`, { cause: error })),
      );
    });
    child.on("close", (code) => resolve({ code, stderr: Buffer.concat(stderr).toString("utf8").trim() }));
  });
}

/** Runs git and returns its whole stdout (for outputs that fit in memory). */
export async function gitOutput(cwd: string, flags: string[], args: string[], module: string): Promise<GitExit & { stdout: string }> {
  const chunks: Buffer[] = [];
  const exit = await spawnGit(cwd, flags, args, (chunk) => chunks.push(chunk), module);
  return { ...exit, stdout: Buffer.concat(chunks).toString("utf8") };
}

/** `cwd` relative to the root of its git repository ("" at the root, or outside git), with a trailing slash. */
export async function gitPrefix(cwd: string): Promise<string> {
  try {
    const out = await gitOutput(cwd, [], ["rev-parse", "--show-prefix"], "[git]");
    return out.code === 0 ? out.stdout.trim() : "";
  } catch {
    return "";
  }
}
