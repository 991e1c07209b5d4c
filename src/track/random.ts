/**
 * A small seeded pseudo-random generator, so that every figure the tracker draws at random (the Monte
 * Carlo forecast) is reproducible: the same input and seed give the same output on every machine.
 * Not for anything secret.
 */

/** A source of uniform numbers in [0, 1); each call advances it. */
export type Random = () => number;

/**
 * mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit state word, period 2³², fast and good enough
 * for simulation. `seed` is taken as an unsigned 32-bit integer (fractions are dropped, larger values
 * wrap), so 0 and 2³² give the same sequence.
 */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * A seed derived from another and a number (e.g. a cut point of a backtest), so that runs which must be
 * independent of each other do not replay one stream. Deterministic; the result is an unsigned 32-bit integer.
 */
export function deriveSeed(seed: number, n: number): number {
  // The splitmix32 finaliser over seed + n·golden ratio: nearby inputs give unrelated outputs.
  let z = ((seed >>> 0) + Math.imul(n | 0, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
