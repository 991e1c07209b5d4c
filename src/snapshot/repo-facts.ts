// The repository facts a snapshot records (facts/repo-facts.ts collects them from the repository's files).

/** One repository fact: whether it holds, and the file (and line) that proves it. */
export interface RepoFact {
  present: boolean;
  /** Repository-relative `path` or `path:line`, or null when absent. */
  evidence: string | null;
}

export const REPO_FACT_KEYS = [
  "readme",
  "license",
  "security_policy",
  "contributing",
  "docs_index",
  "ci",
  "lockfile",
  "metrics",
  "tracing",
  "structured_logging",
  "health_endpoint",
] as const;
export type RepoFactKey = (typeof REPO_FACT_KEYS)[number];
export type RepoFacts = Record<RepoFactKey, RepoFact>;
