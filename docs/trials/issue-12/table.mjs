import { execFileSync } from "node:child_process";
import { readFileSync, existsSync } from "node:fs";
const days = ["2024-12-30","2024-12-31","2025-01-01","2025-01-02","2025-01-03","2025-01-06","2025-01-07","2025-01-08","2025-01-09","2025-01-10","2025-01-13","2025-01-14","2025-01-15","2025-01-16","2025-01-17"];
// what replay.sh did: tasks moved to done per day, blocked at the day's end
const did = { "2024-12-30": 4, "2025-01-03": 3, "2025-01-09": 3, "2025-01-13": 1, "2025-01-17": 1 };
const scope = (d) => (d >= "2025-01-13" ? 13 : 12);
const blocked = { "2025-01-07": "PA-08" };
const rows = [];
let doneSum = 0;
for (const d of days) {
  const t = JSON.parse(execFileSync("node", ["/work/wt/trial/dist/cli/main.js", "track", "--as-of", d, "--json"], { env: { ...process.env, SHIPGATE_NOW: "2025-01-17T19:00:00Z" }, maxBuffer: 1 << 26 }).toString());
  const log = `/tmp/trial12/logs/vitest-${d}.txt`;
  let vt = "not run", vc = "—";
  if (existsSync(log)) {
    const txt = readFileSync(log, "utf8").replace(/\x1b\[[0-9;]*m/g, "");
    const m = txt.match(/^\s*Tests\s+(.*)$/m); vt = m ? m[1].trim().replaceAll("|", "\\|") : "?";
    const c = txt.match(/^All files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/m); vc = c ? `${c[4]} / ${c[2]}` : "?";
  }
  const s = (k) => t.series.find((x) => x.metric === k && x.component === null)?.days.find((x) => x.date === d);
  const v = (k) => { const x = s(k); return x === undefined ? "—" : x.measured ? String(x.value) : `n/m (${x.previous?.value ?? "—"})`; };
  const L = t.latest?.tests;
  const today = t.latest && t.latest.takenAt.slice(0, 10) === d ? `${L.passed}/${L.failed}/${L.total}` : "n/m";
  doneSum += did[d] ?? 0;
  const fd = t.flow.daily.find((x) => x.start === d)?.tasks ?? 0;
  const b = t.burndown.find((x) => x.date === d);
  rows.push(`| ${d} | ${vt} | ${today} | ${vc} | ${v("coverage.lines")} / ${v("coverage.branches")} | ${did[d] ?? 0} → ${fd} | ${doneSum}/${scope(d)} → ${b.doneTasks}/${b.scopeTasks} | ${blocked[d] ?? "—"} → ${t.blockers.open.map((x) => x.task).join(",") || "—"} | ${t.milestones.map((m) => m.status).join(", ")} | ${t.forecast.p85 ?? "—"} |`);
}
console.log("| day | vitest printed (Tests) | tracker passed/failed/total | vitest All files % Lines / % Branch | tracker coverage.lines / branches | done that day: we did → tracker | done/scope: we did → tracker | blocked at day's end: we did → tracker | milestones M1, M2 | forecast P85 |");
console.log("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
console.log(rows.join("\n"));
