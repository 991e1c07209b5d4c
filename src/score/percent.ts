/**
 * covered/total as a percentage truncated to two decimals (istanbul's rule: 35/41 = 85.365… is 85.36), or null
 * for an empty total. `covered * 10000` is an exact integer and the division is correctly rounded, so the floor
 * is exact for any total below 2^53 / 10000. Every coverage figure shipgate shows or judges goes through it.
 */
export function pct(covered: number, total: number): number | null {
  return total > 0 ? Math.floor((covered * 10000) / total) / 100 : null;
}
