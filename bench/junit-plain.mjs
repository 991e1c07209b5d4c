// An entity-free JUnit input derived from gen.mjs's report: gen.mjs writes entities (&lt; &gt; &amp; &quot;)
// into every test name, but most real reports hold none, and a report without `&` takes other paths
// through the parser (a search for `&` that ran to the chunk's end hid behind the entities once).
import { existsSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";

/** What each of gen.mjs's entities becomes: one plain character each, so names stay as unique as before. */
const PLAIN = { "&lt;": "(", "&gt;": ")", "&amp;": "+", "&quot;": "'" };

/**
 * Returns `{ path, bytes }` of `path`, written from the gen.mjs report `source` with every entity replaced
 * (see PLAIN); rewritten whenever `source` is newer. Refuses a source holding any other `&`.
 */
export function ensurePlainJunit(source, path) {
  if (existsSync(path) && statSync(path).mtimeMs >= statSync(source).mtimeMs) return { path, bytes: statSync(path).size };
  const text = readFileSync(source, "utf8").replace(/&(?:lt|gt|amp|quot);/g, (entity) => PLAIN[entity]);
  if (text.includes("&")) throw new Error(`[bench] ${source} holds an entity other than ${Object.keys(PLAIN).join(" ")}: cannot derive an entity-free report`);
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
  return { path, bytes: statSync(path).size };
}
