import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { extname, join, relative, resolve } from "node:path";
import { CORE_SCHEMA, load as loadYaml } from "js-yaml";
import { ShipgateError } from "../errors.js";
import { planLineIndex } from "../plan/plan-lines.js";
import type { Plan } from "../plan/types.js";
import { validatePlan } from "../plan/validate-plan.js";
import { PLAN_FILE } from "./plan-file.js";

export { PLAN_FILE };

/** A plan file, read and validated. */
export interface LoadedPlan {
  plan: Plan;
  /** Absolute path of the file. */
  file: string;
  /** sha256 of the file's bytes (hex): the store re-imports a plan only when it changes. */
  hash: string;
  /** The file's text, for naming lines in later messages. */
  text: string;
}

const HINT = "fix each listed line; docs/plan.md describes every key of a plan file";

/**
 * Reads and validates a plan file: YAML (.yaml, .yml) or JSON (.json; another extension by its first
 * character). Every problem is reported at once, each as `[plan] file:line: path: what`, in one
 * PLAN_INVALID error; a syntax error is PLAN_INVALID with its line; a missing file is NOT_FOUND.
 */
export async function loadPlan(path: string, options: { cwd: string }): Promise<LoadedPlan> {
  const file = resolve(options.cwd, path);
  const name = shown(file, options.cwd);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") {
      throw new ShipgateError("NOT_FOUND", `[plan] ${name}: no such file`, { hint: `pass --plan FILE, or write ${PLAN_FILE} (docs/plan.md)`, cause: error });
    }
    if (code === "EISDIR") {
      throw new ShipgateError("PLAN_INVALID", `[plan] ${name} is a directory, not a plan file`, { hint: `pass --plan the plan file itself (YAML or JSON), e.g. --plan ${join(name, PLAN_FILE)}`, cause: error });
    }
    throw new ShipgateError("PLAN_INVALID", `[plan] ${name}: cannot read it (${code ?? (error as Error).message})`, { hint: "check the file's permissions", cause: error });
  }
  const text = bytes.toString("utf8");
  const plan = parsePlan(text, name, formatOf(file, text));
  return { plan, file, hash: createHash("sha256").update(bytes).digest("hex"), text };
}

/** The format of a plan file: by extension, else JSON when it starts with `{` or `[`. */
export function formatOf(file: string, text: string): "yaml" | "json" {
  const ext = extname(file).toLowerCase();
  if (ext === ".yaml" || ext === ".yml") return "yaml";
  if (ext === ".json") return "json";
  const first = /\S/.exec(text.replace(/^\uFEFF/, ""))?.[0];
  return first === "{" || first === "[" ? "json" : "yaml";
}

/** Parses and validates plan text; `name` is how messages show the file. Throws PLAN_INVALID listing every problem. */
export function parsePlan(text: string, name: string, format: "yaml" | "json"): Plan {
  const body = text.replace(/^\uFEFF/, "");
  let data: unknown;
  try {
    data = format === "json" ? JSON.parse(body) : loadYaml(body, { filename: name, schema: CORE_SCHEMA });
  } catch (error) {
    throw syntaxError(error, body, name, format);
  }
  const { plan, problems } = validatePlan(data ?? {}, planLineIndex(body, format));
  if (plan === null || problems.length > 0) {
    const lines = problems.map((p) => `[plan] ${name}${p.line === null ? "" : `:${p.line}`}: ${p.message}`);
    throw new ShipgateError("PLAN_INVALID", lines.join("\n"), { hint: HINT });
  }
  return plan;
}

function syntaxError(error: unknown, text: string, name: string, format: "yaml" | "json"): ShipgateError {
  if (format === "yaml") {
    const mark = (error as { mark?: { line: number } }).mark;
    const reason = (error as { reason?: string }).reason ?? (error as Error).message;
    return new ShipgateError("PLAN_INVALID", `[plan] ${name}${mark ? `:${mark.line + 1}` : ""}: not valid YAML: ${reason}`, {
      hint: "fix the YAML syntax at that line (indentation, quotes, a missing colon)",
      cause: error,
    });
  }
  // Node 20 says "… in JSON at position 123"; later versions add "(line 4 column 7)".
  const message = (error as Error).message;
  const lineMatch = /\(line (\d+) column \d+\)/.exec(message);
  const position = /at position (\d+)/.exec(message);
  let line: number | null = lineMatch ? Number(lineMatch[1]) : null;
  if (line === null && position) {
    const offset = Math.min(Number(position[1]), text.length);
    line = 1;
    for (let at = text.indexOf("\n"); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) line++;
  }
  if (line === null && /end of JSON input/.test(message)) line = text.split("\n").length;
  const reason = message.replace(/\s*\(line \d+ column \d+\)/, "").replace(/ in JSON at position \d+.*$/, "");
  return new ShipgateError("PLAN_INVALID", `[plan] ${name}${line === null ? "" : `:${line}`}: not valid JSON: ${reason}`, {
    hint: "fix the JSON syntax at that line (a missing comma or quote, a trailing comma)",
    cause: error,
  });
}

function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith("..") || rel === "" ? path : rel;
}
