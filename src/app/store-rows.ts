import { createHash, type Hash } from "node:crypto";
import { ShipgateError } from "../errors.js";
import type { ColumnKind, TableSpec } from "../store/tables.js";

/**
 * A row in the canonical form of store/tables.ts, whichever driver read it: the table's columns only, in its
 * declared order; `int` and `real` as numbers, `flag` as 0 or 1, `text` as a string, absent as null. A driver that
 * hands back a 64-bit integer as a string or bigint, or a flag as a boolean, is read the same way; anything else
 * (an object where text belongs) is an error naming the column, never a silent conversion.
 */
export function canonicalRow(table: TableSpec, row: Record<string, unknown>, where: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [column, kind] of Object.entries(table.columns)) out[column] = canonicalValue(kind, row[column], () => `${where}: ${table.name}.${column}`);
  return out;
}

function canonicalValue(kind: ColumnKind, value: unknown, where: () => string): unknown {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case "text":
      if (typeof value === "string") return value;
      break;
    case "flag":
      if (value === true || value === 1 || value === "1") return 1;
      if (value === false || value === 0 || value === "0") return 0;
      break;
    case "int": {
      const n = typeof value === "number" ? value : typeof value === "bigint" || (typeof value === "string" && /^-?\d+$/.test(value)) ? Number(value) : NaN;
      if (Number.isSafeInteger(n)) return n;
      break;
    }
    case "real": {
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
      if (Number.isFinite(n)) return n;
      break;
    }
  }
  throw new ShipgateError("STORE_UNAVAILABLE", `[db] ${where()} holds ${describe(value)}, not ${KIND_WORDS[kind]}`, {
    hint: "the store's driver returned a value outside the canonical row form (store/tables.ts): report it as a shipgate bug",
  });
}

const KIND_WORDS: Record<ColumnKind, string> = { int: "an integer", real: "a number", flag: "a flag (0 or 1)", text: "text" };

const describe = (value: unknown): string =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint"
    ? `the ${typeof value} ${JSON.stringify(String(value)).slice(0, 40)}`
    : typeof value === "object" ? "an object" : `a ${typeof value}`;

/**
 * The checksum of one table: sha256 over its canonical rows in copy order, one JSON array of the column values per
 * line. Computed the same way on both sides of a copy, so equal checksums mean equal rows, ids and order.
 */
export class TableChecksum {
  private readonly hash: Hash = createHash("sha256");
  rows = 0;

  constructor(private readonly table: TableSpec) {}

  /** Adds rows that are already canonical (`canonicalRow`). */
  add(rows: readonly Record<string, unknown>[]): void {
    const columns = Object.keys(this.table.columns);
    for (const row of rows) this.hash.update(`${JSON.stringify(columns.map((c) => row[c]))}\n`);
    this.rows += rows.length;
  }

  digest(): string {
    return this.hash.digest("hex");
  }
}
