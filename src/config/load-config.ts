import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { ShipgateError } from "../errors.js";
import { defaultConfig } from "./defaults.js";
import type { LoadedConfig } from "./loaded-config.js";

export const CONFIG_FILE = "shipgate.yaml";

// In their own modules so that parse-config (loaded lazily from here) needs nothing from this file.
export type { LoadedConfig } from "./loaded-config.js";
export { locate } from "./locate.js";

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


function shown(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel.startsWith("..") ? path : rel;
}
