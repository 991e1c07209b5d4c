// Dump every table of a shipgate SQLite store as sorted JSON lines (for diffing OLD vs NEW).
import { createRequire } from 'node:module';
const require = createRequire('/work/main/package.json');
const Database = require('better-sqlite3');
const db = new Database(process.argv[2], { readonly: true });
const tables = db.prepare("select name from sqlite_master where type='table' order by name").all().map(r => r.name);
for (const t of tables) {
  const rows = db.prepare(`select * from "${t}"`).all().map(r => JSON.stringify(r, (k, v) => Buffer.isBuffer(v) ? v.toString('hex') : v));
  rows.sort();
  process.stdout.write(`## ${t} ${rows.length}\n`);
  for (const r of rows) process.stdout.write(r + '\n');
}
