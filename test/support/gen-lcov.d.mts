/** Name → generated lcov tracefile bytes (see gen-lcov.mjs). */
export function lcovCases(): Record<string, Buffer>;
