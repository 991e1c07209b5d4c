/** Writes monitoring/grafana/shipgate.json from the builder (`npm run monitoring:build`); `--check` only compares. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderDashboard } from "./dashboard.js";

export const DASHBOARD_FILE = "monitoring/grafana/shipgate.json";

/** Returns the exit code: 0 written or up to date, 1 when `check` finds the committed file out of date. */
export function writeDashboard(root: string, check: boolean): number {
  const path = join(root, DASHBOARD_FILE);
  const text = renderDashboard();
  if (check) {
    let committed = "";
    try {
      committed = readFileSync(path, "utf8");
    } catch {
      // A missing file is out of date.
    }
    if (committed === text) return 0;
    console.error(`[monitoring] ${DASHBOARD_FILE} is not what scripts/grafana/dashboard.ts generates: run npm run monitoring:build and commit it.`);
    return 1;
  }
  writeFileSync(path, text);
  console.log(`[monitoring] wrote ${DASHBOARD_FILE}`);
  return 0;
}
