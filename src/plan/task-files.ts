/**
 * Whether changed paths fall within a task's `files` globs: the ownership check of `shipgate run` (on an attempt's
 * diff) and of `shipgate mcp` (on the checkout's changes since the claim). Pure.
 */
import picomatch from "picomatch";
import { PLAN_GLOB_OPTIONS } from "./glob-overlap.js";

/** A test of one path against `files` (plan globs; a leading `./` ignored). No files: nothing matches. */
export function taskFilesMatcher(files: readonly string[]): (path: string) => boolean {
  if (files.length === 0) return () => false;
  return picomatch(
    files.map((f) => f.replace(/^\.\//, "")),
    PLAN_GLOB_OPTIONS,
  );
}

/** Files changed outside the task's `files` (paths relative to the project root, or to the repository for those outside it). */
export function filesOutside(changed: readonly string[], files: readonly string[]): string[] {
  const match = taskFilesMatcher(files);
  return changed.filter((f) => !match(f));
}

/**
 * A repository-relative path as the plan writes paths: relative to the project folder `prefix` (its path inside the
 * repository, "" at the top level), or `/path` for a file of the repository outside the project.
 */
export function projectPath(repoPath: string, prefix: string): string {
  if (prefix === "") return repoPath;
  return repoPath.startsWith(`${prefix}/`) ? repoPath.slice(prefix.length + 1) : `/${repoPath}`;
}
