/** The git state a snapshot was taken at; each field null when not in a git checkout. */
export interface GitState {
  commit: string | null;
  branch: string | null;
  dirty: boolean | null;
  /** The working tree's git tree when it differed from `commit` (uncommitted or untracked files); null when clean. */
  tree: string | null;
}
