import type { Plan, PlanPhase, PlanTask } from "./types.js";

/**
 * A directed graph over the nodes 0 … size−1 in compressed form: the edges of node `i` go to
 * `targets[offsets[i]]` … `targets[offsets[i + 1] − 1]`. In this module an edge always points from
 * a node to one it waits for (its dependency).
 */
export interface IndexGraph {
  size: number;
  /** size + 1 entries. */
  offsets: Int32Array;
  targets: Int32Array;
}

/**
 * Builds an IndexGraph from parallel edge lists (`from[i]` waits for `to[i]`); each node's edges keep
 * their input order.
 */
export function indexGraph(size: number, from: ArrayLike<number>, to: ArrayLike<number>): IndexGraph {
  const offsets = new Int32Array(size + 1);
  for (let e = 0; e < from.length; e++) offsets[(from[e] as number) + 1]!++;
  for (let i = 0; i < size; i++) offsets[i + 1]! += offsets[i] as number;
  const fill = offsets.slice(0, size);
  const targets = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) targets[fill[from[e] as number]!++] = to[e] as number;
  return { size, offsets, targets };
}

/** The same nodes with every edge turned round (dependency → dependent). */
export function reverseGraph(graph: IndexGraph): IndexGraph {
  const { size, offsets, targets } = graph;
  const counts = new Int32Array(size + 1);
  for (let e = 0; e < targets.length; e++) counts[(targets[e] as number) + 1]!++;
  for (let i = 0; i < size; i++) counts[i + 1]! += counts[i] as number;
  const fill = counts.slice(0, size);
  const out = new Int32Array(targets.length);
  for (let v = 0; v < size; v++) {
    for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
      const w = targets[e] as number;
      out[fill[w]!++] = v;
    }
  }
  return { size, offsets: counts, targets: out };
}

/**
 * Strongly connected components that contain a cycle (two or more nodes, or one node with an edge
 * to itself), by Tarjan's algorithm with an explicit stack: no recursion, so 100 000 nodes in a chain
 * are fine. Components come in no particular order; nodes within one in no particular order.
 */
export function cyclicComponents(graph: IndexGraph): number[][] {
  const { size, offsets, targets } = graph;
  const index = new Int32Array(size).fill(-1);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack = new Int32Array(size);
  const callNode = new Int32Array(size);
  const callEdge = new Int32Array(size);
  let sp = 0;
  let counter = 0;
  const components: number[][] = [];
  for (let root = 0; root < size; root++) {
    if (index[root] !== -1) continue;
    let top = 0;
    callNode[0] = root;
    callEdge[0] = offsets[root] as number;
    index[root] = low[root] = counter++;
    stack[sp++] = root;
    onStack[root] = 1;
    while (top >= 0) {
      const v = callNode[top] as number;
      const e = callEdge[top] as number;
      if (e < (offsets[v + 1] as number)) {
        callEdge[top] = e + 1;
        const w = targets[e] as number;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack[sp++] = w;
          onStack[w] = 1;
          top++;
          callNode[top] = w;
          callEdge[top] = offsets[w] as number;
        } else if (onStack[w] === 1 && (index[w] as number) < (low[v] as number)) {
          low[v] = index[w] as number;
        }
        continue;
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack[--sp] as number;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || hasEdge(graph, v, v)) components.push(component);
      }
      top--;
      if (top >= 0) {
        const parent = callNode[top] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
    }
  }
  return components;
}

function hasEdge(graph: IndexGraph, from: number, to: number): boolean {
  for (let e = graph.offsets[from] as number; e < (graph.offsets[from + 1] as number); e++) if (graph.targets[e] === to) return true;
  return false;
}

/**
 * One cycle per cyclic component, as a path of nodes: each waits for the next, the last for the
 * first. It starts at the component's lowest node (the first in input order) and is the shortest way
 * back to it, so the message stays short however large the tangle. Cycles are sorted by first node.
 */
