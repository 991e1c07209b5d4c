import { gitOutput } from "./process.js";

export interface ListGitFilesOptions {
  /** Most bytes of `git ls-files` output read; a longer list reads as null (the caller walks instead). Default: no limit. */
  maxBytes?: number;
}

/**
 * The files of the git work tree under `dir` that git shows: tracked and untracked, never ignored
 * (`git ls-files --cached --others --exclude-standard`), relative to `dir` with "/" separators, each once.
 * `pathspecs` narrow the list the way git reads them (e.g. `:(icase)*.md`). Null when `dir` is not in a git
 * work tree or git cannot run: the caller then walks the directory itself.
 */
export async function listGitFiles(dir: string, pathspecs: readonly string[] = [], options: ListGitFilesOptions = {}): Promise<string[] | null> {
  let stdout: string;
  try {
    const out = await gitOutput(
      dir,
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard", ...(pathspecs.length > 0 ? ["--", ...pathspecs] : [])],
      { flags: ["--no-optional-locks", "-c", "core.quotePath=false"], ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) },
    );
    if (out.code !== 0) return null;
    stdout = out.stdout;
  } catch {
    return null;
  }
  // A file with merge conflicts is listed once per stage.
  return [...new Set(stdout.split("\0").filter((p) => p !== ""))];
}
