// Instructions of a whole `shipgate assess --report F --json` (fresh store, outside any repository), OLD vs NEW.
import { countNode, fmtInstr } from '/work/wt/trial/bench/instructions.mjs';
import { rmSync } from 'node:fs';
const reports = process.argv.slice(2);
for (const r of reports) {
  const res = {};
  for (const [v, bin] of [['old', '/tmp/lead/old/dist/cli/main.js'], ['new', '/work/wt/trial/dist/cli/main.js']]) {
    rmSync('/tmp/trial/out/count.db', { force: true });
    const t = Date.now();
    const run = countNode([bin, 'assess', '--report', r, '--json', '--db', '/tmp/trial/out/count.db'], { cwd: '/tmp/trial/empty', env: { SHIPGATE_NOW: '2026-12-01T00:00:00Z' }, check: (x) => (x.status === 0 ? undefined : `exit ${x.status}`) });
    res[v] = run.instructions;
    console.log(`${r} ${v}: ${run.error ?? fmtInstr(run.instructions)} (${run.instructions}) in ${Date.now() - t} ms under valgrind`);
  }
  console.log(`${r}: old/new = ${(res.old / res.new).toFixed(2)}×`);
}
