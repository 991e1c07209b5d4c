/**
 * How deep arrays and objects may nest. SARIF, the deepest report read here, nests about 15 levels; the
 * JSON parser's work per value grows with the depth it sits at, so a deeper file is refused before it
 * costs quadratic time (documented in docs/limits.md).
 */
export const MAX_JSON_DEPTH = 512;
