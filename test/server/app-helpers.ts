import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type CreateAppOptions, type ShipgateApp } from "../../src/server/app.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { PROGRAM, writeProgram } from "../track/program.js";

export const TOKEN = "test-token-0123456789abcdef";

export interface ProgramServer extends ShipgateApp {
  store: Store;
  dir: string;
  /** A request with the token. */
  authed: (path: string, init?: RequestInit) => Promise<Response>;
  dispose: () => Promise<void>;
}

/** The three-week program of test/track/program.ts in a fresh SQLite store, served by createApp (no socket). */
export async function programServer(options: Partial<CreateAppOptions> = {}): Promise<ProgramServer> {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-server-"));
  mkdirSync(join(dir, ".shipgate", "runs"), { recursive: true });
  const store = await openStore(join(dir, ".shipgate", "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
  await writeProgram(store, dir);
  const server = createApp({ store, cwd: dir, token: TOKEN, now: () => PROGRAM.now, pollMs: 20, ...options });
  const authed = (path: string, init: RequestInit = {}) =>
    Promise.resolve(server.app.request(path, { ...init, headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...(init.headers as Record<string, string> | undefined) } }));
  return {
    ...server,
    store,
    dir,
    authed,
    dispose: async () => {
      server.close();
      await store.close();
    },
  };
}
