import { describe, it } from "vitest";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import type { Store } from "../../src/store/types.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { AT, testStoreDriver } from "./conformance.js";

const { skip } = postgresAvailable();

// store.location has no password: remember each store's full URL to open it again.
const urls = new Map<string, string>();
const open = async (url?: string): Promise<Store> => {
  const target = url ?? (await freshDatabase("conf"));
  const store = await openPostgresStore({ url: target, at: AT });
  urls.set(store.location, target);
  return store;
};

if (skip) describe("Store contract: postgres", () => it.skip(`skipped: ${skip}`, () => undefined));
else testStoreDriver("postgres", () => open(), (store) => open(urls.get(store.location)));
