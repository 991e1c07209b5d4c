import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";

/** The throwaway server's URL, or why the PostgreSQL tests skip (test/support/postgres-setup.ts). */
export function postgresAvailable(): { url: string; skip: null } | { url: null; skip: string } {
  const url = inject("postgresUrl");
  return url ? { url, skip: null } : { url: null, skip: inject("postgresSkip") || "no PostgreSQL test server" };
}

/** `url` with another database name. */
export function databaseUrl(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates an empty database with a unique name on the test server and returns its URL: one per test. */
export async function freshDatabase(prefix = "t"): Promise<string> {
  const { url } = postgresAvailable();
  if (!url) throw new Error("no PostgreSQL test server");
  const name = `${prefix}_${process.pid}_${randomBytes(5).toString("hex")}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  return databaseUrl(url, name);
}

/** The superuser's URL on the test server (unix socket, trust), or null when the server was given from outside. */
export const postgresAdminUrl = (): string | null => inject("postgresAdminUrl");

/** Runs one statement on `url` with a short-lived connection and returns its rows. */
export async function sql<T extends Record<string, unknown> = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
