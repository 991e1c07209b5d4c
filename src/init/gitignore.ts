/** One `.gitignore` line as a comparable path: no leading or trailing slash. */
const bare = (line: string) => line.trim().replace(/^\//, "").replace(/\/$/, "");

/** True when `existing` (a .gitignore line) already ignores the folder `entry` (repository-relative). */
function covers(existing: string, entry: string): boolean {
  const line = existing.trim();
  if (line === "" || line.startsWith("#") || line.startsWith("!")) return false;
  const path = bare(line);
  if (path === bare(entry)) return true;
  // An unanchored name ("reports/", "reports") ignores that folder at every depth.
  const anchored = line.startsWith("/") || path.includes("/");
  return !anchored && bare(entry).split("/").at(-1) === path;
}

export interface GitignoreUpdate {
  /** The new file text, or null when every entry is already ignored (nothing to write). */
  text: string | null;
  added: string[];
}

/**
 * Adds the folders shipgate writes to a `.gitignore` (undefined: there is none yet), each once:
 * running it again adds nothing. Negations are not evaluated: a folder re-included by `!` is added.
 */
export function addToGitignore(existing: string | undefined, folders: string[]): GitignoreUpdate {
  const lines = (existing ?? "").split(/\r?\n/);
  const added: string[] = [];
  for (const folder of folders) {
    const entry = folder === ".shipgate" ? ".shipgate/" : `/${bare(folder)}/`;
    if (added.includes(entry) || lines.some((l) => covers(l, entry))) continue;
    added.push(entry);
  }
  if (added.length === 0) return { text: null, added };
  const before = existing === undefined || existing === "" ? "" : existing.endsWith("\n") ? `${existing}\n` : `${existing}\n\n`;
  return { text: `${before}# shipgate: its local store and the reports its collectors write\n${added.join("\n")}\n`, added };
}
