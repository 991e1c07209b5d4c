/** mulberry32: a seeded PRNG returning numbers in [0, 1) (see generate.mjs). */
export function prng(seed: number): () => number;
