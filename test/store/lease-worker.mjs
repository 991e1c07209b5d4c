// One process of the lease race (lease-race.test.ts): opens the BUILT store named by DB (a file path or a URL),
// prints "ready", waits for a line on stdin (the parent releases every worker at once), runs its command and prints
// one JSON line with what it got. Times come from the command line: the race runs on a fixed clock.
//
//   node test/store/lease-worker.mjs DB heartbeat AT LEASE_MS RUN:EPOCH…   heartbeat each run; report kept and lost
//   node test/store/lease-worker.mjs DB expire AT                        expireLeases(AT); report the runs it ended
import { once } from "node:events";
import { openStore } from "../../dist/store/open-store.js";

const [db, command, at, ...rest] = process.argv.slice(2);
if (!db || !command || !at) {
  process.stderr.write("usage: lease-worker.mjs DB heartbeat|expire AT [LEASE_MS RUN:EPOCH…]\n");
  process.exit(2);
}

const store = await openStore(db, { at });
await store.getPlan();
process.stdout.write("ready\n");
await once(process.stdin, "data");
process.stdin.destroy();

const result = { kept: [], lost: [], expired: [] };
if (command === "heartbeat") {
  const [leaseMs, ...runs] = rest;
  for (const spec of runs) {
    const [id, epoch] = spec.split(":").map(Number);
    try {
      await store.heartbeat(id, epoch, Number(leaseMs), { at });
      result.kept.push(id);
    } catch (error) {
      // Only the refusal the contract promises counts as losing; anything else fails the worker.
      if (error?.code !== "LEASE_LOST") throw error;
      result.lost.push(id);
    }
  }
} else if (command === "expire") {
  result.expired = (await store.expireLeases(at)).map((r) => r.id);
} else {
  throw new Error(`unknown command ${command}`);
}
await store.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
