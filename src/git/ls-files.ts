import { spawnGit } from "./process.js";

/**
 * The files of the git work tree under `dir` that git shows: tracked and untracked, never ignored
 * (`git ls-files --cached --others --exclude-standard`), relative to `dir` with "/" separators, each once.
 * `pathspecs` narrow the list the way git reads them (e.g. `:(icase)*.md`). Null when `dir` is not in a git
 * work tree or git cannot run: the caller then walks the directory itself.
 */
export async function listGitFiles(dir: string, pathspecs: readonly string[] = []): Promise<string[] | null> {
  const chunks: Buffer[] = [];
  try {
    const exit = await spawnGit(
      dir,
      ["--no-optional-locks", "-c", "core.quotePath=false"],
      ["ls-files", "-z", "--cached", "--others", "--exclude-standard", ...(pathspecs.length > 0 ? ["--", ...pathspecs] : [])],
      (chunk) => chunks.push(chunk),
      "[git]",
    );
    if (exit.code !== 0) return null;
  } catch {
    return null;
  }
  // A file with merge conflicts is listed once per stage.
  return [...new Set(Buffer.concat(chunks).toString("utf8").split("\0").filter((p) => p !== ""))];
}