export function cyclePaths(graph: IndexGraph, components: number[][] = cyclicComponents(graph)): number[][] {
  const member = new Int32Array(graph.size).fill(-1);
  const parent = new Int32Array(graph.size).fill(-1);
  const paths: number[][] = [];
  components.forEach((component, c) => {
    for (const v of component) member[v] = c;
    // A loop, not Math.min(...component): a spread of 120 000 arguments overflows the stack.
    let start = component[0] as number;
    for (const n of component) if (n < start) start = n;
    // Breadth-first from start inside the component until an edge leads back to start.
    const queue = [start];
    parent[start] = start;
    let last = -1;
    for (let q = 0; q < queue.length && last === -1; q++) {
      const v = queue[q] as number;
      for (let e = graph.offsets[v] as number; e < (graph.offsets[v + 1] as number); e++) {
        const w = graph.targets[e] as number;
        if (w === start) {
          last = v;
          break;
        }
        if (member[w] === c && parent[w] === -1) {
          parent[w] = v;
          queue.push(w);
        }
      }
    }
    const path: number[] = [];
    for (let v = last; v !== start; v = parent[v] as number) path.push(v);
    path.push(start);
    path.reverse();
    for (const v of queue) parent[v] = -1;
    paths.push(path);
  });
  return paths.sort((a, b) => (a[0] as number) - (b[0] as number));
}

/**
 * Kahn's topological order, dependencies first; among nodes ready together, the lower node first.
 * Nodes on or behind a cycle are missing, so the result is shorter than `size` exactly when the
 * graph has a cycle.
 */
export function topologicalIndices(graph: IndexGraph, dependents: IndexGraph = reverseGraph(graph)): Int32Array {
  const { size, offsets } = graph;
  const waiting = new Int32Array(size);
  for (let v = 0; v < size; v++) waiting[v] = (offsets[v + 1] as number) - (offsets[v] as number);
  const order = new Int32Array(size);
  let head = 0;
  let tail = 0;
  for (let v = 0; v < size; v++) if (waiting[v] === 0) order[tail++] = v;
  while (head < tail) {
    const v = order[head++] as number;
    for (let e = dependents.offsets[v] as number; e < (dependents.offsets[v + 1] as number); e++) {
      const w = dependents.targets[e] as number;
      if (--waiting[w]! === 0) order[tail++] = w;
    }
  }
  return order.subarray(0, tail);
}

function idGraph(ids: readonly string[], deps: (id: string) => readonly string[]): IndexGraph {
  const at = new Map<string, number>();
  ids.forEach((id, i) => {
    if (!at.has(id)) at.set(id, i);
  });
  const from: number[] = [];
  const to: number[] = [];
  ids.forEach((id, i) => {
    for (const d of deps(id)) {
      const j = at.get(d);
      if (j !== undefined) {
        from.push(i);
        to.push(j);
      }
    }
  });
  return indexGraph(ids.length, from, to);
}

/**
 * The dependency cycles among `ids`, one per tangle (strongly connected component), each as a path
 * ["T3", "T7", "T9"]: T3 depends on T7, T7 on T9, T9 on T3. Dependencies that are not in `ids` are
 * ignored. Iterative: safe on 100 000 nodes.
 */
export function findCycles(ids: readonly string[], deps: (id: string) => readonly string[]): string[][] {
  return cyclePaths(idGraph(ids, deps)).map((path) => path.map((i) => ids[i] as string));
}

/** What `topoOrder` returns: an order, and the cycles that kept some ids out of it (as data, not an error). */
export interface TopoOrderResult {
  /** Every id after all its dependencies; ids on or behind a cycle are left out. */
  order: string[];
  /** The cycles, as `findCycles` returns them; empty when `order` holds every id. */
  cycles: string[][];
}

/** Orders `ids` so that each comes after the ids it depends on; ties keep input order. */
export function topoOrder(ids: readonly string[], deps: (id: string) => readonly string[]): TopoOrderResult {
  const graph = idGraph(ids, deps);
  const order = topologicalIndices(graph);
  const cycles = order.length < ids.length ? cyclePaths(graph).map((path) => path.map((i) => ids[i] as string)) : [];
  return { order: Array.from(order, (i) => ids[i] as string), cycles };
}

