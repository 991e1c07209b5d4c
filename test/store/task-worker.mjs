// One process of the task-concurrency tests: opens the BUILT store (a SQLite file or a postgres:// URL), prints "ready",
// waits for a line on stdin (the parent writes it to every worker at once, so that they start at the same
// moment), runs its command and prints one JSON line with what it got.
//
//   node test/store/task-worker.mjs DB AGENT claim          claim (ownedOnly false) until nothing is ready
//   node test/store/task-worker.mjs DB AGENT run ID…        start then finish each task
//   node test/store/task-worker.mjs DB AGENT start ID…      try to start each task; report won and lost
import { once } from "node:events";
import { openStore } from "../../dist/store/open-store.js";

const [db, agent, command, ...ids] = process.argv.slice(2);
if (!db || !agent || !command) {
  process.stderr.write("usage: task-worker.mjs DB AGENT claim|run|start [ID…]\n");
  process.exit(2);
}

const store = await openStore(db);
const at = () => new Date().toISOString();
// The first query prepares the connection, so that opening costs are not part of the race.
await store.getPlan();
process.stdout.write("ready\n");
// A pipe wakes every worker as soon as the parent writes; polling a file would release them up to a tick apart.
await once(process.stdin, "data");
process.stdin.destroy();

const result = { agent, claimed: [], won: [], lost: [] };
if (command === "claim") {
  const claim = () => store.claimTask({ agent, at: at(), leaseMs: 60_000, ownedOnly: false });
  for (let claimed = await claim(); claimed; claimed = await claim()) result.claimed.push(claimed.task.id);
} else if (command === "run") {
  for (const id of ids) {
    await store.transitionTask(id, "in_progress", { agent }, at());
    await store.transitionTask(id, "done", { agent }, at());
    result.won.push(id);
  }
} else if (command === "start") {
  for (const id of ids) {
    try {
      await store.transitionTask(id, "in_progress", { agent }, at());
      result.won.push(id);
    } catch (error) {
      // Only the refusal the contract promises counts as losing; anything else fails the worker.
      if (error?.code !== "INVALID_TRANSITION") throw error;
      result.lost.push({ id, code: error.code, message: error.message });
    }
  }
} else {
  throw new Error(`unknown command ${command}`);
}
await store.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
