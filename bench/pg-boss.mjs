// pg-boss as bench:store drives it, for the major versions the devDependency has had (10: CommonJS, `insert(jobs)`
// with a name per job; 12: ESM, `insert(name, jobs)`, an instance registry and OpenTelemetry hooks, both off here).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

// SHIPGATE_BENCH_PGBOSS: the folder of another pg-boss install (e.g. /tmp/x/node_modules/pg-boss) to compare with.
const require = createRequire(import.meta.url);
const dir = process.env.SHIPGATE_BENCH_PGBOSS ? resolve(process.env.SHIPGATE_BENCH_PGBOSS) : dirname(require.resolve("pg-boss/package.json"));
const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
export const bossVersion = pkg.version;
const major = Number(bossVersion.split(".")[0]);

/** A started instance with `options` (connectionString, max, migrate…); maintenance and cron off. */
export async function startBoss(options) {
  const module = await import(process.env.SHIPGATE_BENCH_PGBOSS ? pathToFileURL(createRequire(join(dir, "package.json")).resolve(dir)).href : "pg-boss");
  const PgBoss = module.PgBoss ?? module.default;
  const extra = major >= 12 ? { registerInstance: false, openTelemetry: { enabled: false } } : {};
  const boss = new PgBoss({ supervise: false, schedule: false, ...extra, ...options });
  await boss.start();
  return boss;
}

/** Inserts `count` jobs into `queue`, 1 000 per statement. */
export async function insertJobs(boss, queue, count) {
  for (let i = 0; i < count; i += 1000) {
    const jobs = Array.from({ length: Math.min(1000, count - i) }, (_, j) => ({ data: { n: i + j } }));
    if (major >= 12) await boss.insert(queue, jobs);
    else await boss.insert(jobs.map((job) => ({ name: queue, ...job })));
  }
}
