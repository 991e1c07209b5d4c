import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** The throwaway server's URL (role `shipgate`, may create databases), or null when PostgreSQL tests skip. */
    postgresUrl: string | null;
    /** The superuser over the server's unix socket (trust), or null for a server given by SHIPGATE_TEST_PG_URL. */
    postgresAdminUrl: string | null;
    /** Why PostgreSQL tests skip (empty when they run). */
    postgresSkip: string;
  }
}

const script = fileURLToPath(new URL("../../scripts/pg-test-server.mjs", import.meta.url));

/**
 * Starts one throwaway PostgreSQL cluster for the whole test run (scripts/pg-test-server.mjs) and stops it at the
 * end. SHIPGATE_TEST_PG_URL set beforehand names a server to use instead (nothing is started). Without server
 * binaries the PostgreSQL tests skip saying why — except in CI (CI=true), where the run fails.
 */
export default function setup(project: TestProject): (() => void) | undefined {
  const given = process.env.SHIPGATE_TEST_PG_URL;
  if (given) {
    project.provide("postgresUrl", given);
    project.provide("postgresAdminUrl", process.env.SHIPGATE_TEST_PG_ADMIN_URL ?? null);
    project.provide("postgresSkip", "");
    return undefined;
  }
  const started = spawnSync(process.execPath, [script, "start", "--json"], { encoding: "utf8" });
  if (started.status !== 0) {
    const why = `the PostgreSQL test server did not start: ${(started.stderr || String(started.error)).trim()}`;
    if (process.env.CI === "true") throw new Error(`${why} (CI=true: PostgreSQL tests must run, not skip)`);
    process.stderr.write(`\n[postgres] ${why}\n[postgres] the PostgreSQL tests are skipped\n\n`);
    project.provide("postgresUrl", null);
    project.provide("postgresAdminUrl", null);
    project.provide("postgresSkip", why);
    return undefined;
  }
  const server = JSON.parse(started.stdout) as { url: string; adminUrl: string; dir: string };
  project.provide("postgresUrl", server.url);
  project.provide("postgresAdminUrl", server.adminUrl);
  project.provide("postgresSkip", "");
  return () => {
    execFileSync(process.execPath, [script, "stop", server.dir], { stdio: "inherit" });
  };
}
