import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/**
 * The throwaway PostgreSQL server of test/support/postgres.ts, when this checkout has it and the server runs:
 * `freshDatabase()` gives the URL of a new, empty database. Tests that need PostgreSQL use `describe.skipIf(!pg)`
 * so they skip, saying why, where the driver or the server binaries are absent.
 */
export interface OptionalPostgres {
  freshDatabase: () => Promise<string>;
}

const support = fileURLToPath(new URL("./postgres.ts", import.meta.url));

async function load(): Promise<{ pg: OptionalPostgres | undefined; why: string }> {
  if (!existsSync(support)) return { pg: undefined, why: "test/support/postgres.ts is not in this checkout (no PostgreSQL driver yet)" };
  const mod = (await import(support)) as { postgresAvailable?: () => unknown; freshDatabase?: () => Promise<unknown> };
  if (typeof mod.postgresAvailable !== "function" || typeof mod.freshDatabase !== "function") {
    return { pg: undefined, why: "test/support/postgres.ts exports no postgresAvailable()/freshDatabase()" };
  }
  // `{ url, skip }`: the server's URL, or why there is none.
  const available = (await mod.postgresAvailable()) as { url: string | null; skip: string | null } | boolean;
  if (available === false || (typeof available === "object" && !available.url)) {
    return { pg: undefined, why: (typeof available === "object" && available.skip) || "the throwaway PostgreSQL server is not running (see CONTRIBUTING.md)" };
  }
  const fresh = mod.freshDatabase;
  return {
    pg: {
      freshDatabase: async () => {
        const db = await fresh();
        return typeof db === "string" ? db : (db as { url: string }).url;
      },
    },
    why: "",
  };
}

export const { pg: postgres, why: noPostgresBecause } = await load();
