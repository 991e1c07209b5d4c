// Types of gen-json-reports.mjs, for the TypeScript tests that import it.
export interface GeneratedReport {
  name: string;
  format: "istanbul-final" | "coveragepy" | "sarif" | "eslint" | "ruff";
  bytes: Buffer;
}
export function validReports(): GeneratedReport[];
export function malformedReports(): GeneratedReport[];
