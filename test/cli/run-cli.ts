import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync } from "node:fs";
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

/**
 * A scratch copy of the bundled example, so tests never write into the example. It lives under the
 * repository (in the gitignored .test-tmp/) so that its vitest config resolves `vitest` from our node_modules.
 */
export function copyOfDemo(): string {
  mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, ".test-tmp", "demo-"));
  // Without a store left by `npm run demo`: every test starts from no snapshot.
  cpSync(join(repoRoot, "examples/demo"), dir, { recursive: true, filter: (source) => !source.split(/[\\/]/).includes(".shipgate") });
  // Its own repository, as a user's project would be (the parent repository ignores .test-tmp/).
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "shipgate-cli-"));
}

export const fixture = (path: string) => join(repoRoot, "test/fixtures", path);
