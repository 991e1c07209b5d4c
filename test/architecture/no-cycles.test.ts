import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { findCycles, importGraph, sourceFiles, type ImportEdge } from "./import-graph.js";

const root = fileURLToPath(new URL("../../", import.meta.url));

/** src/cli/commands/gate.ts → src/cli; src/errors.ts stays itself. */
const folderOf = (file: string) => (file.split("/").length > 2 ? file.split("/").slice(0, 2).join("/") : file);

function edges(graph: Map<string, ImportEdge[]>, keep: (edge: ImportEdge) => boolean, group: (file: string) => string = (f) => f): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  for (const [from, list] of graph) {
    const a = group(from);
    if (!out.has(a)) out.set(a, new Set());
    for (const edge of list) {
      const b = group(edge.to);
      // Inside one folder, files import each other freely; a file importing itself is still a cycle.
      if (keep(edge) && (a !== b || from === edge.to)) out.get(a)?.add(b);
    }
  }
  return new Map([...out].map(([k, v]) => [k, [...v]]));
}

const named = (cycles: string[][]) => cycles.map((cycle) => cycle.join(" → "));

describe("the import graph of src/", () => {
  const graph = importGraph(root, sourceFiles(root, "src"));

  it("reads the imports of every source file", () => {
    expect(graph.size).toBeGreaterThan(100);
    expect(graph.get("src/app/assess.ts")?.map((e) => e.to)).toContain("src/snapshot/summary.ts");
    // A lazy `import("…")` in a command counts like a static import.
    expect(graph.get("src/cli/commands/gate.ts")?.map((e) => e.to)).toContain("src/app/run-gate.ts");
  });

  // Type-only imports (`import type`, `export type … from`) count here: a file cycle through types is still two
  // files that cannot be understood apart.
  it("has no cycle between files, type-only imports included", () => {
    expect(named(findCycles(edges(graph, () => true)))).toEqual([]);
  });

  // Between folders (src/<folder>/…), imports that run count; type-only ones are left out: the store's record
  // types (store/types.ts) are the data contract most folders read.
  it("has no cycle between folders through imports that run", () => {
    expect(named(findCycles(edges(graph, (e) => !e.typeOnly, folderOf)))).toEqual([]);
  });
});

describe("findCycles", () => {
  it("names each cycle as a closed path, and nothing for a graph without one", () => {
    const graph = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a", "d"]],
      ["d", []],
      ["e", ["e"]],
    ]);
    expect(named(findCycles(graph))).toEqual(["a → b → c → a", "e → e"]);
    expect(findCycles(new Map([["a", ["b"]], ["b", []]]))).toEqual([]);
  });

  it("finds a cycle through static, re-export, dynamic and type-only imports, and ignores comments", () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-cycles-"));
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    };
    try {
      write("src/a.ts", 'import { b } from "./b.js";\n// import { d } from "./d.js";\nexport const a = b;\n');
      write("src/b.ts", 'export { c as b } from "./sub/c.js";\n');
      write("src/sub/c.ts", 'export const c = async () => import("../d.js");\n');
      write("src/d.ts", 'import type { A } from "./a.js";\nexport type D = A;\n');
      const found = importGraph(dir, sourceFiles(dir, "src"));
      expect(found.get("src/d.ts")).toEqual([{ to: "src/a.ts", typeOnly: true }]);
      expect(named(findCycles(edges(found, () => true)))).toEqual(["src/a.ts → src/b.ts → src/sub/c.ts → src/d.ts → src/a.ts"]);
      expect(findCycles(edges(found, (e) => !e.typeOnly))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
