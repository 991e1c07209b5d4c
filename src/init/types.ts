/** What a proposed collector measures: the section of shipgate.yaml it is written under. */
export type CollectorKind = "tests" | "lint" | "types" | "security";

/**
 * A collector `shipgate init` proposes. Rendered as one `collectors[]` entry with `why` (and `note`)
 * as its comment; with `disabled`, rendered commented out, because shipgate cannot read its report yet
 * or the tool cannot run as detected.
 */
export interface ProposedCollector {
  name: string;
  kind: CollectorKind;
  /** What was detected, in the user's words: "vitest in package.json". */
  why: string;
  command: string;
  /** Relative to the repository root; absent for the root. */
  cwd?: string;
  env?: Record<string, string>;
  timeout: string;
  /** Paths relative to the repository root (not to `cwd`), as shipgate.yaml wants them. */
  reports: { path: string; format?: string }[];
  /** Folders the command writes its reports into, relative to the repository root: `.gitignore` gets them. */
  outputDirs: string[];
  /** What the user may need to install or know. */
  note?: string;
  /** Why this proposal is written commented out. */
  disabled?: string;
}

/** A package.json, as far as detection reads it. */
export interface PackageJson {
  name?: string;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  workspaces?: string[] | { packages?: string[] };
  eslintConfig?: unknown;
}
