import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { ShipgateError } from "../../errors.js";
import type { CliIo } from "../output.js";

export interface DocsCheckCommandOptions {
  cwd: string;
  /** The config whose `docs.ignore` applies (default shipgate.yaml under --cwd, when there is one). */
  config?: string;
  json?: boolean;
  /** Also fetch external http(s) links. */
  online?: boolean;
}

/**
 * `shipgate docs check [PATH…]`: the offline link check. Paths are relative to the current directory
 * (default: all of --cwd). Prints `file:line: target — reason` per broken link and a summary, or the
 * whole result with --json. Exit 1 when a link is broken, 0 when none is.
 */
export async function docsCheckCommand(paths: string[], options: DocsCheckCommandOptions, io: CliIo): Promise<number> {
  const [{ checkDocsLinks }, { loadConfig, CONFIG_FILE }] = await Promise.all([import("../../facts/docs-links.js"), import("../../config/load-config.js")]);
  const root = options.cwd;
  // The same links are skipped as in `assess`: docs.ignore of shipgate.yaml (or --config), when there is one.
  const { config } = await loadConfig(resolve(root, options.config ?? CONFIG_FILE), { required: options.config !== undefined, cwd: process.cwd() });
  // Like every file argument, paths are relative to the current directory (not --cwd).
  const absolute = paths.map((p) => resolve(process.cwd(), p));
  const missing = paths.filter((_, i) => !existsSync(absolute[i] as string));
  if (missing.length > 0) {
    throw new ShipgateError("USAGE", `[docs] no such file or directory: ${missing.join(", ")}`, { hint: "Paths are relative to the current directory; run without paths to check every markdown file under --cwd." });
  }
  const progress = progressPrinter(io);
  const result = await checkDocsLinks({
    root,
    ...(absolute.length > 0 ? { paths: absolute } : {}),
    online: options.online === true,
    ...(config.docs.ignore ? { ignore: config.docs.ignore } : {}),
    onProgress: progress.update,
  });
  progress.done();

  if (options.json) {
    io.stdout(`${JSON.stringify(result, null, 2)}\n`);
    return result.broken.length > 0 ? 1 : 0;
  }
  const { forTerminal } = await import("../../report/sanitize.js");
  // Link targets are the repository's markdown, which a pull request writes: one clean line each.
  for (const d of result.diagnostics) io.stderr(`[docs] ${d.level}: ${forTerminal(d.message)}\n`);
  for (const u of result.unchecked) {
    if (u.reason === "outside-repository") io.stderr(`[docs] info: ${forTerminal(`${u.file}:${u.line}: ${u.target}`)} points outside the repository; not checked\n`);
  }
  for (const b of result.broken) io.stdout(`${forTerminal(`${b.file}:${b.line}: ${b.target} — ${b.reason}`)}\n`);
  const brokenFiles = new Set(result.broken.map((b) => b.file)).size;
  const checked = `${plural(result.files, "file")} and ${plural(result.links, "link")} checked`;
  const external = result.external.length === 0 ? "" : options.online ? `; ${plural(result.external.length, "external link")} fetched` : `; ${plural(result.external.length, "external link")} not fetched (--online checks them)`;
  const outside = result.unchecked.filter((u) => u.reason === "outside-repository").length;
  const ignored = result.unchecked.length - outside;
  const skipped = `${outside === 0 ? "" : `; ${plural(outside, "link")} outside the repository not checked`}${ignored === 0 ? "" : `; ${plural(ignored, "link")} ignored (docs.ignore)`}`;
  const verdict = result.broken.length === 0 ? "no broken links" : `${plural(result.broken.length, "broken link")} in ${plural(brokenFiles, "file")}`;
  io.stdout(`${verdict} — ${checked}${external}${skipped}\n`);
  return result.broken.length > 0 ? 1 : 0;
}

/** A live counter on an interactive terminal after the first second; silent otherwise (CI logs stay clean). */
function progressPrinter(io: CliIo): { update: (done: number, total: number) => void; done: () => void } {
  const live = io.isTty && !io.isCi;
  const started = Date.now();
  let last = 0;
  let shown = false;
  return {
    update: (done, total) => {
      if (!live) return;
      const now = Date.now();
      if (now - started < 1000 || now - last < 100) return;
      last = now;
      shown = true;
      io.stderr(`\r[docs] ${done}/${total} …`);
    },
    done: () => {
      if (shown) io.stderr("\r\u001b[K");
    },
  };
}

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