/**
 * The plan as one graph, with the phase order made explicit. Node `i < tasks` is `plan.tasks[i]`;
 * node `tasks + p` is "phase p may start" (waits for every phase p depends on being done); node
 * `tasks + phases + p` is "phase p is done" (waits for every task of p, and for p's start, so that an
 * empty phase still passes the order on). Every task waits for its dependencies and for its phase's
 * start. Edges point to what a node waits for.
 */
export interface PlanGraph {
  tasks: number;
  phases: number;
  size: number;
  /** Task id → node. */
  taskIndex: Map<string, number>;
  /** Phase id → p (start node tasks + p, done node tasks + phases + p). */
  phaseIndex: Map<string, number>;
  /** Node → the nodes it waits for. */
  waitsFor: IndexGraph;
  /** Node → the nodes waiting for it. */
  dependents: IndexGraph;
  /** Topological order, what is waited for first; shorter than `size` when there is a cycle. */
  order: Int32Array;
}

/** What a PlanGraph needs of a plan: ids, phases and dependencies (validation passes partly malformed items too). */
export interface PlanShape {
  tasks: readonly Pick<PlanTask, "id" | "phase" | "dependsOn">[];
  phases: readonly Pick<PlanPhase, "id" | "dependsOn">[];
}

/** Builds the PlanGraph of a plan; unknown ids in depends_on and phase are ignored (validation reports them). */
export function buildPlanGraph(plan: PlanShape): PlanGraph {
  const n = plan.tasks.length;
  const p = plan.phases.length;
  const taskIndex = new Map<string, number>();
  plan.tasks.forEach((t, i) => {
    if (!taskIndex.has(t.id)) taskIndex.set(t.id, i);
  });
  const phaseIndex = new Map<string, number>();
  plan.phases.forEach((ph, i) => {
    if (!phaseIndex.has(ph.id)) phaseIndex.set(ph.id, i);
  });
  // The edges are written node by node straight into the compressed arrays (no edge lists).
  const size = n + 2 * p;
  let bound = 2 * n + 2 * p;
  for (const t of plan.tasks) bound += t.dependsOn.length;
  for (const ph of plan.phases) bound += ph.dependsOn.length;
  const offsets = new Int32Array(size + 1);
  let targets = new Int32Array(bound);
  const phaseOf = new Int32Array(n);
  const members = new Int32Array(p);
  let at = 0;
  plan.tasks.forEach((task, i) => {
    offsets[i] = at;
    for (const d of task.dependsOn) {
      const j = taskIndex.get(d);
      if (j !== undefined) targets[at++] = j;
    }
    const ph = phaseIndex.get(task.phase) ?? -1;
    phaseOf[i] = ph;
    if (ph >= 0) {
      targets[at++] = n + ph;
      members[ph]!++;
    }
  });
  plan.phases.forEach((phase, k) => {
    offsets[n + k] = at;
    for (const d of phase.dependsOn) {
      const j = phaseIndex.get(d);
      if (j !== undefined) targets[at++] = n + p + j;
    }
  });
  const cursor = new Int32Array(p);
  for (let k = 0; k < p; k++) {
    offsets[n + p + k] = at;
    cursor[k] = at;
    at += members[k] as number;
    targets[at++] = n + k;
  }
  for (let i = 0; i < n; i++) {
    const ph = phaseOf[i] as number;
    if (ph >= 0) targets[cursor[ph]!++] = i;
  }
  offsets[size] = at;
  if (at < targets.length) targets = targets.slice(0, at);
  const waitsFor: IndexGraph = { size, offsets, targets };
  const dependents = reverseGraph(waitsFor);
  return { tasks: n, phases: p, size, taskIndex, phaseIndex, waitsFor, dependents, order: topologicalIndices(waitsFor, dependents) };
}

/** Answers "does task a depend on task b?" for many pairs. */
export interface Reachability {
  /**
   * True when task `a` depends on task `b` directly or transitively, through depends_on or through the
   * phase order (a task of a phase that depends on phase X depends on every task of X). False for
   * a === b and for unknown ids.
   */
  dependsOn(a: string, b: string): boolean;
}

/** GRAIL labelings (negative filter); four cut nearly all false queries on plan-shaped DAGs. */
const LABELINGS = 4;
/** Hubs (positive filter), in 32-bit words per node: 8 words, 256 hubs. */
const HUB_WORDS = 8;

