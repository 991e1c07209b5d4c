// Types of gen-coverage-shapes.mjs, for the TypeScript test that imports it.
export interface CoverageShape {
  name: string;
  format: "istanbul-final" | "coveragepy";
  bytes: Buffer;
}
export function istanbulShapes(): CoverageShape[];
export function coveragepyShapes(): CoverageShape[];
