import { execFileSync } from "node:child_process";
import { createServer, type Server, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { openPostgresStore, redactUrl } from "../../src/store/postgres/index.js";
import { databaseUrl, freshDatabase, postgresAdminUrl, postgresAvailable, sql } from "../support/postgres.js";
import { AT, sampleSnapshot } from "./conformance.js";
import { releaseTogether, startReleasedWorker } from "./released-worker.js";

const { url, skip } = postgresAvailable();
const server = url ? new URL(url) : null;

/** What opening `target` rejects with: code, message and hint; the message must be one line without the password. */
async function openError(target: string): Promise<{ code: string; message: string; hint: string }> {
  const error = (await openStore(target, { at: AT }).then(
    () => new Error("opened"),
    (e: unknown) => e,
  )) as { code: string; message: string; hint: string };
  expect(error.message).not.toContain("\n");
  const password = /^postgres(?:ql)?:\/\/[^:@/]*:([^@/]*)@/.exec(target)?.[1];
  if (password) expect(`${error.message} ${error.hint}`).not.toContain(password);
  return { code: error.code, message: error.message, hint: error.hint };
}

const listening = (s: Server): Promise<number> =>
  new Promise((resolve) => s.listen(0, "127.0.0.1", () => resolve((s.address() as { port: number }).port)));

describe.skipIf(skip)(`opening a PostgreSQL store${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("opens through openStore for postgres:// and postgresql:// URLs, naming the store without its password", async () => {
    const target = await freshDatabase("open");
    for (const u of [target, target.replace(/^postgres:/, "postgresql:")]) {
      const store = await openStore(u, { at: AT });
      expect(store.driver).toBe("postgres");
      expect(store.location).toBe(u.replace(`:${server!.password}@`, "@"));
      expect(await store.admin.schema()).toEqual({ version: 10, latest: 10 });
      await store.close();
    }
  });

  it("says the password is wrong (28P01), in one line without the password", async () => {
    const wrong = new URL(url!);
    wrong.password = "not-the-password";
    expect(await openError(wrong.toString())).toEqual({
      code: "STORE_UNAVAILABLE",
      message: `[store] [postgres] postgres://shipgate@127.0.0.1:${server!.port}/shipgate: password authentication failed for user "shipgate"`,
      hint: "check the user and password in the URL (or PGPASSWORD, ~/.pgpass)",
    });
  });

  it("says a URL that cannot be read is one (USAGE), without its password", async () => {
    expect(await openError("postgres://u:secret@[::1:1/db")).toEqual({
      code: "USAGE",
      message: "[store] [postgres] postgres://u@[::1:1/db: the URL cannot be read",
      hint: "write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE, percent-encoding special characters (@ : / ?) in the user and password",
    });
  });

  it("says the database does not exist (3D000) and how to create it", async () => {
    expect(await openError(databaseUrl(url!, "no_such_db"))).toEqual({
      code: "STORE_UNAVAILABLE",
      message: `[store] [postgres] postgres://shipgate@127.0.0.1:${server!.port}/no_such_db: the database "no_such_db" does not exist`,
      hint: `create it: createdb -h 127.0.0.1 -p ${server!.port} -U shipgate no_such_db`,
    });
  });

  it("says no server answers when the port refuses connections", async () => {
    const s = createServer();
    const port = await listening(s);
    await new Promise((resolve) => s.close(resolve));
    const down = `postgres://shipgate:secret@127.0.0.1:${port}/shipgate`;
    expect(await openError(down)).toEqual({
      code: "STORE_UNAVAILABLE",
      message: `[store] [postgres] postgres://shipgate@127.0.0.1:${port}/shipgate: no PostgreSQL server answers at 127.0.0.1:${port} (connection refused)`,
      hint: "start the server, or fix the host and port in the URL",
    });
  });

  it("gives up after connect_timeout when the server accepts but never answers", async () => {
    // A socket that accepts and stays silent: what a hung server or a black-holing proxy looks like.
    const sockets: Socket[] = [];
    const s = createServer((socket) => sockets.push(socket));
    const port = await listening(s);
    try {
      const error = await openError(`postgres://shipgate:secret@127.0.0.1:${port}/shipgate?connect_timeout=1`);
      expect(error.code).toBe("STORE_UNAVAILABLE");
      expect(error.message).toMatch(new RegExp(`^\\[store\\] \\[postgres\\] postgres://shipgate@127\\.0\\.0\\.1:${port}/shipgate\\?connect_timeout=1: no answer from 127\\.0\\.0\\.1:${port} \\(.*timeout.*\\)$`));
      expect(error.hint).toContain("connect_timeout=SECONDS");
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => s.close(resolve));
    }
  });

  it("says the role does not exist (28000) where the server tells (trust auth over its unix socket)", async (context) => {
    const admin = postgresAdminUrl();
    if (!admin) return context.skip("needs the test server's own unix socket");
    // The socket URL form without a host: postgres://ghost@/postgres?host=/socket/folder&port=N.
    const ghost = admin.replace(/^postgres:\/\/postgres@/, "postgres://ghost@");
    const error = await openError(ghost);
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toBe(`[store] [postgres] ${ghost}: the role "ghost" does not exist on the server`);
    expect(error.hint).toMatch(/^create it \(createuser -h \/.* -p \d+ --pwprompt ghost\) or fix the user in the URL$/);
  });

  it("refuses a database migrated by a newer shipgate (SCHEMA_TOO_NEW), changing nothing", async () => {
    const target = await freshDatabase("new");
    await (await openPostgresStore({ url: target, at: AT })).close();
    await sql(target, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')");
    for (const migrate of [true, false]) {
      const error = await openStore(target, { at: AT, migrate }).then(() => undefined, (e: unknown) => e as { code: string; message: string; hint: string });
      expect(error).toMatchObject({
        code: "SCHEMA_TOO_NEW",
        message: `[store] [postgres] ${redactUrl(target)} is at schema version 999, newer than this shipgate knows (10)`,
        hint: "upgrade shipgate (npm install shipgate@latest); nothing was changed",
      });
    }
    expect((await sql(target, "SELECT COUNT(*)::int AS n FROM schema_migrations"))[0]?.n).toBe(11);
  });

  it("says the role may not create tables when migrating a database it does not own (42501)", async (context) => {
    const admin = postgresAdminUrl();
    if (!admin) return context.skip("needs the test server's superuser");
    const name = `owned_${process.pid}_${Date.now()}`;
    await sql(admin, `CREATE DATABASE ${name}`);
    const error = await openError(databaseUrl(url!, name));
    expect(error.code).toBe("STORE_UNAVAILABLE");
    expect(error.message).toBe(`[store] [postgres] postgres://shipgate@127.0.0.1:${server!.port}/${name}: permission denied (permission denied for schema public)`);
    expect(error.hint).toBe(`the role needs CREATE on the database to migrate it: make it the owner (createdb -O shipgate ${name}), or run \`shipgate db migrate\` as the owner first`);
  });

  it("a server that goes away after opening: calls reject with STORE_UNAVAILABLE saying so, and the process lives on", async () => {
    const script = new URL("../../scripts/pg-test-server.mjs", import.meta.url).pathname;
    const own = JSON.parse(execFileSync(process.execPath, [script, "start", "--json"], { encoding: "utf8" })) as { url: string; dir: string };
    const store = await openStore(own.url, { at: AT });
    await store.listSnapshots();
    execFileSync(process.execPath, [script, "stop", own.dir]);
    const port = new URL(own.url).port;
    // A write (one transaction) and a read (one statement) both say the server is gone; neither crashes the process.
    await expect(store.saveSnapshot(sampleSnapshot(1))).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: `[store] [postgres] postgres://shipgate@127.0.0.1:${port}/shipgate: no PostgreSQL server answers at 127.0.0.1:${port} (connection refused)`,
    });
    await expect(store.listSnapshots()).rejects.toMatchObject({
      code: "STORE_UNAVAILABLE",
      message: `[store] [postgres] postgres://shipgate@127.0.0.1:${port}/shipgate: no PostgreSQL server answers at 127.0.0.1:${port} (connection refused)`,
    });
    await store.close();
  });

  it("two processes migrating one empty database at once apply each migration exactly once", async () => {
    const target = await freshDatabase("race");
    // Each process loads the built driver and connects first, then both migrate when released together.
    const script = `
      import { once } from "node:events";
      import { openStore } from "${new URL("../../dist/store/open-store.js", import.meta.url).href}";
      import pg from "pg";
      const c = new pg.Client({ connectionString: process.argv[1] }); await c.connect(); await c.end();
      process.stdout.write("ready\\n");
      await once(process.stdin, "data"); process.stdin.destroy();
      const store = await openStore(process.argv[1], { migrate: false, at: "${AT}" });
      const result = await store.admin.migrate();
      await store.close();
      process.stdout.write(JSON.stringify(result) + "\\n");`;
    type Result = { from: number; to: number; applied: { version: number }[] };
    const run = () => startReleasedWorker<Result>(["--input-type=module", "-e", script, target], "migrating process", { cwd: new URL("../..", import.meta.url).pathname });
    const results = await releaseTogether([run(), run()]);
    expect(results.map((r) => r.to)).toEqual([10, 10]);
    const applied = results.flatMap((r) => r.applied.map((a) => a.version)).sort((a, b) => a - b);
    expect(applied).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(await sql(target, "SELECT version::int AS version FROM schema_migrations ORDER BY version")).toEqual(applied.map((version) => ({ version })));
  });
});