/**
 * Reachability on the plan's DAG without a transitive closure (100 000² bits would not fit), in
 * three layers, each measured on the generated 100 000-task plan:
 * 1. Negative filter — a topological rank, and from four depth-first traversals in different orders
 *    an interval [least post-order rank below a node, its own] per node (GRAIL, Yildirim et al. 2010):
 *    if a reaches b, b comes first in topological order and each of b's intervals lies inside a's.
 * 2. Positive filter — 256 hubs spread over the topological order; each node knows, as bitsets, the
 *    hubs it depends on and the hubs that depend on it. A hub that a depends on and that depends on b
 *    proves a depends on b.
 * 3. Otherwise a depth-first search from a that skips nodes the filters rule out, stops at the first
 *    node the hubs prove, and dives toward b (the dependency earliest in topological order first);
 *    a visited stamp replaces a fresh set per query.
 * Build O((k + h/32)·(V + E)), memory O((k + h/32)·V).
 */
export function createReachability(plan: Pick<Plan, "tasks" | "phases">): Reachability {
  const graph = buildPlanGraph(plan);
  const { size, waitsFor, dependents, order } = graph;
  const { offsets } = waitsFor;
  // On a cycle (an unvalidated plan) the labels are unsound; fall back to the plain search.
  const acyclic = order.length === size;
  const topo = new Int32Array(size);
  order.forEach((v, i) => (topo[v] = i));
  const K = acyclic ? LABELINGS : 0;
  const labels = new Int32Array(size * K * 2);
  for (let k = 0; k < K; k++) label(waitsFor, k, labels, K);

  // Hubs: every (size / 256)th node in topological order. below[v]: hubs v depends on, v itself
  // included when a hub; above[v]: hubs that depend on v, v included.
  const W = acyclic ? HUB_WORDS : 0;
  const below = new Int32Array(size * W);
  const above = new Int32Array(size * W);
  if (W > 0) {
    const hubs = Math.min(W * 32, size);
    for (let h = 0; h < hubs; h++) {
      const v = order[Math.floor(((h + 0.5) * size) / hubs)] as number;
      below[v * W + (h >> 5)]! |= 1 << (h & 31);
      above[v * W + (h >> 5)]! |= 1 << (h & 31);
    }
    for (let i = 0; i < size; i++) {
      const v = order[i] as number;
      for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
        const w = waitsFor.targets[e] as number;
        for (let k = 0; k < W; k++) below[v * W + k]! |= below[w * W + k] as number;
      }
    }
    for (let i = size - 1; i >= 0; i--) {
      const v = order[i] as number;
      for (let e = dependents.offsets[v] as number; e < (dependents.offsets[v + 1] as number); e++) {
        const u = dependents.targets[e] as number;
        for (let k = 0; k < W; k++) above[v * W + k]! |= above[u * W + k] as number;
      }
    }
  }
  // The search pops the dependency earliest in topological order first: it dives toward b.
  const targets = waitsFor.targets.slice();
  for (let v = 0; v < size; v++) {
    const from = offsets[v] as number;
    const to = offsets[v + 1] as number;
    if (to - from > 1) targets.subarray(from, to).sort((x, y) => (topo[y] as number) - (topo[x] as number));
  }

  const visited = new Int32Array(size);
  const stack = new Int32Array(size);
  let stamp = 0;

  /** Whether outer may reach inner: every interval of inner inside outer's, and b's hubs among a's. */
  const mayReach = (outer: number, inner: number): boolean => {
    let o = outer * K * 2;
    let i = inner * K * 2;
    for (let k = 0; k < K; k++, o += 2, i += 2) {
      if ((labels[i] as number) < (labels[o] as number) || (labels[i + 1] as number) > (labels[o + 1] as number)) return false;
    }
    o = outer * W;
    i = inner * W;
    for (let k = 0; k < W; k++) {
      // What inner depends on, outer does too; what depends on outer depends on inner too.
      const bi = below[i + k] as number;
      const ao = above[o + k] as number;
      if ((bi & (below[o + k] as number)) !== bi || (ao & (above[i + k] as number)) !== ao) return false;
    }
    return true;
  };
  /** Whether a hub proves that outer reaches inner. */
  const proven = (outer: number, inner: number): boolean => {
    for (let k = 0; k < W; k++) if (((below[outer * W + k] as number) & (above[inner * W + k] as number)) !== 0) return true;
    return false;
  };

  return {
    dependsOn(aId, bId) {
      const a = graph.taskIndex.get(aId);
      const b = graph.taskIndex.get(bId);
      if (a === undefined || b === undefined || a === b) return false;
      const tb = topo[b] as number;
      if (acyclic) {
        if ((topo[a] as number) <= tb || !mayReach(a, b)) return false;
        if (proven(a, b)) return true;
      }
      if (++stamp === 0x7fffffff) {
        visited.fill(0);
        stamp = 1;
      }
      let sp = 0;
      stack[sp++] = a;
      visited[a] = stamp;
      while (sp > 0) {
        const v = stack[--sp] as number;
        for (let e = offsets[v] as number; e < (offsets[v + 1] as number); e++) {
          const w = targets[e] as number;
          if (w === b) return true;
          if (visited[w] === stamp) continue;
          visited[w] = stamp;
          if (acyclic) {
            if ((topo[w] as number) <= tb || !mayReach(w, b)) continue;
            if (proven(w, b)) return true;
          }
          stack[sp++] = w;
        }
      }
      return false;
    },
  };
}

