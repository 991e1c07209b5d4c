import type { BaselineSpec } from "./types.js";

export const BASELINE_NAME = /^[A-Za-z0-9][\w.\-/]*$/;

/**
 * "previous", "snapshot:12", "branch:main", "ref:origin/main", or a baseline name. Returns an error
 * message instead of a spec when the text is none of these.
 */
export function parseBaselineSpec(text: string): BaselineSpec | { error: string } {
  const value = text.trim();
  if (value === "previous") return { kind: "previous" };
  const colon = value.indexOf(":");
  if (colon > 0) {
    const kind = value.slice(0, colon);
    const rest = value.slice(colon + 1);
    if (rest === "") return { error: `"${value}" names no ${kind}` };
    if (kind === "snapshot") return /^\d+$/.test(rest) ? { kind: "snapshot", id: Number(rest) } : { error: `"${value}": a snapshot id is a number (see shipgate history)` };
    if (kind === "branch") return { kind: "branch", branch: rest };
    if (kind === "ref") return { kind: "ref", ref: rest };
    return { error: `"${value}": use previous, a baseline name, branch:NAME, ref:GIT_REF or snapshot:ID` };
  }
  if (!BASELINE_NAME.test(value)) return { error: `"${value}" is not a baseline name (letters, digits, . _ - /)` };
  return { kind: "named", name: value };
}

/** The text form of a spec, as reports show it. */
export function formatBaselineSpec(spec: BaselineSpec): string {
  switch (spec.kind) {
    case "previous": return "previous";
    case "named": return spec.name;
    case "branch": return `branch:${spec.branch}`;
    case "ref": return `ref:${spec.ref}`;
    case "snapshot": return `snapshot:${spec.id}`;
  }
}
