import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { ShipgateError } from "../errors.js";
import { defaultConfig } from "./defaults.js";
import type { ShipgateConfig } from "./schema.js";

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
    if (code === "ENOENT" && !options.required) return { config: defaultConfig(), file: null, hash: null, text: null, shownAs: null };
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
  // The YAML and schema validation load only when there is a file to validate (see defaults.ts).
  const { parseConfig } = await import("./parse-config.js");
  return parseConfig(text, shown(path, options.cwd), path);
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
