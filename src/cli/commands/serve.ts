import { join, resolve } from "node:path";
import { ShipgateError } from "../../errors.js";
import { now } from "../clock.js";
import type { CliIo, CommonOptions } from "../output.js";

export interface ServeOptions extends CommonOptions {
  port: string;
  host: string;
  tokenFile?: string;
  plan?: string;
  corsOrigin?: string[];
  allowHost?: string[];
}

/** Where the generated token is kept, under --cwd. */
export const TOKEN_FILE = join(".shipgate", "token");

/** `shipgate serve`: the HTTP API (docs/serve.md) until SIGINT / SIGTERM. */
export async function serveCommand(options: ServeOptions, io: CliIo): Promise<number> {
  const port = /^\d{1,5}$/.test(options.port) ? Number(options.port) : Number.NaN;
  if (!(port >= 0 && port <= 65535)) throw new ShipgateError("USAGE", `[serve] --port must be 0–65535 (got "${options.port}")`, { hint: "0 picks a free port" });
  const [{ isLoopback, listen }, token] = await Promise.all([import("../../server/listen.js"), import("../../server/token.js")]);
  if (!isLoopback(options.host) && options.tokenFile === undefined) {
    throw new ShipgateError("USAGE", `[serve] --host ${options.host} can be reached from other machines; refusing to serve it with a token written on the fly`, {
      hint: "pass --token-file FILE with a token you shared on purpose, or keep the default --host 127.0.0.1",
    });
  }
  let secret: string;
  if (options.tokenFile !== undefined) {
    secret = await token.readTokenFile(resolve(options.cwd, options.tokenFile));
  } else {
    const file = join(options.cwd, TOKEN_FILE);
    secret = await token.writeNewToken(file);
    io.stderr(`[serve] token for changes (Authorization: Bearer …), written to ${file} (mode 0600):\n${secret}\n`);
  }
  now(io.env);
  const [{ openStore }, { createApp }] = await Promise.all([import("../../store/open-store.js"), import("../../server/app.js")]);
  const store = await openStore(options.db, { cwd: options.cwd });
  const server = createApp({
    store,
    cwd: options.cwd,
    token: secret,
    now: () => now(io.env),
    onInternalError: (error) => io.stderr(`[serve] internal error (a bug in shipgate; please report it):\n${(error as Error).stack ?? String(error)}\n`),
    ...(options.plan === undefined ? {} : { planFile: resolve(options.cwd, options.plan) }),
    ...(options.config === undefined ? {} : { configFile: resolve(options.cwd, options.config) }),
    ...(options.corsOrigin && options.corsOrigin.length > 0 ? { corsOrigins: options.corsOrigin } : {}),
    // Loopback: only the names that mean this machine (DNS rebinding cannot make another site's page one of them).
    ...(isLoopback(options.host) ? { allowedHosts: ["localhost", "127.0.0.1", "::1", options.host, ...(options.allowHost ?? [])] } : {}),
  });
  try {
    const listening = await listen(server.app, options.host, port).catch((error: NodeJS.ErrnoException) => {
      throw new ShipgateError("USAGE", `[serve] cannot listen on ${options.host}:${port}: ${error.code === "EADDRINUSE" ? "the port is in use" : error.message}`, { hint: "pick another --port (0: any free one)", cause: error });
    });
    io.stdout(`shipgate serve: ${listening.url} (store ${store.location})\n`);
    const signal = io.interruptible?.();
    if (signal) await new Promise<void>((done) => (signal.aborted ? done() : signal.addEventListener("abort", () => done(), { once: true })));
    else await new Promise<void>(() => undefined);
    server.close();
    await listening.close();
    return 0;
  } finally {
    server.close();
    await store.close();
  }
}
