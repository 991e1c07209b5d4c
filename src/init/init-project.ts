import { access, readFile, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { ShipgateError } from "../errors.js";
import { detectChecks } from "./detect-checks.js";
import { detectStack } from "./detect-stack.js";
import { addToGitignore } from "./gitignore.js";
import { SECTIONS, renderConfig } from "./render-config.js";
import type { CollectorKind, ProposedCollector } from "./types.js";

export interface InitOptions {
  /** The repository root: what is detected, and where `.gitignore` lives. */
  root: string;
  /** The config file to write, relative to `root` (default shipgate.yaml). */
  configPath?: string;
  /** Replace an existing config file. */
  force?: boolean;
  /** Only propose: write neither the config nor `.gitignore`. */
  dryRun?: boolean;
}

export interface InitResult {
  /** Every proposal, the commented-out ones (`disabled`) included. */
  collectors: ProposedCollector[];
  /** The config text (written unless dry run). */
  config: string;
  /** The `$schema` path written into the config, relative to it; null when no copy of the schema is reachable. */
  schema: string | null;
  /** What was written: the config's path, and the lines added to `.gitignore` (empty: it already had them). */
  wrote: { config: string; gitignore: { path: string; added: string[] } } | null;
}

const KINDS = Object.keys(SECTIONS) as CollectorKind[];

const exists = (path: string) => access(path).then(() => true, () => false);

/** This installation's JSON Schema for shipgate.yaml (published in the package's `schema/` folder). */
const INSTALLED_SCHEMA = fileURLToPath(new URL("../../schema/shipgate.schema.json", import.meta.url));

/**
 * The `$schema` reference for a config in `configDir`, relative to it: this installation's schema when
 * it lies inside the project (shipgate's own repository, or node_modules/shipgate), else the project's
 * node_modules/shipgate copy, else null (run through npx or a global install: no stable path to name).
 */
async function schemaRef(configDir: string): Promise<string | null> {
  const candidates = [INSTALLED_SCHEMA, join(configDir, "node_modules/shipgate/schema/shipgate.schema.json")];
  for (const candidate of candidates) {
    const rel = relative(configDir, candidate);
    if (!rel.startsWith("..") && !isAbsolute(rel) && (await exists(candidate))) return rel.split(sep).join("/");
  }
  return null;
}

/** Writes `path`; a folder in the way or a path that cannot be written is a WRITE_FAILED error, not a crash. */
async function writeOrFail(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ShipgateError("WRITE_FAILED", `[init] cannot write ${path}: ${code === "EISDIR" ? "it is a directory" : (error as Error).message}`, {
      hint: code === "EISDIR" ? "name a file, not a folder" : "check the path and its folder's permissions",
      cause: error,
    });
  }
}

/** `shipgate init`: detect the stack, write a commented shipgate.yaml and ignore what shipgate writes. */
export async function initProject(options: InitOptions): Promise<InitResult> {
  const { root } = options;
  const target = join(root, options.configPath ?? "shipgate.yaml");
  // In the order the config lists them: tests, lint, types, security.
  const collectors = [...(await detectStack(root)), ...(await detectChecks(root))].sort((a, b) => KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind));
  const schema = await schemaRef(dirname(target));
  const config = renderConfig(collectors, schema);
  if (options.dryRun) return { collectors, config, schema, wrote: null };

  if ((await exists(target)) && !options.force) {
    throw new ShipgateError("USAGE", `[init] ${target} already exists`, {
      hint: "pass --force to overwrite it, or --stdout to print the proposal",
    });
  }
  await writeOrFail(target, config);
  const gitignorePath = join(root, ".gitignore");
  const existing = await readFile(gitignorePath, "utf8").catch(() => undefined);
  const folders = [".shipgate", ...collectors.filter((c) => !c.disabled).flatMap((c) => c.outputDirs)];
  const update = addToGitignore(existing, folders);
  if (update.text !== null) await writeOrFail(gitignorePath, update.text);
  return { collectors, config, schema, wrote: { config: target, gitignore: { path: gitignorePath, added: update.added } } };
}
