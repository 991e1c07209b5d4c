import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";

/** One import of a module: where it points and whether only types cross it (erased at run time). */
export interface ImportEdge {
  to: string;
  typeOnly: boolean;
}

// `import … from "x"`, `export … from "x"`, `import "x"`: the clause before `from` holds no quote or semicolon.
const STATIC = /(^|[;\s])(import|export)(\s+type)?\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/g;
const DYNAMIC = /\bimport\(\s*["']([^"']+)["']\s*\)/g;

/** Every `.ts` file under `dir`, as paths relative to `root` with "/" separators. */
export function sourceFiles(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...sourceFiles(root, path));
    else if (entry.isFile() && entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(path);
  }
  return out.sort();
}

/** Strips comments (and the text of template literals is kept: an import string inside one would count). */
function stripComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/(^|[^:"'`\\])\/\/[^\n]*/g, "$1");
}

/** The relative imports of each file (static `import`/`export … from` and `import("…")`), resolved to files under `root`. */
export function importGraph(root: string, files: readonly string[]): Map<string, ImportEdge[]> {
  const known = new Set(files);
  const graph = new Map<string, ImportEdge[]>();
  for (const file of files) {
    const source = stripComments(readFileSync(join(root, file), "utf8"));
    const edges: ImportEdge[] = [];
    const add = (spec: string, typeOnly: boolean) => {
      if (!spec.startsWith(".")) return;
      const target = relative(root, resolve(root, dirname(file), spec.replace(/\.js$/, ".ts"))).split("\\").join("/");
      if (known.has(target)) edges.push({ to: target, typeOnly });
    };
    for (const m of source.matchAll(STATIC)) add(m[4] ?? "", m[3] !== undefined);
    for (const m of source.matchAll(DYNAMIC)) add(m[1] ?? "", false);
    graph.set(file, edges);
  }
  return graph;
}

/**
 * The cycles of a graph, one per strongly connected component with more than one node (or a node importing
 * itself), each as a closed path `a → b → … → a` found by a breadth-first search inside the component.
 */
export function findCycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  // Tarjan's algorithm, iterative so that a long import chain cannot overflow the call stack.
  for (const start of graph.keys()) {
    if (indices.has(start)) continue;
    const work: { node: string; next: number }[] = [{ node: start, next: 0 }];
    indices.set(start, index);
    low.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1] as { node: string; next: number };
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const to = targets[frame.next++] as string;
        if (!indices.has(to)) {
          indices.set(to, index);
          low.set(to, index++);
          stack.push(to);
          onStack.add(to);
          work.push({ node: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(frame.node, Math.min(low.get(frame.node) as number, indices.get(to) as number));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) as number, low.get(frame.node) as number));
      if (low.get(frame.node) === indices.get(frame.node)) {
        const component: string[] = [];
        let node: string;
        do {
          node = stack.pop() as string;
          onStack.delete(node);
          component.push(node);
        } while (node !== frame.node);
        const selfLoop = component.length === 1 && (graph.get(frame.node) ?? []).includes(frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components.map((component) => shortestCycle(graph, new Set(component)));
}

/** A shortest closed path through the component's first node (sorted), staying inside the component. */
function shortestCycle(graph: ReadonlyMap<string, readonly string[]>, component: ReadonlySet<string>): string[] {
  const first = [...component].sort()[0] as string;
  const previous = new Map<string, string>();
  const queue = [first];
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i] as string;
    for (const to of graph.get(node) ?? []) {
      if (!component.has(to)) continue;
      if (to === first) {
        const path = [first];
        for (let at: string | undefined = node; at !== undefined && at !== first; at = previous.get(at)) path.splice(1, 0, at);
        return [...path, first];
      }
      if (!previous.has(to)) {
        previous.set(to, node);
        queue.push(to);
      }
    }
  }
  return [first, first];
}
