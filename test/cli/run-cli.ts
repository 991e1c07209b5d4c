import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const bin = join(repoRoot, "dist/cli/main.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built bin as a user would, with no TTY and CI unset unless given. */
export function shipgate(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const result = spawnSync(process.execPath, [bin, ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "", ...options.env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A scratch copy of the bundled example, so tests never write into the repository. */
export function copyOfDemo(): string {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-demo-"));
  cpSync(join(repoRoot, "examples/demo"), dir, { recursive: true });
  return dir;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "shipgate-cli-"));
}

export const fixture = (path: string) => join(repoRoot, "test/fixtures", path);
