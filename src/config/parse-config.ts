import { createHash } from "node:crypto";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import type { z } from "zod";
import { ShipgateError } from "../errors.js";
import { CONDITION, metricNames } from "../score/score.js";
import { gateProblems } from "./gates.js";
import type { LoadedConfig } from "./loaded-config.js";
import { locate } from "./locate.js";
import { configSchema } from "./schema.js";

/** Parses and validates shipgate.yaml's text; an invalid one is CONFIG_INVALID with file:line. */
export function parseConfig(text: string, name: string, absolute: string | null = null): LoadedConfig {
  let data: unknown;
  try {
    data = loadYaml(text, { filename: name, schema: CORE_SCHEMA });
  } catch (error) {
    const mark = (error as { mark?: { line: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    throw new ShipgateError("CONFIG_INVALID", `[config] ${name}${mark ? `:${mark.line + 1}` : ""}: not valid YAML: ${reason}`, {
      hint: "fix the YAML syntax at that line (indentation, quotes, a missing colon)",
      cause: error,
    });
  }
  if (data === undefined || data === null) data = {};
  const parsed = configSchema.safeParse(data);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => describeIssue(issue, text, name));
    throw new ShipgateError("CONFIG_INVALID", lines.join("\n"), {
      hint: "see docs/config.md, or the JSON Schema in schema/shipgate.schema.json for what each key accepts",
    });
  }
  const known = new Set(metricNames());
  const unknown: string[] = [];
  const check = (condition: string, path: (string | number)[]) => {
    const metric = CONDITION.exec(condition)?.[1];
    if (metric !== undefined && !known.has(metric)) {
      const line = locate(text, path);
      unknown.push(`[config] ${name}${line ? `:${line}` : ""}: ${path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").slice(1)}: unknown metric "${metric}"`);
    }
  };
  parsed.data.score.critical.forEach((c, i) => check(c, ["score", "critical", i]));
  parsed.data.score.levels?.forEach((level, i) => level.require.forEach((c, j) => check(c, ["score", "levels", i, "require", j])));
  for (const problem of gateProblems(parsed.data)) {
    const line = locate(text, problem.path);
    unknown.push(`[config] ${name}${line ? `:${line}` : ""}: ${problem.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${p}`)).join("").slice(1)}: ${problem.message}`);
  }
  if (unknown.length > 0) {
    throw new ShipgateError("CONFIG_INVALID", unknown.join("\n"), { hint: "docs/config.md lists the metrics a level condition can name, docs/gates.md those of each gate scope" });
  }
  return { config: parsed.data, file: absolute, hash: createHash("sha256").update(text).digest("hex"), text, shownAs: name };
}

/**
 * A union (a condition written as a string or as an object) fails as a whole with "Invalid input";
 * the branch whose shape matched says what is actually wrong, so report its first issue.
 */
function unwrapUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union" || issue.errors.length === 0) return issue;
  const branches = issue.errors.filter((b) => b.length > 0 && !(b.length === 1 && b[0]?.code === "invalid_type" && b[0].path.length === 0));
  const inner = branches[0]?.[0];
  return inner ? unwrapUnion({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

function describeIssue(raw: z.core.$ZodIssue, text: string, name: string): string {
  const issue = unwrapUnion(raw);
  const path = issue.path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("").replace(/^\./, "");
  const line = locate(text, issue.path);
  let message = issue.message;
  if (issue.code === "unrecognized_keys") message = `unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  return `[config] ${name}${line ? `:${line}` : ""}: ${path || "(top level)"}: ${message}`;
}
