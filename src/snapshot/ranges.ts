/** Where toRanges writes a string's bytes before decoding them once; grown when a file needs more. */
let scratch = new Uint8Array(1 << 16);

/** Sorted line numbers → "1-4,9,12-13". */
export function toRanges(lines: ArrayLike<number>): string {
  // Written as bytes and decoded once: assess builds two of these per covered file (40 000 for a
  // 20 000-file lcov). Joining an array of parts cost twice the time; appending with += cost 12× the
  // memory (a rope of every piece, kept until the rows were stored).
  const n = lines.length;
  if (n === 0) return "";
  let out = scratch;
  let at = 0;
  let i = 0;
  while (i < n) {
    // Room for ",start-end": two separators and two numbers of at most 24 characters ("-1.2345678901234567e+308").
    if (at + 50 > out.length) {
      const bigger = new Uint8Array(out.length * 2);
      bigger.set(out.subarray(0, at));
      out = scratch = bigger;
    }
    const start = lines[i] as number;
    let end = start;
    while (i + 1 < n && (lines[i + 1] as number) === end + 1) end = lines[++i] as number;
    if (at > 0) out[at++] = 44; // ","
    at = writeNumber(out, at, start);
    if (end !== start) {
      out[at++] = 45; // "-"
      at = writeNumber(out, at, end);
    }
    i++;
  }
  // Short lists (most files') are decoded without a Buffer object around the bytes.
  if (at <= SHORT) return String.fromCharCode.apply(null, out.subarray(0, at) as unknown as number[]);
  return Buffer.from(out.buffer, out.byteOffset, at).toString("latin1");
}

/** Up to this many bytes, String.fromCharCode over the bytes beats wrapping them in a Buffer to decode. */
const SHORT = 64;

/**
 * Writes `value` at `out[at]` as String() spells it and returns the position after it. A top-level function
 * (not a closure per call) and integer division by `| 0`: V8 inlines it into toRanges' loop.
 */
function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) {
    const digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : value < 100000 ? 5 : String(value).length;
    let rest = value;
    for (let k = at + digits - 1; k > at; k--) {
      const tenth = (rest / 10) | 0;
      out[k] = 48 + rest - tenth * 10;
      rest = tenth;
    }
    out[at] = 48 + rest;
    return at + digits;
  }
  // Not a line number (a fraction, NaN, a negative): spelled as String() spells it, as before.
  const text = String(value);
  for (let k = 0; k < text.length; k++) out[at + k] = text.charCodeAt(k);
  return at + text.length;
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
