/**
 * A figure as the CLI prints it: the tracker rounds hours to 0.01 and coverage facts keep two decimals, so the pages
 * that show them keep two (ui.tsx's formatNumber keeps one, for the overview's headline figures).
 */
export function figure(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** "+0.64", "-1.5", "0". */
export const signed = (value: number): string => (value > 0 ? `+${figure(value)}` : figure(value));
