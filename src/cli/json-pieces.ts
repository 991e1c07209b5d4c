/** How deep the walk descends before a subtree is handed to JSON.stringify whole. */
const WALK_DEPTH = 3;
/** Pieces are gathered up to about this many characters before one is yielded. */
const PIECE_CHARS = 64 * 1024;

/**
 * `JSON.stringify(value, null, 2)`, the same characters, as pieces of about 64 K characters: the
 * summary of a 20 000-file report is 5 MB of JSON, and printing it as one string held the string, its
 * copy in a Buffer and the pipe's queue at once (+15-18 MB peak RSS). The first levels are walked here;
 * below them each subtree is JSON.stringify'd on its own and indented, so memory is bounded by the
 * largest subtree under the third level (one file's coverage entry in an assess summary) plus one piece.
 *
 * Same as JSON.stringify: `toJSON(key)` is called, members that are undefined, functions or symbols
 * are left out of objects and are `null` in arrays, non-finite numbers are `null`, a cycle or a BigInt
 * throws. (One difference no shipgate value has: below the walked levels, the result of a `toJSON` that
 * has a `toJSON` of its own is converted again, with the key "".) A top-level value JSON leaves out yields nothing.
 */
export function* jsonPieces(value: unknown): Generator<string> {
  let piece = "";
  for (const part of walk(withToJson(value, ""), 0, [])) {
    piece += part;
    if (piece.length >= PIECE_CHARS) {
      yield piece;
      piece = "";
    }
  }
  if (piece !== "") yield piece;
}

/** `value` has been through withToJson already (JSON calls toJSON once per member). */
function* walk(value: unknown, depth: number, ancestors: object[]): Generator<string> {
  const container = isWalked(value) ? value : undefined;
  if (container === undefined || depth >= WALK_DEPTH) {
    const text = JSON.stringify(value, null, 2) as string | undefined;
    // Only a nested value can be indented further; JSON escapes a newline inside a string, so every "\n" is layout.
    yield depth === 0 || text === undefined ? (text ?? "") : text.replaceAll("\n", `\n${"  ".repeat(depth)}`);
    return;
  }
  if (ancestors.includes(container)) throw new TypeError("Converting circular structure to JSON");
  ancestors.push(container);
  const outer = "  ".repeat(depth);
  const inner = `${outer}  `;
  if (Array.isArray(container)) {
    if (container.length === 0) yield "[]";
    else if (depth + 1 >= WALK_DEPTH) yield* leafItems(container, depth);
    else {
      yield "[\n";
      for (let i = 0; i < container.length; i++) {
        yield i === 0 ? inner : `,\n${inner}`;
        const item = withToJson(container[i], String(i));
        if (isOmitted(item)) yield "null";
        else yield* walk(item, depth + 1, ancestors);
      }
      yield `\n${outer}]`;
    }
  } else {
    let first = true;
    for (const name of Object.keys(container)) {
      const member = withToJson((container as Record<string, unknown>)[name], name);
      if (isOmitted(member)) continue;
      yield first ? `{\n${inner}` : `,\n${inner}`;
      first = false;
      yield `${JSON.stringify(name)}: `;
      yield* walk(member, depth + 1, ancestors);
    }
    yield first ? "{}" : `\n${outer}}`;
  }
  ancestors.pop();
}

/** About this many characters per JSON.stringify call in leafItems: small beside a piece, so pieces stay near PIECE_CHARS. */
const BATCH_CHARS = 1536;

/**
 * An array whose items are all below the walked levels (the 20 000 entries of `coverage.files`), as walk
 * would spell it item by item, but several items per JSON.stringify: one stringify and one re-indent per
 * batch instead of three generator levels, a stringify and a re-indent per item. `JSON.stringify([a, b],
 * null, 2)` is "[\n  A,\n  B\n]" with a's and b's lines indented one level; without its brackets and
 * indented `depth` levels more, it is what walk yields for those items. A batch holds as many items as
 * fill about BATCH_CHARS, judged by the items before it, so memory stays bounded by one piece plus the
 * largest item. An item whose toJSON result has a toJSON of its own goes alone through walk: in a batch,
 * that second toJSON would get the item's index within the batch as its key.
 */
function* leafItems(container: readonly unknown[], depth: number): Generator<string> {
  const outer = "  ".repeat(depth);
  const newline = `\n${outer}`;
  yield "[\n";
  const last = container.length - 1;
  let batch: unknown[] = [];
  let size = 1;
  const flush = (more: boolean): string => {
    const text = JSON.stringify(batch, null, 2);
    size = Math.max(1, Math.min(256, Math.floor((BATCH_CHARS * batch.length) / text.length)));
    batch = [];
    // Without "[\n" and "\n]"; a batch followed by more items ends with the separator walk writes.
    const items = outer + text.slice(2, -2).replaceAll("\n", newline);
    return more ? `${items},\n` : items;
  };
  for (let i = 0; i <= last; i++) {
    const item = withToJson(container[i], String(i));
    if (hasToJson(item)) {
      if (batch.length > 0) yield flush(true);
      yield `${outer}  `;
      yield* walk(item, depth + 1, []);
      if (i < last) yield ",\n";
      continue;
    }
    batch.push(item);
    if (batch.length >= size || i === last) yield flush(i < last);
  }
  yield `${newline}]`;
}

const hasToJson = (value: unknown): boolean => typeof value === "object" && value !== null && typeof (value as { toJSON?: unknown }).toJSON === "function";

/** What JSON serializes in place of `value`: its `toJSON(key)` result, when it has one. */
function withToJson(value: unknown, key: string): unknown {
  if ((typeof value === "object" && value !== null) || typeof value === "bigint") {
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === "function") return (toJSON as (key: string) => unknown).call(value, key);
  }
  return value;
}

const isOmitted = (value: unknown): boolean => value === undefined || typeof value === "function" || typeof value === "symbol";

/** Plain arrays and objects are walked; boxed primitives and leaves go to JSON.stringify. */
const isWalked = (value: unknown): value is object =>
  typeof value === "object" && value !== null && !(value instanceof Number || value instanceof String || value instanceof Boolean || value instanceof BigInt);
