// Types of gen-sarif-regular.mjs, for the TypeScript test that imports it.
export interface SarifLog {
  name: string;
  bytes: Buffer;
}
export function sarifRegularLogs(): SarifLog[];
export function sarifMutatedLogs(count: number): SarifLog[];