/**
 * One GRAIL labeling into `labels` (slot `variant` of K per node): post-order ranks of a depth-first
 * traversal over all nodes, roots and children in an order that differs per variant, and the least
 * rank among a node and everything below it.
 */
function label(graph: IndexGraph, variant: number, labels: Int32Array, K: number): void {
  const { size, offsets, targets } = graph;
  const low = new Int32Array(size);
  const seen = new Uint8Array(size);
  const callNode = new Int32Array(size);
  const callEdge = new Int32Array(size);
  let next = 0;
  let seed = (0x9e3779b9 ^ Math.imul(variant + 1, 0x85ebca6b)) | 1;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return seed >>> 0;
  };
  // Roots forwards, backwards, then shuffled; children forwards, backwards, then rotated.
  const roots = Int32Array.from({ length: size }, (_, i) => (variant % 2 === 1 ? size - 1 - i : i));
  if (variant >= 2) {
    for (let i = size - 1; i > 0; i--) {
      const j = random() % (i + 1);
      const t = roots[i] as number;
      roots[i] = roots[j] as number;
      roots[j] = t;
    }
  }
  const shift = variant >= 2 ? random() : 0;
  const child = (v: number, i: number): number => {
    const from = offsets[v] as number;
    const count = (offsets[v + 1] as number) - from;
    if (variant === 1) return targets[from + count - 1 - i] as number;
    if (variant >= 2) return targets[from + ((i + v + shift) % count)] as number;
    return targets[from + i] as number;
  };
  for (const root of roots) {
    if (seen[root] === 1) continue;
    let top = 0;
    callNode[0] = root;
    callEdge[0] = 0;
    seen[root] = 1;
    low[root] = 0x7fffffff;
    while (top >= 0) {
      const v = callNode[top] as number;
      const i = callEdge[top] as number;
      if (i < (offsets[v + 1] as number) - (offsets[v] as number)) {
        callEdge[top] = i + 1;
        const w = child(v, i);
        if (seen[w] === 0) {
          seen[w] = 1;
          low[w] = 0x7fffffff;
          top++;
          callNode[top] = w;
          callEdge[top] = 0;
        } else if ((low[w] as number) < (low[v] as number)) {
          low[v] = low[w] as number;
        }
        continue;
      }
      const rank = next++;
      if (rank < (low[v] as number)) low[v] = rank;
      labels[(v * K + variant) * 2] = low[v] as number;
      labels[(v * K + variant) * 2 + 1] = rank;
      top--;
      if (top >= 0) {
        const parent = callNode[top] as number;
        if ((low[v] as number) < (low[parent] as number)) low[parent] = low[v] as number;
      }
    }
  }
}
