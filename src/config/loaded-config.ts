import type { ShipgateConfig } from "./schema.js";

/** What loadConfig returns: the config and where it came from. */
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
