/** Sorted line numbers → "1-4,9,12-13". */
export function toRanges(lines: ArrayLike<number>): string {
  const parts: string[] = [];
  let i = 0;
  while (i < lines.length) {
    const start = lines[i] as number;
    let end = start;
    while (i + 1 < lines.length && (lines[i + 1] as number) === end + 1) end = lines[++i] as number;
    parts.push(start === end ? String(start) : `${start}-${end}`);
    i++;
  }
  return parts.join(",");
}

/** "1-4,9" → [1, 2, 3, 4, 9]. */
export function fromRanges(ranges: string): number[] {
  const out: number[] = [];
  if (ranges === "") return out;
  for (const part of ranges.split(",")) {
    const dash = part.indexOf("-");
    if (dash === -1) {
      out.push(Number(part));
    } else {
      const end = Number(part.slice(dash + 1));
      for (let n = Number(part.slice(0, dash)); n <= end; n++) out.push(n);
    }
  }
  return out;
}
