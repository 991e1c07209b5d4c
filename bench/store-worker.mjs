// One worker thread of `bench/store.mjs`: opens `loops` workers, each with its own connection (a shipgate store or
// a pg-boss instance with a pool of one), says "ready", waits for "go", then each worker claims and completes until
// nothing is left. Posts back what it claimed and how long each call took; the main thread checks and summarizes.
import { parentPort, workerData } from "node:worker_threads";
import { startBoss } from "./pg-boss.mjs";

const { kind, url, loops, agent, queue, dist } = workerData;

/** Opens one worker: `claim()` resolves to { id, done() } or undefined when nothing is left; `close()`. */
async function openWorker(n) {
  if (kind === "shipgate") {
    const { openStore } = await import(`${dist}/store/open-store.js`);
    const store = await openStore(url);
    return {
      async claim() {
        const claimed = await store.claimTask({ agent: `${agent}-${n}`, at: new Date().toISOString(), leaseMs: 600_000, ownedOnly: false });
        return claimed && { id: claimed.task.id, done: () => store.finishRun(claimed.run.id, claimed.run.epoch, { at: new Date().toISOString(), outcome: "done" }) };
      },
      close: () => store.close(),
    };
  }
  // One connection per worker, like the shipgate workers; maintenance and cron are off: the bench's setup created
  // the schema and the queue, and a worker only fetches and completes.
  const boss = await startBoss({ connectionString: url, max: 1, migrate: false });
  boss.on("error", (error) => parentPort.postMessage({ error: `pg-boss: ${error.message}` }));
  return {
    async claim() {
      const [job] = await boss.fetch(queue);
      return job && { id: job.id, done: () => boss.complete(queue, job.id) };
    },
    close: () => boss.stop({ graceful: false, close: true, wait: true }),
  };
}

/** SQLite's "database is locked" (SQLITE_BUSY after the 10 s busy timeout): nothing was written, the hint says retry. */
const isBusy = (error) => error?.code === "STORE_UNAVAILABLE" && /locked/.test(error.message);

async function run(worker) {
  const ids = [];
  const claimMs = [];
  const finishMs = [];
  const busy = [];
  // Retries a call refused as busy, as a worker following the hint would; each refusal is counted with how long
  // the call waited before it gave up. The latency recorded is the whole call, retries included.
  const retrying = async (op, call) => {
    for (;;) {
      const started = performance.now();
      try {
        return await call();
      } catch (error) {
        if (!isBusy(error)) throw error;
        busy.push({ op, ms: performance.now() - started });
      }
    }
  };
  for (;;) {
    const started = performance.now();
    const claimed = await retrying("claim", () => worker.claim());
    const claimedAt = performance.now();
    if (!claimed) break;
    claimMs.push(claimedAt - started);
    ids.push(claimed.id);
    await retrying("complete", () => claimed.done());
    finishMs.push(performance.now() - claimedAt);
  }
  return { ids, claimMs, finishMs, busy };
}

try {
  const workers = await Promise.all(Array.from({ length: loops }, (_, i) => openWorker(i)));
  // Every connection is open before "go": connecting is not part of the measured time.
  const go = new Promise((resolve) => parentPort.once("message", resolve));
  parentPort.postMessage({ ready: true });
  await go;
  const results = await Promise.all(workers.map(run));
  const ended = performance.now() + performance.timeOrigin;
  await Promise.all(workers.map((w) => w.close()));
  parentPort.postMessage({
    ended,
    ids: results.flatMap((r) => r.ids),
    claimMs: Float64Array.from(results.flatMap((r) => r.claimMs)),
    finishMs: Float64Array.from(results.flatMap((r) => r.finishMs)),
    busy: results.flatMap((r) => r.busy),
  });
} catch (error) {
  parentPort.postMessage({ error: error?.message ?? String(error) });
}
