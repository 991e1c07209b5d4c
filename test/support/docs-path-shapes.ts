// A docs tree whose links exercise how the docs check resolves a relative path: every shape of destination
// (`./`, `../../`, climbs above the root, `.` and `..` segments inside, doubled slashes, rooted paths, encoded
// characters, folders with and without a trailing slash, case-only mismatches, typos with and without a
// suggestion, paths through a file) from files at every depth, with and without fragments and queries.
// Deterministic: the same tree on every run, so its findings can be compared by digest.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Folders of the tree, from its root ("" is the root). */
const FOLDERS = ["", "docs", "docs/guide", "docs/guide/deep", "api", "api/v1", "Assets"];
/** Files in every folder besides the markdown pages. */
const OTHER_FILES = ["logo.png", "script.ts", "data.json"];
/** Page names in every folder; the mixed-case ones make case-only mismatches and typos possible. */
const PAGES = ["index.md", "Guide.md", "install-linux.md", "café.md", "a b.md", "x.markdown", "CHANGELOG.MD", "long-page-name-for-typos.md"];

/** Destinations written relative to a file in `folder`, and by root-relative or odd spellings. */
function destinations(folder: string, pageIndex: number): string[] {
  const up = folder === "" ? [] : folder.split("/").map(() => "..");
  const toRoot = up.length === 0 ? "./" : `${up.join("/")}/`;
  const page = PAGES[pageIndex % PAGES.length] as string;
  const other = PAGES[(pageIndex + 3) % PAGES.length] as string;
  const frags = ["", "#section-1", "#Section-2", "#user-content-section-1", "#nope", "#L10", "#sectoin-1", "#caf%C3%A9-part"];
  const frag = (i: number) => frags[(pageIndex + i) % frags.length] as string;
  const shapes = [
    page, `./${page}`, `././${page}`, `${toRoot}${page}`, `${toRoot}docs/${other}`, `${toRoot}docs/guide/${page}`,
    `${toRoot}docs/guide/deep/${other}`, `${toRoot}api/v1/${page}`, `${toRoot}../${page}`, `${toRoot}../../x.md`,
    `../${page}`, `../../${page}`, `../../../${page}`, `../../../../${page}`,
    `/${page}`, `/docs/${other}`, `/docs//${page}`, `/`, `/docs/`, `/docs`, `/nope/`,
    `docs`, `docs/`, `./docs/guide/`, `guide`, `guide/`, `deep/`, `.`, `./`, `..`, `../`, `../..`,
    `sub/../${page}`, `docs/./${page}`, `docs/../${page}`, `docs//${page}`, `.//${page}`, `..//${page}`,
    `./.${page}`, `.hidden.md`, `${page}/`, `${page}/more.md`, `${page}/..`,
    page.toLowerCase(), page.toUpperCase(), `${toRoot}docs/${other.toUpperCase()}`, `${toRoot}assets/logo.png`,
    `${toRoot}Assets/logo.png`, `${toRoot}Assets/Logo.png`, `${toRoot}Assets/logo.pgn`, `logo.png`, `script.ts#L3`, `data.json#x`,
    `long-page-name-for-typo.md`, `long-page-nmae-for-typos.md`, `lnog-paeg-nmae-fro-typso.md`, `ab.md`, `Index.md`, `idnex.md`,
    `caf%C3%A9.md`, `caf%c3%a9.md`, `café.md`, `a%20b.md`, `a b.md`, `%2E%2E/${page}`, `docs%2F${page}`, `100%.md`, `%E0%A4%A.md`,
    `${page}?plain=1#L5`, `${page}?x=1`, `?plain=1#L1`, `#section-1`, `#nope`, `${page}#`, `missing-${pageIndex}.md`,
    `${toRoot}docs/missing-${pageIndex}.md`, `${toRoot}nofolder/${page}`, `api/v1/${page}`, `v1/${page}`, `deep/${other}`,
  ];
  return shapes.map((s, i) => (s.includes("#") || s.includes("?") ? s : `${s}${frag(i)}`));
}

function page(folder: string, name: string, pageIndex: number): string {
  const lines = [`# ${name} in ${folder || "root"}`, "", "## Section 1", "", "## Section 2", "", "## Café part", ""];
  destinations(folder, pageIndex).forEach((dest, i) => {
    lines.push(dest.includes(" ") ? `Link ${i}: [t${i}](<${dest}>)` : `Link ${i}: [t${i}](${dest}) and ![i${i}](${dest})`, "");
  });
  return lines.join("\n");
}

/** Writes the tree under `root` (which must exist and be empty); returns the number of markdown files written. */
export function writePathShapesTree(root: string): number {
  let written = 0;
  FOLDERS.forEach((folder, f) => {
    const dir = join(root, folder);
    mkdirSync(dir, { recursive: true });
    for (const file of OTHER_FILES) writeFileSync(join(dir, file), "x\n");
    PAGES.forEach((name, p) => {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, page(folder, name, f * PAGES.length + p));
      written++;
    });
  });
  // A markdown file in a folder the checks below leave out of `paths`, so links into it read it for its anchors only.
  mkdirSync(join(root, "outside"), { recursive: true });
  writeFileSync(join(root, "outside", "only-anchors.md"), "# Only anchors\n\n## Section 1\n");
  return written;
}
