import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import type { z } from "zod";
import { ShipgateError } from "../errors.js";
import { CONDITION, metricNames } from "../score/score.js";
import { gateProblems } from "./gates.js";
import { configSchema, type ShipgateConfig } from "./schema.js";

export const CONFIG_FILE = "shipgate.yaml";

export interface LoadedConfig {
  config: ShipgateConfig;
  /** Absolute path of the file, or null when no file exists and defaults are used. */
  file: string | null;
  /** sha256 of the file's bytes; null without a file. */
  hash: string | null;
  /** The file's text, for naming lines in later errors; null without a file. */
  text: string | null;
  /** The file as messages show it (relative to the working directory); null without a file. */
  shownAs: string | null;
}

/** Reads and validates shipgate.yaml. A missing file is fine unless `required`; an invalid one is CONFIG_INVALID with file:line. */
export async function loadConfig(path: string, options: { required: boolean; cwd: string }): Promise<LoadedConfig> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" && !options.required) return { config: configSchema.parse({ version: 1 }), file: null, hash: null, text: null, shownAs: null };
    if (code === "EISDIR") {
      throw new ShipgateError("CONFIG_INVALID", `[config] ${shown(path, options.cwd)} is a directory, not a config file`, {
        hint: options.required
          ? "pass --config the YAML file itself, e.g. --config path/to/shipgate.yaml"
          : `shipgate reads its settings from the file ${CONFIG_FILE}: rename or move that directory, or pass --config FILE`,
        cause: error,
      });
    }
    throw new ShipgateError("CONFIG_INVALID", `[config] ${shown(path, options.cwd)}: ${code === "ENOENT" ? "no such file" : `cannot read it (${code})`}`, {
      hint: code === "ENOENT" ? "run `shipgate init` to write one, or pass --report FILE to read reports without a config" : "check the file's permissions",
      cause: error,
    });
  }
  return parseConfig(text, shown(path, options.cwd), path);
}

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

/**
 * Best-effort line of a key path in YAML text. js-yaml gives no node positions, so this follows the
 * path through indentation: good enough for the block style people write configs in.
 */
export function locate(text: string, path: readonly PropertyKey[]): number | undefined {
  const lines = text.split(/\r?\n/);
  let from = 0;
  let indent = -1;
  let found: number | undefined;
  for (const segment of path) {
    let hit: number | undefined;
    if (typeof segment === "number") {
      let count = -1;
      for (let i = from; i < lines.length; i++) {
        const line = lines[i] as string;
        const m = /^(\s*)- /.exec(line) ?? /^(\s*)-$/.exec(line);
        const lineIndent = line.search(/\S/);
        if (lineIndent !== -1 && lineIndent <= indent && i > from && !m) break;
        if (m && (m[1] as string).length > indent - 1) {
          count++;
          if (count === segment) {
            hit = i;
            indent = (m[1] as string).length + 1;
            break;
          }
        }
      }
    } else {
      const key = String(segment).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const pattern = new RegExp(`^(\\s*(?:- )?)${key}\\s*:`);
      for (let i = from; i < lines.length; i++) {
        const m = pattern.exec(lines[i] as string);
        if (m && (m[1] as string).length >= indent) {
          hit = i;
          indent = (m[1] as string).length;
          break;
        }
      }
    }
    if (hit === undefined) return found;
    found = hit + 1;
    from = hit;
  }
  return found;
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith("..") ? path : rel;
}
