import pg from "pg";
import { ShipgateError } from "../../errors.js";

export type Pool = pg.Pool;
export type Client = pg.PoolClient;
/** What a query runs on: the pool (one statement, autocommit) or a client inside a transaction. */
export type Queryable = Pick<pg.PoolClient, "query">;

/** The URL parsed; a socket URL without a host (`postgres://user@/db?host=/run/postgresql`) parses with a stand-in host. */
function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    try {
      return new URL(url.replace(/^(postgres(?:ql)?:\/\/[^/?#]*@)(?=[/?#]|$)/i, "$1localhost"));
    } catch {
      return null;
    }
  }
}

/** `url` without its password (in the user part or a `password` parameter): what messages and `store.location` show. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    u.searchParams.delete("password");
    return u.toString();
  } catch {
    return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*):[^@/]*@/i, "$1@").replace(/([?&])password=[^&#]*&?/i, "$1").replace(/[?&]$/, "");
  }
}

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/** Host and port as the server is reached (the socket folder for a unix socket), for messages. */
function endpoint(url: string): { host: string; port: string; user: string; database: string } {
  const u = parseUrl(url);
  if (!u) return { host: "?", port: "?", user: "?", database: "?" };
  const user = decode(u.username) || process.env.PGUSER || process.env.USER || "postgres";
  return {
    host: u.searchParams.get("host") ?? (decode(u.hostname) || "localhost"),
    port: u.port || u.searchParams.get("port") || "5432",
    user,
    database: decode(u.pathname.slice(1)) || user,
  };
}

// bigint columns (ids, counts, COUNT(*)) come back as numbers: every id and count fits in 2^53.
const parseInt8 = (value: string): number => Number(value);
const builtin = pg.types.getTypeParser as (oid: number, format?: "text" | "binary") => (value: string) => unknown;
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") => (oid === 20 && format !== "binary" ? parseInt8 : builtin(oid, format))) as typeof pg.types.getTypeParser,
};

export interface PoolOptions {
  /** Connections held at most (default 4; a worker process holds its own pool). */
  max?: number;
}

/** A pool for `url`; connects lazily. `connect_timeout` (seconds) in the URL bounds each connection attempt (default 10). */
export function createPool(url: string, options: PoolOptions = {}): Pool {
  // An unparsable URL fails when connecting, with pg's own message.
  const given = Number(parseUrl(url)?.searchParams.get("connect_timeout"));
  const timeout = Number.isFinite(given) && given > 0 ? given : 10;
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 4, connectionTimeoutMillis: timeout * 1000, idleTimeoutMillis: 10_000, types });
  // An idle connection the server closed (restart, admin kill) is dropped by the pool; the next query reconnects.
  pool.on("error", () => undefined);
  return pool;
}

const SERIALIZATION = new Set(["40001", "40P01"]);

/**
 * Runs `work` in one transaction on one connection; serialization failures and deadlocks are retried (a few times,
 * after a short random wait), and so is a connection found dead before anything was done on it (the server
 * restarted while it sat idle in the pool). Anything else rolls back and rejects. `first`, a statement without
 * parameters, is sent together with BEGIN (one round trip) and its result handed to `work`.
 */
