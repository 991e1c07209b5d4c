/**
 * Best-effort line of a key path in YAML text. js-yaml gives no node positions, so this follows the
 * path through indentation: good enough for the block style people write configs in.
 */
export function locate(text: string, path: readonly PropertyKey[]): number | undefined {
  const lines = text.split(/\r?\n/);
  let from = 0;
  let indent = -1;
  let found: number | undefined;
  for (const segment of path) {
    let hit: number | undefined;
    if (typeof segment === "number") {
      let count = -1;
      for (let i = from; i < lines.length; i++) {
        const line = lines[i] as string;
        const m = /^(\s*)- /.exec(line) ?? /^(\s*)-$/.exec(line);
        const lineIndent = line.search(/\S/);
        if (lineIndent !== -1 && lineIndent <= indent && i > from && !m) break;
        if (m && (m[1] as string).length > indent - 1) {
          count++;
          if (count === segment) {
            hit = i;
            indent = (m[1] as string).length + 1;
            break;
          }
        }
      }
    } else {
      const key = String(segment).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const pattern = new RegExp(`^(\\s*(?:- )?)${key}\\s*:`);
      for (let i = from; i < lines.length; i++) {
        const m = pattern.exec(lines[i] as string);
        if (m && (m[1] as string).length >= indent) {
          hit = i;
          indent = (m[1] as string).length;
          break;
        }
      }
    }
    if (hit === undefined) return found;
    found = hit + 1;
    from = hit;
  }
  return found;
}
