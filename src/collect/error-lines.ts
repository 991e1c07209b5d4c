/**
 * The lines of a command's output that look like its error: the first line holding one of MARKERS and a few
 * lines after it (stack frames, "at …", left out). Fed chunk by chunk as the output streams, so an error printed
 * first survives a long output (the kept tail of a run is only its last KB); linear in the output.
 */
const MARKERS = ["Error", "error:", "npm error", "ERR!", "Cannot", "not found"];
const AFTER = 4;
const MAX_LINE = 300;

export interface ErrorLines {
  push(text: string): void;
  /** The excerpt, or "" when no line looked like an error. */
  lines(): string;
}

export function errorLines(): ErrorLines {
  const kept: string[] = [];
  let partial = "";
  let after = -1; // -1: no error line yet; then how many more lines to keep.
  const take = (line: string) => {
    if (after === 0) return;
    if (after < 0) {
      if (!MARKERS.some((m) => line.includes(m))) return;
      after = AFTER;
      kept.push(line.trimEnd().slice(0, MAX_LINE));
      return;
    }
    const trimmed = line.trim();
    if (trimmed === "" || trimmed.startsWith("at ")) return;
    kept.push(line.trimEnd().slice(0, MAX_LINE));
    after -= 1;
  };
  return {
    push(text) {
      if (after === 0) return;
      const parts = (partial + text).split("\n");
      partial = parts.pop() ?? "";
      // A line without an end that grows without bound is cut: it is only looked at, never kept whole.
      if (partial.length > 64 * 1024) partial = partial.slice(0, MAX_LINE);
      for (const line of parts) take(line.replace(/\r$/, ""));
    },
    lines() {
      if (partial && after !== 0) {
        take(partial);
        partial = "";
      }
      return kept.join("\n");
    },
  };
}