export async function transaction<T>(pool: Pool, work: (client: Client, first: pg.QueryResult | undefined) => Promise<T>, options: { attempts?: number; first?: string } = {}): Promise<T> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt++) {
    const client = await pool.connect();
    // A checked-out client that loses its connection emits "error": without a listener it would crash the process.
    let lost: unknown;
    const onError = (error: unknown) => (lost = error);
    client.on("error", onError);
    let begun = false;
    let broken = false;
    try {
      const opened = await client.query(options.first === undefined ? "BEGIN" : `BEGIN; ${options.first}`);
      begun = true;
      // Several statements in one query answer with one result each.
      const first = options.first === undefined ? undefined : (opened as unknown as pg.QueryResult[])[1];
      const result = await work(client, first);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      try {
        // Also after a failed BEGIN; first: BEGIN ran, the transaction is aborted (without one, ROLLBACK only warns).
        await client.query("ROLLBACK");
      } catch {
        broken = true;
      }
      const code = (error as { code?: unknown }).code;
      const retry = typeof code === "string" && SERIALIZATION.has(code) ? attempt < attempts : !begun && attempt === 1 && isConnectionLoss(error);
      if (!retry) throw error;
    } finally {
      client.off("error", onError);
      client.release(broken || lost !== undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
  }
}

/** An error of the connection itself (not of a statement: those carry a SQLSTATE code). */
const isConnectionLoss = (error: unknown): boolean => {
  const { code, message } = error as { code?: unknown; message?: unknown };
  return (typeof code === "string" && /^E[A-Z]+$/.test(code)) || (typeof message === "string" && /Connection terminated|not queryable|ECONNRESET/i.test(message));
};

const line = (text: string): string => text.split("\n")[0]?.trim() ?? text;

/** The error a user sees when the server cannot be reached or refuses the connection: one line, with what to do. */
export function postgresError(url: string, error: unknown): ShipgateError {
  if (error instanceof ShipgateError) return error;
  const location = redactUrl(url);
  const e = error as { code?: string; message?: string };
  const { host, port, user, database } = endpoint(url);
  const message = line(e.message ?? String(error));
  const fail = (what: string, hint: string, code: "STORE_UNAVAILABLE" | "USAGE" = "STORE_UNAVAILABLE") =>
    new ShipgateError(code, `[store] [postgres] ${location}: ${what}`, { hint, cause: error });
  const where = host.startsWith("/") ? `the socket in ${host} (port ${port})` : `${host}:${port}`;
  switch (e.code) {
    case "ERR_INVALID_URL":
      return fail("the URL cannot be read", "write it as postgres://USER:PASSWORD@HOST:PORT/DATABASE, percent-encoding special characters (@ : / ?) in the user and password", "USAGE");
    case "28P01":
      return fail(`password authentication failed for user "${user}"`, "check the user and password in the URL (or PGPASSWORD, ~/.pgpass)");
    case "28000":
      return message.includes("does not exist")
        ? fail(`the role "${user}" does not exist on the server`, `create it (createuser -h ${host} -p ${port} --pwprompt ${user}) or fix the user in the URL`)
        : fail(message, "the server's pg_hba.conf refuses this user, database or host: ask its administrator for an entry");
    case "3D000":
      return fail(`the database "${database}" does not exist`, `create it: createdb -h ${host} -p ${port} -U ${user} ${database}`);
    case "57P03":
      return fail("the server is starting up or shutting down", "retry in a moment");
    case "53300":
      return fail("the server has no connection slot left (too many connections)", "retry later, or raise max_connections on the server");
    case "42501":
      return fail(
        `permission denied (${message})`,
        `the role needs CREATE on the database to migrate it: make it the owner (createdb -O ${user} ${database}), or run \`shipgate db migrate\` as the owner first`,
      );
    case "ECONNREFUSED":
    case "ENOENT":
      return fail(`no PostgreSQL server answers at ${where} (connection refused)`, "start the server, or fix the host and port in the URL");
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return fail(`the host ${host} is unknown`, "fix the host in the URL");
    case "ETIMEDOUT":
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return fail(`no answer from ${where} (${e.code})`, "check that the server runs and that a firewall lets this machine reach it");
    default:
      break;
  }
  if (/timeout|terminated unexpectedly|ECONNRESET/i.test(message)) {
    return fail(`no answer from ${where} (${message})`, "check that the server runs and accepts connections from this machine; connect_timeout=SECONDS in the URL waits longer");
  }
  return fail(message, "nothing was written; retry, or check the server's log");
}

/**
 * Runs one store call: rejects once the store is closed, and turns driver errors into STORE_UNAVAILABLE (a
 * ShipgateError from the rules passes through as it is).
 */
export function guarded(url: string, isClosed: () => boolean) {
  return async function guard<T>(work: () => Promise<T>): Promise<T> {
    if (isClosed()) throw new ShipgateError("STORE_UNAVAILABLE", `[store] [postgres] ${redactUrl(url)}: the store is closed`);
    try {
      return await work();
    } catch (error) {
      throw postgresError(url, error);
    }
  };
}

export type Guard = ReturnType<typeof guarded>;
