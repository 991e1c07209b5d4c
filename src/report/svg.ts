/**
 * What every SVG renderer shares (the Gantt, the tracker's charts): one visual language — the font, the colours,
 * the marks for today and critical work — and one way to escape text and write numbers, so the same input gives the
 * same bytes.
 */

/** The font stack of every chart (the system UI font, DejaVu Sans where that is all there is). */
export const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', 'DejaVu Sans', sans-serif";
/** Critical work, misses, values behind their target. */
export const CRITICAL = "#c62828";
/** Today's (or the as-of day's) line. */
export const TODAY = "#1565c0";
/** Shaded weekend columns. */
export const WEEKEND = "#dfe3e8";
/** Tableau 10 without its red, which marks critical tasks. */
export const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#17becf"];
/** Average width of a 12 px character of the font, for laying out labels without measuring them. */
export const CHAR_WIDTH = 6.8;
export const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a "YYYY-MM-DD" (or "YYYY-MM-DD HH:MM", or ISO date-time) value; NaN when it is not one. */
export function dayOf(value: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (match === null) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** The YYYY-MM-DD of a day number. */
export const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number) => (((day + 3) % 7) + 7) % 7;
export const isWeekend = (day: number) => weekdayOf(day) >= 5;
export const mondayOnOrBefore = (day: number) => day - weekdayOf(day);

/** A coordinate as written in the SVG: at most one decimal. */
export const num = (n: number) => String(Math.round(n * 10) / 10);

/** Text for an SVG text node or attribute: markup characters escaped, characters XML 1.0 does not allow dropped. */
export const xml = (text: string) =>
  text
    .replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"))
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");
