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

export interface GitRunOptions {
  /** Go before the subcommand: `--no-optional-locks`, `-c key=value`. */
  flags?: readonly string[];
  /** The environment git runs with (default: shipgate's own), e.g. with `GIT_INDEX_FILE` set. */
  env?: NodeJS.ProcessEnv;
  /** Prefix of the errors' messages, e.g. "[gate]" (default "[git]"). */
  module?: string;
}

/**
 * The one place shipgate starts git: in `cwd`, without a shell, handing stdout chunks to `onStdout` as they
 * come (outputs such as a diff may be far larger than memory should hold). Resolves with git's exit code and
 * the start of its stderr; rejects only when git cannot start — GIT_FAILED when git is missing or fails to
 * start, USAGE when `cwd` does not exist.
 */
export function spawnGit(cwd: string, args: readonly string[], onStdout: (chunk: Buffer) => void, options: GitRunOptions = {}): Promise<GitExit> {
  const module = options.module ?? "[git]";
  return new Promise((resolve, reject) => {
    const child = spawn("git", [...(options.flags ?? []), ...args], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      windowsHide: true,
      ...(options.env === undefined ? {} : { env: options.env }),
    });
    const stderr: Buffer[] = [];
    let stderrBytes = 0;
    let stopped = false;
    // A spawn failure emits "error" and then "close": the close must not resolve before the error's lstat decides.
    let failed = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (stopped) return;
      try {
        onStdout(chunk);
      } catch (error) {
        // A consumer that gives up (too much output) ends git rather than reading on.
        stopped = true;
        child.kill();
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderrBytes >= MAX_STDERR_BYTES) return;
      stderr.push(chunk);
      stderrBytes += chunk.length;
    });
    child.on("error", (error: NodeJS.ErrnoException) => {
      failed = true;
      if (error.code !== "ENOENT") {
        reject(new ShipgateError("GIT_FAILED", `${module} git could not start: ${error.message}`, { cause: error }));
        return;
      }
      // spawn says ENOENT for a missing working directory as well as for a missing git.
      void lstat(cwd).then(
        () => reject(new ShipgateError("GIT_FAILED", `${module} git is not installed (or not on PATH)`, { hint: "shipgate reads changes and commits with git: install it, or put it on PATH", cause: error })),
        () => reject(new ShipgateError("USAGE", `${module} ${cwd} does not exist`, { cause: error })),
      );
    });
    child.on("close", (code) => !failed && resolve({ code, stderr: Buffer.concat(stderr).toString("utf8").trim() }));
  });
}

export interface GitOutputOptions extends GitRunOptions {
  /** Most stdout bytes kept; beyond them git is ended and the call rejects with GIT_FAILED (default: no limit). */
  maxBytes?: number;
}

/** Runs git and returns its whole stdout (for outputs that fit in memory; `maxBytes` bounds them). */
export async function gitOutput(cwd: string, args: readonly string[], options: GitOutputOptions = {}): Promise<GitExit & { stdout: string }> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  const max = options.maxBytes ?? Number.POSITIVE_INFINITY;
  const exit = await spawnGit(
    cwd,
    args,
    (chunk) => {
      bytes += chunk.length;
      if (bytes > max) throw new ShipgateError("GIT_FAILED", `${options.module ?? "[git]"} git ${args[0] ?? ""} printed more than ${max} bytes`);
      chunks.push(chunk);
    },
    options,
  );
  return { ...exit, stdout: Buffer.concat(chunks).toString("utf8") };
}

/** The top level of the git work tree holding `cwd`; null outside git (or when git cannot run). */
export async function gitTopLevel(cwd: string): Promise<string | null> {
  try {
    const out = await gitOutput(cwd, ["rev-parse", "--show-toplevel"]);
    return out.code === 0 ? out.stdout.trim() : null;
  } catch {
    return null;
  }
}

/** `cwd` relative to the root of its git repository ("" at the root, or outside git), with a trailing slash. */
export async function gitPrefix(cwd: string): Promise<string> {
  try {
    const out = await gitOutput(cwd, ["rev-parse", "--show-prefix"]);
    return out.code === 0 ? out.stdout.trim() : "";
  } catch {
    return "";
  }
}
