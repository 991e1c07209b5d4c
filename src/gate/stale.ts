import type { GitState } from "../store/types.js";

/** The git state a snapshot measured, or the checkout is in, as far as a comparison needs it. */
export interface CheckoutState {
  commit: string | null;
  dirty: boolean | null;
  /** The working tree's git tree when dirty; null when clean or not recorded. */
  tree: string | null;
}

/**
 * A judged snapshot that may not measure the checkout as it is now. `reason`: `commit` (HEAD moved),
 * `working-tree` (same commit, uncommitted changes differ), `unknown` (one side cannot be read: not in git,
 * git failed, or uncommitted changes whose tree was not recorded).
 */
export interface StaleSnapshot {
  reason: "commit" | "working-tree" | "unknown";
  measured: CheckoutState;
  now: CheckoutState;
}

const state = (git: GitState): CheckoutState => ({ commit: git.commit, dirty: git.dirty, tree: git.dirty ? git.tree : null });

/**
 * Compares what a snapshot measured with the checkout now: null when they are the same code (or neither
 * is a git checkout: nothing to compare), else why they may differ. Untracked files are not compared
 * (readGitState does not record them).
 */
export function compareCheckout(measured: GitState, now: GitState): StaleSnapshot | null {
  const m = state(measured);
  const n = state(now);
  const stale = (reason: StaleSnapshot["reason"]): StaleSnapshot => ({ reason, measured: m, now: n });
  if (m.commit === null && n.commit === null) return null;
  if (m.commit === null || n.commit === null) return stale("unknown");
  if (m.commit !== n.commit) return stale("commit");
  if (m.dirty === null || n.dirty === null) return stale("unknown");
  if (m.dirty !== n.dirty) return stale("working-tree");
  if (!m.dirty) return null;
  if (m.tree === null || n.tree === null) return stale("unknown");
  return m.tree === n.tree ? null : stale("working-tree");
}
