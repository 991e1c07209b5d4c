// One process of the crash test (sqlite-crash.test.ts): opens the BUILT store named by DB (a file path or a URL),
// builds a snapshot of COUNT test results, prints "saving", saves it in one call and prints "saved ID". The parent
// kills it while the save's transaction is open.
//
//   node test/store/snapshot-worker.mjs DB COUNT
import { openStore } from "../../dist/store/open-store.js";

const [db, count] = process.argv.slice(2);
if (!db || !count) {
  process.stderr.write("usage: snapshot-worker.mjs DB COUNT\n");
  process.exit(2);
}

const AT = "2026-12-01T09:00:00.000Z";
const store = await openStore(db, { at: AT });
const tests = Array.from({ length: Number(count) }, (_, i) => ({
  testId: `src/module-${i % 500}.test.ts › suite ${i % 37} › case ${i}`,
  file: `src/module-${i % 500}.test.ts`,
  suite: `suite ${i % 37}`,
  name: `case ${i}`,
  status: i % 97 === 0 ? "failed" : "passed",
  durationMs: (i % 1000) / 10,
  message: i % 97 === 0 ? `expected ${i} to be ${i + 1}` : null,
  flaky: false,
  sourceIndex: 0,
}));
const snapshot = {
  takenAt: AT,
  git: { commit: "deadbeef", branch: "main", dirty: false, tree: null },
  configHash: null,
  summary: { schemaVersion: 1, crash: true },
  sources: [{ path: "reports/junit.xml", sha256: "c".repeat(64), bytes: 1, format: "junit", tool: null, collector: null }],
  facts: [{ key: "tests.total", value: tests.length, component: null, sourceIndex: 0 }],
  tests,
  coverageFiles: [],
};
process.stdout.write("saving\n");
const saved = await store.saveSnapshot(snapshot);
process.stdout.write(`saved ${saved.id}\n`);
await store.close();
