#!/usr/bin/env node
// A throwaway PostgreSQL server for the tests: a fresh cluster in a temporary folder, on a free port of 127.0.0.1
// (and a unix socket in that folder), stopped and deleted afterwards. Never touches a server of the machine.
//
//   node scripts/pg-test-server.mjs start [--json]   prints the URL (or {"url","adminUrl","dir"} as JSON)
//   node scripts/pg-test-server.mjs stop DIR         stops the server started in DIR and removes DIR
//
// The binaries are looked up in /usr/lib/postgresql/<newest>/bin, then `pg_config --bindir`, then PATH
// (SHIPGATE_PG_BINDIR=DIR: only there).
// The URL names the role `shipgate` (password auth over TCP, allowed to create databases) and its own database
// `shipgate`, ready for `--db`. `adminUrl` is the
// superuser over the unix socket (trust). Run as root, the server runs as the `postgres` OS user (PostgreSQL
// refuses to run as root). Exit 3 when no PostgreSQL server binaries are found: the message says what to install.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PASSWORD_ROLE = "shipgate";

/** The folder holding initdb, pg_ctl and postgres, or null. SHIPGATE_PG_BINDIR names the one folder to use. */
export function findBinaries() {
  const has = (dir) => ["initdb", "pg_ctl", "postgres"].every((b) => existsSync(join(dir, b)));
  if (process.env.SHIPGATE_PG_BINDIR) return has(process.env.SHIPGATE_PG_BINDIR) ? process.env.SHIPGATE_PG_BINDIR : null;
  const versions = existsSync("/usr/lib/postgresql") ? readdirSync("/usr/lib/postgresql").filter((v) => /^\d+$/.test(v)) : [];
  const candidates = versions.sort((a, b) => Number(b) - Number(a)).map((v) => `/usr/lib/postgresql/${v}/bin`);
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim());
  } catch {
    // no pg_config on PATH
  }
  for (const dir of (process.env.PATH ?? "").split(":")) if (dir) candidates.push(dir);
  return candidates.find(has) ?? null;
}

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Runs a server binary, as the `postgres` OS user when we are root. */
function run(bin, args, cwd) {
  const [command, argv] = isRoot() ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} exited with ${result.status}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts a fresh cluster; resolves to { url, adminUrl, dir }. */
export async function startServer() {
  const bin = findBinaries();
  if (!bin) {
    const where = process.env.SHIPGATE_PG_BINDIR ?? "/usr/lib/postgresql/*/bin, pg_config --bindir or PATH";
    const error = new Error(`no PostgreSQL server binaries (initdb, pg_ctl, postgres) in ${where}; install them: apt-get install postgresql-15 (Debian), brew install postgresql@15 (macOS)`);
    error.code = "NO_BINARIES";
    throw error;
  }
  const dir = mkdtempSync(join(tmpdir(), "shipgate-pg-"));
  try {
    if (isRoot()) {
      const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
      chownSync(dir, uid, gid);
    }
    const password = randomBytes(12).toString("hex");
    const data = join(dir, "data");
    const initdb = ["-D", data, "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions", "--auth-local=trust", "--auth-host=scram-sha-256"];
    // A linguistic default collation, as most servers have: the schema must not depend on byte order by default.
    try {
      run(join(bin, "initdb"), [...initdb, "--locale=C.UTF-8", "--locale-provider=icu", "--icu-locale=en-US"], dir);
    } catch {
      rmSync(data, { recursive: true, force: true });
      run(join(bin, "initdb"), [...initdb, "--locale=C"], dir);
    }
    let port = 0;
    for (let attempt = 1; ; attempt++) {
      port = await freePort();
      // Durability is not what these tests check: a throwaway cluster skips fsync.
      const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
      try {
        run(join(bin, "pg_ctl"), ["-D", data, "-o", options, "-l", join(dir, "server.log"), "-w", "-t", "60", "start"], dir);
        break;
      } catch (error) {
        // Another process may have taken the port between freePort and the start.
        if (attempt >= 3) throw error;
      }
    }
    const psql = (sql) => run(join(bin, "psql"), ["-h", dir, "-p", String(port), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], dir);
    psql(`CREATE ROLE ${PASSWORD_ROLE} LOGIN CREATEDB PASSWORD '${password}'`);
    psql(`CREATE DATABASE ${PASSWORD_ROLE} OWNER ${PASSWORD_ROLE}`);
    writeFileSync(join(dir, "port"), String(port));
    return {
      url: `postgres://${PASSWORD_ROLE}:${password}@127.0.0.1:${port}/${PASSWORD_ROLE}`,
      adminUrl: `postgres://postgres@/postgres?host=${encodeURIComponent(dir)}&port=${port}`,
      dir,
    };
  } catch (error) {
    stopServer(dir);
    throw error;
  }
}

/** Stops the server started in `dir` (if it runs) and removes the folder. */
export function stopServer(dir) {
  const bin = findBinaries();
  const data = join(dir, "data");
  if (bin && existsSync(join(data, "postmaster.pid"))) {
    try {
      run(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"], dir);
    } catch {
      // already stopped
    }
  }
  rmSync(dir, { recursive: true, force: true });
}

async function main() {
  const [command, arg] = process.argv.slice(2);
  if (command === "start") {
    try {
      const server = await startServer();
      process.stdout.write(arg === "--json" ? `${JSON.stringify(server)}\n` : `${server.url}\n`);
      if (arg !== "--json") process.stderr.write(`stop it with: node scripts/pg-test-server.mjs stop ${server.dir}\n`);
    } catch (error) {
      process.stderr.write(`pg-test-server: ${error.message}\n`);
      process.exit(error.code === "NO_BINARIES" ? 3 : 1);
    }
  } else if (command === "stop" && arg) {
    stopServer(arg);
  } else {
    process.stderr.write("usage: pg-test-server.mjs start [--json] | stop DIR\n");
    process.exit(2);
  }
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) await main();
