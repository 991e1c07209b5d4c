// Types of gen-sarif-shapes.mjs, for the TypeScript test that imports it.
export interface SarifShape {
  name: string;
  bytes: Buffer;
}
export function sarifShapes(): SarifShape[];
